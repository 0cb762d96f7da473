import type { z } from "zod";
import type { Session } from "../core/session.js";
import { type InvalidReason, issueReason, SESSION_SCHEMA } from "./sessionSchema.js";

/** A field-level problem in one record; the reader adds file and line. */
export class RecordError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
    /** The kind of problem, for grouping (see INVALID_REASONS). */
    readonly reason?: InvalidReason,
  ) {
    super(`${field}: ${problem}`);
    this.name = "RecordError";
  }
}

/** `["events", 3, "t"]` -> `events[3].t`; the record itself is `(record)`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : out === "" ? String(key) : `.${String(key)}`;
  return out === "" ? "(record)" : out;
}

/** Record order of the Session fields, then of the event fields: the first problem in reading order wins. */
const KEY_RANK: Readonly<Record<string, number>> = { id: 0, profile: 1, events: 2, adSignals: 3, type: 0, t: 1, depth: 2, value: 2 };

function comparePaths(a: readonly PropertyKey[], b: readonly PropertyKey[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return (KEY_RANK[String(x)] ?? 9) - (KEY_RANK[String(y)] ?? 9);
  }
  return a.length - b.length;
}

/** The issue met first when reading the record from left to right. */
function firstIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  let first = issues[0];
  for (const issue of issues) if (comparePaths(issue.path, first.path) < 0) first = issue;
  return first;
}

/**
 * Checks one parsed JSON Lines record against the Session contract (docs/events.md; the
 * schema is `SESSION_SCHEMA`) and returns a clean copy without unknown keys. Throws RecordError
 * naming the first bad field in reading order, e.g. `events[3].t: must not decrease: 2 after 3`.
 */
export function parseSession(value: unknown): Session {
  const result = SESSION_SCHEMA.safeParse(value);
  if (result.success) return result.data;
  const issue = firstIssue(result.error.issues);
  throw new RecordError(formatIssuePath(issue.path), issue.message, issueReason(issue));
}
