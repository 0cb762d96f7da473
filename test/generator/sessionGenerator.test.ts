import { describe, expect, it } from "vitest";
import { PROFILE_NAMES } from "../../src/core/session.js";
import { withWaits } from "../../src/core/waitRule.js";
import { BEHAVIOUR_PROFILES } from "../../src/generator/behaviourProfiles.js";
import { SeededRandom } from "../../src/random/seededRandom.js";
import { generateSession, SyntheticGenerator } from "../../src/generator/sessionGenerator.js";
import type { GeneratedSession } from "../../src/generator/sessionGenerator.js";

function take(generator: SyntheticGenerator, n: number): GeneratedSession[] {
  return Array.from({ length: n }, () => generator.next());
}

describe("SyntheticGenerator", () => {
  it("gives byte-identical sessions for the same seed and different ones for another seed", () => {
    const a = JSON.stringify(take(new SyntheticGenerator(42), 150));
    const b = JSON.stringify(take(new SyntheticGenerator(42), 150));
    const c = JSON.stringify(take(new SyntheticGenerator(43), 150));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it("defaults to seed 42 and names sessions s000001, s000002, ...", () => {
    const generator = new SyntheticGenerator();
    expect(generator.seed).toBe(42);
    expect(take(generator, 3).map((g) => g.session.id)).toEqual(["s000001", "s000002", "s000003"]);
    expect(generator.count).toBe(3);
    expect(JSON.stringify(new SyntheticGenerator().next())).toBe(JSON.stringify(new SyntheticGenerator(42).next()));
  });

  it("rejects a bad seed", () => {
    expect(() => new SyntheticGenerator(-1)).toThrow(RangeError);
  });

  it("picks profiles by population share", () => {
    const n = 4000;
    const counts = new Map<string, number>();
    const generator = new SyntheticGenerator(5, { maxSessionSeconds: 20 }); // short sessions: this test is about profiles
    for (let i = 0; i < n; i++) {
      const profile = generator.next().session.profile ?? "";
      counts.set(profile, (counts.get(profile) ?? 0) + 1);
    }
    let shareSum = 0;
    for (const name of PROFILE_NAMES) {
      const p = BEHAVIOUR_PROFILES[name].share;
      shareSum += p;
      expect(Math.abs((counts.get(name) ?? 0) / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
    expect(shareSum).toBeCloseTo(1, 12);
  });
});

describe("generated sessions", () => {
  const sessions = take(new SyntheticGenerator(7), 300);

  it("follow the shared wait rule exactly", () => {
    for (const { session } of sessions) {
      const observed = session.events.filter((e) => e.type !== "wait");
      expect(withWaits(observed)).toEqual(session.events);
    }
  });

  it("have non-decreasing times, depth in [0, 1] on every observed action, and close_tab last and once", () => {
    for (const { session, params } of sessions) {
      const events = session.events;
      expect(session.profile).toBe(params.profile);
      expect(events.filter((e) => e.type === "close_tab")).toHaveLength(1);
      expect(events.at(-1)?.type).toBe("close_tab");
      expect(events.at(-1)?.t).toBeLessThanOrEqual(params.maxSessionSeconds);
      for (let i = 0; i < events.length; i++) {
        const e = events[i];
        expect(e.t).toBeGreaterThanOrEqual(i === 0 ? 0 : events[i - 1].t);
        if (e.type === "wait") {
          expect(e.depth).toBeUndefined();
        } else {
          expect(e.depth).toBeGreaterThanOrEqual(0);
          expect(e.depth).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it("alternate blur_window and focus_window, starting with a blur (the page loads focused)", () => {
    for (const { session } of sessions) {
      const focusEvents = session.events.filter((e) => e.type === "blur_window" || e.type === "focus_window");
      focusEvents.forEach((e, i) => expect(e.type).toBe(i % 2 === 0 ? "blur_window" : "focus_window"));
    }
  });

  it("only click, scroll or hover while focused", () => {
    for (const { session } of sessions) {
      let focused = true;
      for (const e of session.events) {
        if (e.type === "blur_window") focused = false;
        else if (e.type === "focus_window") focused = true;
        else if (e.type !== "wait" && e.type !== "close_tab") expect(focused).toBe(true);
      }
    }
  });
});

describe("generateSession", () => {
  it("is a function of the stream: the same seed gives the same session", () => {
    const a = generateSession("a", "click_happy", new SeededRandom(3));
    const b = generateSession("a", "click_happy", new SeededRandom(3));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.params.profile).toBe("click_happy");
    expect(a.params.scrollPattern).toBe(BEHAVIOUR_PROFILES.click_happy.scrollPattern);
  });

  it("snapshots the state at every multiple of snapshotEvery before the end, without changing the session", () => {
    for (let seed = 0; seed < 30; seed++) {
      const profile = PROFILE_NAMES[seed % PROFILE_NAMES.length];
      const plain = generateSession("x", profile, new SeededRandom(seed));
      const withSnapshots = generateSession("x", profile, new SeededRandom(seed), { snapshotEvery: 10 });
      expect(withSnapshots.session).toEqual(plain.session);
      expect(plain.snapshots).toBeUndefined();
      const events = plain.session.events;
      const end = events[events.length - 1].t;
      const snapshots = withSnapshots.snapshots ?? [];
      expect(snapshots.map((s) => s.t)).toEqual(Array.from({ length: Math.ceil(end / 10) - 1 }, (_, i) => 10 * (i + 1)));
      for (const { t, state } of snapshots) {
        expect(state.t).toBe(t);
        expect(state.closed).toBe(false);
        expect(JSON.parse(JSON.stringify(state))).toEqual(state);
        const before = events.filter((e) => e.t <= t && e.type !== "wait");
        expect(state.lastActionTime).toBe(before.at(-1)?.t ?? 0);
        expect(state.depth).toBe(before.at(-1)?.depth ?? 0);
        expect(state.adClicks).toBe(before.filter((e) => e.type === "click_ad").length);
      }
      // Snapshots are copies, not views of the live state.
      if (snapshots.length >= 2) expect(snapshots[0].state).not.toBe(snapshots[1].state);
    }
  });

  it("honours the session length guard", () => {
    const generator = new SyntheticGenerator(1, { maxSessionSeconds: 30 });
    for (const { session } of take(generator, 200)) {
      expect(session.events.at(-1)).toMatchObject({ type: "close_tab" });
      expect(session.events.at(-1)?.t).toBeLessThanOrEqual(30);
    }
  });

  it.each([0, -10, 0.3, Number.NaN, Number.POSITIVE_INFINITY])("rejects snapshotEvery = %s", (every) => {
    expect(() => generateSession("x", "rushed_reader", new SeededRandom(1), { snapshotEvery: every })).toThrow(RangeError);
  });

  it("rejects an unknown profile and a bad guard", () => {
    expect(() => generateSession("x", "nobody" as never, new SeededRandom(1))).toThrow(/nobody/);
    expect(() => generateSession("x", "rushed_reader", new SeededRandom(1), { maxSessionSeconds: 0 })).toThrow(RangeError);
  });
});
