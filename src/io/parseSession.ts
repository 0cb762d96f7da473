import { ACTION_TYPES, isActionType } from "../core/actionTypes.js";
import type { InteractionEvent } from "../core/interactionEvent.js";
import { isProfileName, PROFILE_NAMES, type Session } from "../core/session.js";

/** A field-level problem in one record; the reader adds file and line. */
export class RecordError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = "RecordError";
  }
}

/**
 * Checks one parsed JSON Lines record against the Session contract (DESIGN.md, Events)
 * and returns a clean copy. Throws RecordError naming the first bad field.
 */
export function parseSession(value: unknown): Session {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RecordError("(record)", "must be a JSON object {id, profile?, events}");
  }
  const record = value as Record<string, unknown>;
  if (typeof record.id !== "string" || record.id.length === 0) {
    throw new RecordError("id", `must be a non-empty string, got ${JSON.stringify(record.id)}`);
  }
  if (record.profile !== undefined && !isProfileName(record.profile)) {
    throw new RecordError("profile", `must be one of ${PROFILE_NAMES.join(", ")}, got ${JSON.stringify(record.profile)}`);
  }
  if (!Array.isArray(record.events)) throw new RecordError("events", "must be an array of events");
  const events: InteractionEvent[] = [];
  let previous = 0;
  let closedAt = -1;
  record.events.forEach((raw: unknown, i) => {
    const at = `events[${i}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new RecordError(at, "must be an object {type, t, depth?}");
    const { type, t, depth } = raw as Record<string, unknown>;
    if (!isActionType(type)) {
      throw new RecordError(`${at}.type`, `must be one of ${ACTION_TYPES.join(", ")}, got ${JSON.stringify(type)}`);
    }
    if (typeof t !== "number" || !Number.isFinite(t) || t < 0) {
      throw new RecordError(`${at}.t`, `must be a finite number >= 0 (seconds since page load), got ${JSON.stringify(t)}`);
    }
    if (t < previous) throw new RecordError(`${at}.t`, `must not decrease: ${t} after ${previous}`);
    if (closedAt >= 0) throw new RecordError(`${at}`, `comes after close_tab (events[${closedAt}]), which ends the session`);
    if (depth !== undefined && (typeof depth !== "number" || !(depth >= 0 && depth <= 1))) {
      throw new RecordError(`${at}.depth`, `must be a number in [0, 1], got ${JSON.stringify(depth)}`);
    }
    previous = t;
    if (type === "close_tab") closedAt = i;
    events.push(depth === undefined ? { type, t } : { type, t, depth: depth as number });
  });
  return record.profile === undefined ? { id: record.id, events } : { id: record.id, profile: record.profile, events };
}
