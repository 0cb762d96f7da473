import { z } from "zod";
import type { ActionType } from "../core/actionTypes.js";
import { describeValue } from "../core/describeValue.js";
import {
  afterCloseViolation,
  depthViolation,
  type EventRuleKind,
  type EventRuleViolation,
  orderViolation,
  signalTypeViolation,
  signalValueViolation,
  timeViolation,
  typeViolation,
} from "../core/eventRules.js";
import type { AdSignalType } from "../core/adSignal.js";
import { PROFILE_NAMES } from "../core/session.js";

/**
 * Why a record was rejected: one short, stable label per kind of problem, used to group
 * skipped records (`--skip-invalid` prints one summary line per reason). The event rules'
 * kinds (src/core/eventRules.ts) are among the keys.
 */
export const INVALID_REASONS = {
  malformedJson: "malformed JSON",
  notAnObject: "record is not a JSON object",
  badId: "missing or empty id",
  controlInId: "control character in id",
  duplicateId: "duplicate session id",
  badProfile: "unknown profile",
  badEvents: "events is not an array",
  badEvent: "event is not an object",
  badType: "unknown event type",
  badTime: "t is not a finite number",
  negativeTime: "negative t",
  lateTime: "t beyond the maximum",
  decreasingTime: "t decreases",
  badDepth: "depth outside 0..1",
  afterClose: "event after close_tab",
  badSignals: "adSignals is not an array",
  badSignal: "ad signal is not an object",
  badSignalType: "unknown ad signal type",
  badSignalValue: "ad signal value out of range",
  missingSignals: "adSignals missing",
} as const satisfies Record<EventRuleKind, string> & Record<string, string>;

export type InvalidReason = (typeof INVALID_REASONS)[keyof typeof INVALID_REASONS];

/** A schema's error message, built from the offending input. */
const says = (message: (input: unknown) => string) => ({ error: (issue: { input?: unknown }) => message(issue.input) });

const ID_PROBLEM = (input: unknown) => `must be a non-empty string, got ${describeValue(input)}`;

/**
 * What is wrong with a session id as a CSV field can carry it, or undefined: ids hold no control
 * character (Unicode Cc: U+0000-U+001F, U+007F-U+009F, line breaks and tabs included), so every
 * id is one line of a windows CSV and reads back as written (docs/robustness.md, "Limits: input
 * files and the CLI"). The session reader, the CSV writer and the CSV reader share this rule.
 */
export function sessionIdProblem(id: string): string | undefined {
  const at = id.search(/\p{Cc}/u);
  if (at < 0) return undefined;
  const code = `U+${id.charCodeAt(at).toString(16).toUpperCase().padStart(4, "0")}`;
  return `must not contain control characters (line breaks, tabs, U+0000-U+001F, U+007F-U+009F); found ${code} at character ${at + 1} of ${describeValue(id)}`;
}

/** The issue of a broken event rule: its words, and its reason label for the summary. */
function ruleIssue(violation: EventRuleViolation, path: PropertyKey[], input: unknown): z.core.$ZodRawIssue {
  return { code: "custom", path, input, message: violation.problem, params: { reason: INVALID_REASONS[violation.kind] } };
}

/** An event field held to one of the event rules, which words the message (`T` is what it guarantees). */
function ruleField<T>(rule: (value: unknown) => EventRuleViolation | undefined) {
  return z.custom<T>().superRefine((value, ctx) => {
    const broken = rule(value);
    if (broken !== undefined) ctx.addIssue(ruleIssue(broken, [], value));
  });
}

/** One event: `{ type, t, depth? }` (docs/robustness.md; rules in src/core/eventRules.ts). Unknown keys are dropped. */
export const EVENT_SCHEMA = z.object(
  {
    type: ruleField<ActionType>(typeViolation),
    t: ruleField<number>(timeViolation),
    depth: ruleField<number>(depthViolation).optional(),
  },
  says((input) => `must be an object {type, t, depth?}, got ${describeValue(input)}`),
);

/**
 * One ad signal: `{ type, t, value }` (docs/events.md, "Ad signals"); the value's range depends
 * on the type, so it is checked with the record. Unknown keys are dropped.
 */
