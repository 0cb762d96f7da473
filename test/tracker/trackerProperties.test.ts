// @vitest-environment happy-dom
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FEATURE_NAMES } from "../../src/core/featureNames.js";
import { extractSlidingWindowFeatures } from "../../src/core/slidingWindowExtractor.js";
import { withWaits } from "../../src/core/waitRule.js";
import { parseSession } from "../../src/io/parseSession.js";
import { createLivePrediction } from "../../src/tracker/liveClickPrediction.js";
import { buildPage, click, makeScrollable, pointerMove, scrollTo, setVisibility, startTracker } from "./trackerHarness.js";

type Step =
  | { kind: "scroll"; top: number }
  | { kind: "click"; target: "paragraph" | "link" | "ad" | "adButton" }
  | { kind: "pointer"; target: "paragraph" | "link" | "button" | "ad" | null }
  | { kind: "blur" | "focus" | "hide" | "show" }
  | { kind: "idle" };

const stepArb: fc.Arbitrary<{ step: Step; delay: number }> = fc.record({
  step: fc.oneof(
    fc.record({ kind: fc.constant("scroll" as const), top: fc.integer({ min: 0, max: 1200 }) }),
    fc.record({ kind: fc.constant("click" as const), target: fc.constantFrom("paragraph" as const, "link" as const, "ad" as const, "adButton" as const) }),
    fc.record({ kind: fc.constant("pointer" as const), target: fc.constantFrom("paragraph" as const, "link" as const, "button" as const, "ad" as const, null) }),
    fc.record({ kind: fc.constantFrom("blur" as const, "focus" as const, "hide" as const, "show" as const, "idle" as const) }),
  ),
  // bursts (same instant), sub-gesture gaps, dwell-sized gaps, and long pauses
  delay: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 250 }), fc.integer({ min: 250, max: 2000 }), fc.integer({ min: 2000, max: 40_000 })),
});

afterEach(() => {
  vi.useRealTimers();
  delete (document as unknown as Record<string, unknown>).visibilityState;
  document.body.innerHTML = "";
});

describe("tracker properties (random interaction scripts)", () => {
  it("always yields a valid Session whose waits are the shared rule's, alternating focus, and live features equal batch", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), fc.boolean(), (steps, closeAtEnd) => {
        makeScrollable();
        const page = buildPage();
        const { tracker, events, advance } = startTracker();
        const live = createLivePrediction({ tracker, intervalMs: 700 });
        let pointer: Element | null = null;
        try {
          for (const { step, delay } of steps) {
            advance(delay);
            switch (step.kind) {
              case "scroll":
                scrollTo(step.top);
                break;
              case "click":
                click(page[step.target]);
                break;
              case "pointer": {
                const to = step.target === null ? null : page[step.target];
                pointerMove(pointer, to);
                pointer = to;
                break;
              }
              case "blur":
                window.dispatchEvent(new Event("blur"));
                break;
              case "focus":
                window.dispatchEvent(new Event("focus"));
                break;
              case "hide":
                setVisibility("hidden");
                break;
              case "show":
                setVisibility("visible");
                break;
              case "idle":
                break;
            }
            const snapshot = live.getSnapshot()!;
            const batch = extractSlidingWindowFeatures(tracker.getEvents(), snapshot.t);
            for (const name of FEATURE_NAMES) expect(Math.abs(snapshot.features[name] - batch[name])).toBeLessThanOrEqual(1e-9);
          }
          advance(1000);
          if (closeAtEnd) window.dispatchEvent(new Event("pagehide"));

          const session = parseSession(JSON.parse(tracker.exportSession("prop")));
          expect(session.events).toEqual(events);
          // Trailing waits run up to now: the timer wakes 1 ms after each wait time (times are whole ms).
          expect(events).toEqual(withWaits(events.filter((e) => e.type !== "wait"), tracker.currentTime() - 0.0005));
          const focusTypes = events.filter((e) => e.type === "focus_window" || e.type === "blur_window").map((e) => e.type);
          focusTypes.forEach((type, i) => expect(type).toBe(i % 2 === 0 ? "blur_window" : "focus_window"));
          for (let i = 1; i < events.length; i++) {
            const [a, b] = [events[i - 1], events[i]];
            if (a.type.startsWith("scroll_") && b.type.startsWith("scroll_")) expect(b.t).toBeGreaterThan(a.t); // gestures never split at one instant
          }
        } finally {
          live.dispose();
          tracker.stop();
          vi.useRealTimers();
        }
      }),
      { numRuns: 120 },
    );
  });
});
