import { ACTION_TYPES, isActionType } from "./actionTypes.js";
import { AD_SIGNAL_TYPES, type AdSignalType, isAdSignalType, MAX_ADS_IN_VIEW } from "./adSignal.js";
import { describeValue } from "./describeValue.js";

/**
 * The kinds of broken event rule. The session file reader labels them for its summary of
 * skipped records (src/io/sessionSchema.ts, INVALID_REASONS).
 */
export type EventRuleKind = "badType" | "badTime" | "negativeTime" | "lateTime" | "badDepth" | "decreasingTime" | "afterClose" | "badSignalType" | "badSignalValue";

/** One broken rule of the event contract (docs/robustness.md lists them with their messages). */
export interface EventRuleViolation {
  readonly kind: EventRuleKind;
  /** The event field at fault; absent for `afterClose`, which concerns the event as a whole. */
  readonly field?: "type" | "t" | "depth" | "value";
  /** What is wrong, with the bad value, e.g. `must not decrease: 2 after 3`. */
  readonly problem: string;
}

const TIME_RULE = "must be a finite number >= 0 (seconds since page load)";

/** `type` is one of the nine action types. */
export function typeViolation(type: unknown): EventRuleViolation | undefined {
  if (isActionType(type)) return undefined;
  return { kind: "badType", field: "type", problem: `must be one of ${ACTION_TYPES.join(", ")}, got ${describeValue(type)}` };
}

/**
 * The latest `t` of any event or ad signal, seconds since page load: 1e8 s, about 3.2 years
 * (docs/robustness.md, "Limits: input files"). No real page stays open that long; the bound
 * keeps every loop over a session's windows finite (at most `MAX_EVENT_SECONDS / windowStep`
 * windows: 10 million at the default 10 s step, about a second of work).
 */
export const MAX_EVENT_SECONDS = 1e8;

/** `t` is a finite number of seconds in [0, MAX_EVENT_SECONDS]. */
export function timeViolation(t: unknown): EventRuleViolation | undefined {
  if (typeof t === "number" && t >= 0 && t <= MAX_EVENT_SECONDS) return undefined;
  if (typeof t === "number" && Number.isFinite(t) && t > MAX_EVENT_SECONDS) {
    return { kind: "lateTime", field: "t", problem: `must be at most ${MAX_EVENT_SECONDS} (seconds since page load, about 3.2 years), got ${describeValue(t)}` };
  }
  // Negative times are told apart: they are usually a clock problem, not a format one.
  const kind = typeof t === "number" && t < 0 && Number.isFinite(t) ? "negativeTime" : "badTime";
  return { kind, field: "t", problem: `${TIME_RULE}, got ${describeValue(t)}` };
}

/** `depth`, when present, is a number in [0, 1]. */
export function depthViolation(depth: unknown): EventRuleViolation | undefined {
  if (depth === undefined || (typeof depth === "number" && depth >= 0 && depth <= 1)) return undefined;
  return { kind: "badDepth", field: "depth", problem: `must be a number in [0, 1], got ${describeValue(depth)}` };
}

/** `t` never decreases within a session: `previous` is the latest earlier time. */
export function orderViolation(t: number, previous: number): EventRuleViolation | undefined {
  if (t >= previous) return undefined;
  return { kind: "decreasingTime", field: "t", problem: `must not decrease: ${t} after ${previous}` };
}

/**
 * Nothing follows `close_tab`, which ends the session (`closeIndex`: its position in the
 * session's events). Session files are held to it; the extractor is not, since it takes any
 * time-ordered list of events.
 */
export function afterCloseViolation(closeIndex: number): EventRuleViolation {
  return { kind: "afterClose", problem: `comes after close_tab (events[${closeIndex}]), which ends the session` };
}

/**
 * The first broken field rule of one event, in field order (type, t, depth), with the order
 * rule checked right after `t` when a `previous` time is given.
 */
export function eventViolation(event: { type?: unknown; t?: unknown; depth?: unknown }, previous?: number): EventRuleViolation | undefined {
  return (
    typeViolation(event.type) ??
    timeViolation(event.t) ??
    (previous === undefined ? undefined : orderViolation(event.t as number, previous)) ??
    depthViolation(event.depth)
  );
}

/** An ad signal's `type` is `ads_in_view` or `pointer_on_ad` (docs/events.md, "Ad signals"). */
export function signalTypeViolation(type: unknown): EventRuleViolation | undefined {
  if (isAdSignalType(type)) return undefined;
  return { kind: "badSignalType", field: "type", problem: `must be one of ${AD_SIGNAL_TYPES.join(", ")}, got ${describeValue(type)}` };
}

/** `ads_in_view` counts viewable slots (an integer 0..1000); `pointer_on_ad` is 0 or 1. */
export function signalValueViolation(type: AdSignalType, value: unknown): EventRuleViolation | undefined {
  if (type === "ads_in_view") {
    if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_ADS_IN_VIEW) return undefined;
    return { kind: "badSignalValue", field: "value", problem: `must be an integer in [0, ${MAX_ADS_IN_VIEW}] for ads_in_view, got ${describeValue(value)}` };
  }
  if (value === 0 || value === 1) return undefined;
  return { kind: "badSignalValue", field: "value", problem: `must be 0 or 1 for pointer_on_ad, got ${describeValue(value)}` };
}

/** The first broken rule of one ad signal record, in field order (type, t, value), with the order rule after `t`. */
export function signalViolation(signal: { type?: unknown; t?: unknown; value?: unknown }, previous?: number): EventRuleViolation | undefined {
  return (
    signalTypeViolation(signal.type) ??
    timeViolation(signal.t) ??
    (previous === undefined ? undefined : orderViolation(signal.t as number, previous)) ??
    signalValueViolation(signal.type as AdSignalType, signal.value)
  );
}

/** The error a function taking one event throws: TypeError for a wrong type, RangeError otherwise. */
export function eventRuleError(violation: EventRuleViolation, subject = "event"): TypeError | RangeError {
  const message = `${subject}${violation.field === undefined ? "" : `.${violation.field}`}: ${violation.problem}`;
  return violation.kind === "badType" || violation.kind === "badSignalType" ? new TypeError(message) : new RangeError(message);
}