const AD_SIGNAL_SCHEMA = z
  .object(
    {
      type: ruleField<AdSignalType>(signalTypeViolation),
      t: ruleField<number>(timeViolation),
      value: z.custom<number>(),
    },
    says((input) => `must be an object {type, t, value}, got ${describeValue(input)}`),
  )
  .superRefine((signal, ctx) => {
    if (signalTypeViolation(signal.type) !== undefined) return;
    const broken = signalValueViolation(signal.type, signal.value);
    if (broken !== undefined) ctx.addIssue(ruleIssue(broken, ["value"], signal.value));
  });

/** Ad signals never go back in time (their own order, the events' clock). */
function checkSignalOrder(signals: unknown, ctx: z.RefinementCtx<unknown>): void {
  if (!Array.isArray(signals)) return;
  let previous: number | undefined;
  signals.forEach((signal: unknown, i) => {
    if (typeof signal !== "object" || signal === null) return;
    const { t } = signal as { t?: unknown };
    if (timeViolation(t) !== undefined) return;
    const time = t as number;
    const broken = previous === undefined ? undefined : orderViolation(time, previous);
    if (broken !== undefined) ctx.addIssue(ruleIssue(broken, [i, "t"], time));
    previous = previous === undefined ? time : Math.max(previous, time);
  });
}

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
    if (closedAt >= 0) ctx.addIssue(ruleIssue(afterCloseViolation(closedAt), [i], event));
    if (timeViolation(t) === undefined) {
      const time = t as number;
      const broken = previous === undefined ? undefined : orderViolation(time, previous);
      if (broken !== undefined) ctx.addIssue(ruleIssue(broken, [i, "t"], time));
      previous = previous === undefined ? time : Math.max(previous, time);
    }
    if (type === "close_tab" && closedAt < 0) closedAt = i;
  });
}

/**
 * The Session record of the JSON Lines format (docs/events.md), declared once: the reader,
 * `parseSession` and the docs' error list all derive from it. Unknown top-level keys (such as
 * the tracker's `truncated` / `droppedEvents`) are dropped.
 */
export const SESSION_SCHEMA = z.object(
  {
    id: z
      .string(says(ID_PROBLEM))
      .min(1, says(ID_PROBLEM))
      .superRefine((id, ctx) => {
        const problem = sessionIdProblem(id);
        if (problem !== undefined) ctx.addIssue({ code: "custom", input: id, message: problem, params: { reason: INVALID_REASONS.controlInId } });
      }),
    profile: z.enum(PROFILE_NAMES, says((input) => `must be one of ${PROFILE_NAMES.join(", ")}, got ${describeValue(input)}`)).optional(),
    events: z
      .array(EVENT_SCHEMA, says((input) => `must be an array of events, got ${describeValue(input)}`))
      .superRefine(checkEventOrder, { when: () => true }),
    adSignals: z
      .array(AD_SIGNAL_SCHEMA, says((input) => `must be an array of ad signals, got ${describeValue(input)}`))
      .superRefine(checkSignalOrder, { when: () => true })
      .optional(),
  },
  says((input) => `must be a JSON object {id, profile?, events, adSignals?}, got ${describeValue(input)}`),
);

/**
 * The reason label of one issue of {@link SESSION_SCHEMA}: the event rules carry theirs, the
 * record's own fields are known by the field they failed on.
 */
export function issueReason(issue: z.core.$ZodIssue): InvalidReason {
  const reason = issue.code === "custom" ? (issue.params as { reason?: InvalidReason } | undefined)?.reason : undefined;
  if (reason) return reason;
  const [top] = issue.path;
  if (top === undefined) return INVALID_REASONS.notAnObject;
  if (top === "id") return INVALID_REASONS.badId;
  if (top === "profile") return INVALID_REASONS.badProfile;
  if (top === "adSignals") return issue.path.length === 1 ? INVALID_REASONS.badSignals : INVALID_REASONS.badSignal;
  if (issue.path.length === 1) return INVALID_REASONS.badEvents;
  return INVALID_REASONS.badEvent;
}
