// The session log has no DOM: plain Node, no happy-dom.
import { describe, expect, it } from "vitest";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";
import { SessionLog } from "../../src/tracker/sessionLog.js";

function logOf(events: InteractionEvent[], options: Partial<ConstructorParameters<typeof SessionLog>[0]> = {}): SessionLog {
  const log = new SessionLog({ retainSeconds: 10, maxLogEvents: 100, onError: () => {}, ...options });
  for (const event of events) log.record({ ...event });
  return log;
}

describe("SessionLog", () => {
  it("counts every type, zeros included, in the contract order", () => {
    const log = logOf([
      { type: "click", t: 1 },
      { type: "click", t: 2 },
      { type: "blur_window", t: 3 },
    ]);
    const { counts } = log.stats();
    expect(Object.entries(counts)).toEqual([
      ["scroll_down", 0],
      ["scroll_up", 0],
      ["click", 2],
      ["hover", 0],
      ["wait", 0],
      ["focus_window", 0],
      ["blur_window", 1],
      ["close_tab", 0],
      ["click_ad", 0],
    ]);
  });

  it("keeps retainSeconds of events, preceded by the latest dropped depth and focus events in session order", () => {
    // retainSeconds 10: at t = 20 everything at or before t = 10 leaves the retained span.
    const log = logOf([
      { type: "scroll_down", t: 0, depth: 0.25 },
      { type: "blur_window", t: 1 },
      { type: "scroll_down", t: 2, depth: 0.5 },
      { type: "click", t: 3 },
      { type: "click", t: 15 },
      { type: "click", t: 20 },
    ]);
    expect(log.events()).toEqual([
      { type: "blur_window", t: 1 },
      { type: "scroll_down", t: 2, depth: 0.5 },
      { type: "click", t: 15 },
      { type: "click", t: 20 },
    ]);
    expect(log.stats()).toMatchObject({ retained: 2, logged: 6, droppedFromLog: 0 });
    expect(log.isFocused).toBe(false);
    expect(log.lastT).toBe(20);
  });

  it("an event that carries both states is kept once", () => {
    const log = logOf([
      { type: "focus_window", t: 0, depth: 0.3 },
      { type: "click", t: 11 },
    ]);
    expect(log.events()).toEqual([
      { type: "focus_window", t: 0, depth: 0.3 },
      { type: "click", t: 11 },
    ]);
  });

  it("caps the export log, dropping the oldest and flagging it", () => {
    const log = logOf(
      [
        { type: "click", t: 1 },
        { type: "hover", t: 2 },
        { type: "click_ad", t: 3 },
      ],
      { maxLogEvents: 2 },
    );
    expect(log.toSession("s")).toEqual({
      id: "s",
      events: [
        { type: "hover", t: 2 },
        { type: "click_ad", t: 3 },
      ],
      truncated: true,
      droppedEvents: 1,
    });
    expect(log.stats()).toMatchObject({ logged: 2, droppedFromLog: 1 });
  });

  it("freezes events and tells every subscriber, even after one throws", () => {
    const errors: unknown[] = [];
    const log = new SessionLog({ retainSeconds: 10, maxLogEvents: 100, onError: (error) => errors.push(error) });
    const seen: InteractionEvent[] = [];
    log.subscribe(() => {
      throw new Error("subscriber bug");
    });
    const unsubscribe = log.subscribe((event) => seen.push(event));
    log.record({ type: "click", t: 1 });
    unsubscribe();
    log.record({ type: "click", t: 2 });
    expect(seen).toEqual([{ type: "click", t: 1 }]);
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect(errors).toHaveLength(2);
  });
});
