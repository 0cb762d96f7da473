import { z } from "zod";
import { ACTION_TYPES } from "../core/actionTypes.js";
import { PROFILE_NAMES } from "../core/session.js";

/**
 * Why a record was rejected: one short, stable label per kind of problem, used to group
 * skipped records (`--skip-invalid` prints one summary line per reason).
 */
export const INVALID_REASONS = {
  malformedJson: "malformed JSON",
  notAnObject: "record is not a JSON object",
  badId: "missing or empty id",
  duplicateId: "duplicate session id",
  badProfile: "unknown profile",
  badEvents: "events is not an array",
  badEvent: "event is not an object",
  badType: "unknown event type",
  badTime: "t is not a finite number",
  negativeTime: "negative t",
  decreasingTime: "t decreases",
  badDepth: "depth outside 0..1",
  afterClose: "event after close_tab",
} as const;

export type InvalidReason = (typeof INVALID_REASONS)[keyof typeof INVALID_REASONS];

/**
 * A value as it appears in an error message. JSON cannot carry NaN or Infinity, so those come
 * from strings (`"NaN"`, shown quoted) or overflowing literals (`1e999` parses to Infinity).
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  if (typeof value === "number") return String(value); // Infinity, -Infinity, NaN stay readable (JSON.stringify would print null)
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "an object";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A schema's error message, built from the offending input. */
const says = (message: (input: unknown) => string) => ({ error: (issue: { input?: unknown }) => message(issue.input) });

const DEPTH_PROBLEM = (input: unknown) => `must be a number in [0, 1], got ${describeValue(input)}`;
const ID_PROBLEM = (input: unknown) => `must be a non-empty string, got ${describeValue(input)}`;
const T_PROBLEM = (input: unknown) => `must be a finite number >= 0 (seconds since page load), got ${describeValue(input)}`;

/** One event: `{ type, t, depth? }` (DESIGN.md, Events). Unknown keys are dropped. */
export const EVENT_SCHEMA = z.object(
  {
    type: z.enum(ACTION_TYPES, says((input) => `must be one of ${ACTION_TYPES.join(", ")}, got ${describeValue(input)}`)),
    t: z.number(says(T_PROBLEM)).min(0, says(T_PROBLEM)),
    depth: z
      .number(says(DEPTH_PROBLEM))
      .min(0, says(DEPTH_PROBLEM))
      .max(1, says(DEPTH_PROBLEM))
      .optional(),
  },
  says((input) => `must be an object {type, t, depth?}, got ${describeValue(input)}`),
);

/**
 * Order rules across events: `t` never decreases, and nothing follows `close_tab`. Runs even
 * when some events failed their own schema (it looks only at events whose fields are sound),
 * so the earliest problem of a record is found wherever it is.
 */
function checkEventOrder(events: unknown, ctx: z.RefinementCtx<unknown>): void {
  if (!Array.isArray(events)) return;
  let previous: number | undefined;
  let closedAt = -1;
  events.forEach((event: unknown, i) => {
    if (typeof event !== "object" || event === null) return;
    const { type, t } = event as { type?: unknown; t?: unknown };
    if (closedAt >= 0) {
      ctx.addIssue({
        code: "custom",
        path: [i],
        input: event,
        message: `comes after close_tab (events[${closedAt}]), which ends the session`,
        params: { reason: INVALID_REASONS.afterClose },
      });
    }
    if (typeof t === "number" && Number.isFinite(t) && t >= 0) {
      if (previous !== undefined && t < previous) {
        ctx.addIssue({
          code: "custom",
          path: [i, "t"],
          input: t,
          message: `must not decrease: ${t} after ${previous}`,
          params: { reason: INVALID_REASONS.decreasingTime },
        });
      }
      previous = previous === undefined ? t : Math.max(previous, t);
    }
    if (type === "close_tab" && closedAt < 0) closedAt = i;
  });
}

/**
 * The Session record of the JSON Lines format (DESIGN.md, Events), declared once: the reader,
 * `parseSession` and the docs' error list all derive from it. Unknown top-level keys (such as
 * the tracker's `truncated` / `droppedEvents`) are dropped.
 */
export const SESSION_SCHEMA = z.object(
  {
    id: z.string(says(ID_PROBLEM)).min(1, says(ID_PROBLEM)),
    profile: z.enum(PROFILE_NAMES, says((input) => `must be one of ${PROFILE_NAMES.join(", ")}, got ${describeValue(input)}`)).optional(),
    events: z
      .array(EVENT_SCHEMA, says((input) => `must be an array of events, got ${describeValue(input)}`))
      .superRefine(checkEventOrder, { when: () => true }),
  },
  says((input) => `must be a JSON object {id, profile?, events}, got ${describeValue(input)}`),
);

/**
 * The reason label of one issue of {@link SESSION_SCHEMA}: the order rules carry theirs, the
 * field rules are known by the field they failed on.
 */
export function issueReason(issue: z.core.$ZodIssue): InvalidReason {
  const reason = issue.code === "custom" ? (issue.params as { reason?: InvalidReason } | undefined)?.reason : undefined;
  if (reason) return reason;
  const [top, , field] = issue.path;
  if (top === undefined) return INVALID_REASONS.notAnObject;
  if (top === "id") return INVALID_REASONS.badId;
  if (top === "profile") return INVALID_REASONS.badProfile;
  if (issue.path.length === 1) return INVALID_REASONS.badEvents;
  if (field === "type") return INVALID_REASONS.badType;
  if (field === "t") return issue.code === "too_small" ? INVALID_REASONS.negativeTime : INVALID_REASONS.badTime;
  if (field === "depth") return INVALID_REASONS.badDepth;
  return INVALID_REASONS.badEvent;
}
