import { describe, expect, it } from "vitest";
import { ACTION_TYPES } from "../../src/core/actionTypes.js";
import { parseSession, RecordError } from "../../src/io/parseSession.js";
import { INVALID_REASONS } from "../../src/io/sessionSchema.js";

function rejection(value: unknown): RecordError {
  try {
    parseSession(value);
  } catch (error) {
    if (error instanceof RecordError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(value)}`);
}

const T = "must be a finite number >= 0 (seconds since page load), got";

describe("parseSession (SESSION_SCHEMA)", () => {
  it("accepts every type, equal timestamps and a missing depth, and returns a clean copy", () => {
    const events = ACTION_TYPES.filter((type) => type !== "close_tab").map((type, i) => ({ type, t: Math.floor(i / 2), ...(i % 3 === 0 ? { depth: i / 10 } : {}) }));
    const parsed = parseSession({ id: "s", profile: "mobile_user", events: [...events, { type: "close_tab", t: 9 }] });
    expect(parsed).toEqual({ id: "s", profile: "mobile_user", events: [...events, { type: "close_tab", t: 9 }] });
    expect(Object.keys(parsed.events[1])).toEqual(["type", "t"]); // no depth: undefined
  });

  it("drops unknown keys: the tracker's truncated/droppedEvents and anything on events", () => {
    const line = { id: "s", truncated: true, droppedEvents: 12, events: [{ type: "click", t: 1, x: 10, text: "secret" }] };
    expect(parseSession(line)).toEqual({ id: "s", events: [{ type: "click", t: 1 }] });
  });

  // [record, field, problem, reason]
  const cases: Array<[unknown, string, string, string]> = [
    [null, "(record)", "must be a JSON object {id, profile?, events, adSignals?}, got null", INVALID_REASONS.notAnObject],
    ["text", "(record)", 'must be a JSON object {id, profile?, events, adSignals?}, got "text"', INVALID_REASONS.notAnObject],
    [{ events: [] }, "id", "must be a non-empty string, got nothing (the field is missing)", INVALID_REASONS.badId],
    [{ id: "s" }, "events", "must be an array of events, got nothing (the field is missing)", INVALID_REASONS.badEvents],
    [{ id: "s", events: [null] }, "events[0]", "must be an object {type, t, depth?}, got null", INVALID_REASONS.badEvent],
    [{ id: "s", events: [{ type: "CLICK", t: 1 }] }, "events[0].type", `must be one of ${ACTION_TYPES.join(", ")}, got "CLICK"`, INVALID_REASONS.badType],
    [{ id: "s", events: [{ t: 1 }] }, "events[0].type", `must be one of ${ACTION_TYPES.join(", ")}, got nothing (the field is missing)`, INVALID_REASONS.badType],
    [{ id: "s", events: [{ type: "click", t: NaN }] }, "events[0].t", `${T} NaN`, INVALID_REASONS.badTime],
    [{ id: "s", events: [{ type: "click", t: "Infinity" }] }, "events[0].t", `${T} "Infinity"`, INVALID_REASONS.badTime],
    [{ id: "s", events: [{ type: "click", t: JSON.parse("-1e999") }] }, "events[0].t", `${T} -Infinity`, INVALID_REASONS.badTime],
    [{ id: "s", events: [{ type: "click", t: "1" }] }, "events[0].t", `${T} "1"`, INVALID_REASONS.badTime],
    [{ id: "s", events: [{ type: "click", t: -1e-9 }] }, "events[0].t", `${T} -1e-9`, INVALID_REASONS.negativeTime],
    [{ id: "s", events: [{ type: "click", t: 1, depth: "0.5" }] }, "events[0].depth", 'must be a number in [0, 1], got "0.5"', INVALID_REASONS.badDepth],
    [{ id: "s", events: [{ type: "click", t: 1, depth: -0.01 }] }, "events[0].depth", "must be a number in [0, 1], got -0.01", INVALID_REASONS.badDepth],
    [{ id: "s", events: [{ type: "click", t: 1, depth: JSON.parse("1e999") }] }, "events[0].depth", "must be a number in [0, 1], got Infinity", INVALID_REASONS.badDepth],
    [{ id: "s", events: [{ type: "click", t: 5 }, { type: "wait", t: 4.999 }] }, "events[1].t", "must not decrease: 4.999 after 5", INVALID_REASONS.decreasingTime],
    [{ id: "s", events: [{ type: "close_tab", t: 5 }, { type: "close_tab", t: 5 }] }, "events[1]", "comes after close_tab (events[0]), which ends the session", INVALID_REASONS.afterClose],
  ];

  it.each(cases)("rejects %j: %s", (record, field, problem, reason) => {
    const error = rejection(record);
    expect(error.message).toBe(`${field}: ${problem}`);
    expect([error.field, error.problem, error.reason]).toEqual([field, problem, reason]);
  });

  it("reports the first problem in reading order, whatever kind it is", () => {
    const events = [
      { type: "click", t: 1 },
      { type: "click", t: 3 },
      { type: "click", t: 2 }, // first problem: t decreases
      { type: "swipe", t: 4 }, // later: unknown type
      { type: "click", t: -1 },
    ];
    expect(rejection({ id: "s", events }).message).toBe("events[2].t: must not decrease: 2 after 3");
    expect(rejection({ id: "", events }).message).toBe('id: must be a non-empty string, got ""'); // id comes before events
    // Within one event, type comes before t.
    expect(rejection({ id: "s", events: [{ type: "bad", t: -1 }] }).field).toBe("events[0].type");
  });

  it("measures decrease against the latest valid time, skipping events that are broken themselves", () => {
    const error = rejection({ id: "s", events: [{ type: "click", t: 7 }, { type: "click", t: "x" }, { type: "click", t: 6 }] });
    expect(error.message).toBe(`events[1].t: ${T} "x"`); // the broken event is reported first
    expect(rejection({ id: "s", events: [{ type: "click", t: 7 }, { type: "click", t: 8 }, { type: "click", t: 7.5 }] }).message).toBe(
      "events[2].t: must not decrease: 7.5 after 8",
    );
  });
});
