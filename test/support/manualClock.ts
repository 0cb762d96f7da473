// A manual clock and timers for pages under test (bundled into them): time moves only when the
// scenario says so, and due callbacks run in time order, as the browser would run them.

type Timer = { at: number; id: number; cb: () => void; every?: number };

/** A manual clock: `advance(ms)` runs the due timers in time order. */
export function manualClock() {
  const state = { ms: 0, nextId: 1, timers: new Map<number, Timer>() };
  const add = (cb: () => void, delay: number, every?: number) => {
    const id = state.nextId++;
    state.timers.set(id, { at: state.ms + Math.max(0, delay), id, cb, every });
    return id;
  };
  return {
    now: () => state.ms,
    pending: () => state.timers.size,
    advance(dt: number) {
      const target = state.ms + dt;
      for (;;) {
        let due: Timer | undefined;
        for (const timer of state.timers.values()) if (timer.at <= target && (!due || timer.at < due.at || (timer.at === due.at && timer.id < due.id))) due = timer;
        if (!due) break;
        state.ms = Math.max(state.ms, due.at);
        if (due.every) due.at += due.every;
        else state.timers.delete(due.id);
        due.cb();
      }
      state.ms = target;
    },
    timers: {
      setTimeout: (cb: () => void, ms: number) => add(cb, ms),
      clearTimeout: (id: unknown) => void state.timers.delete(id as number),
      setInterval: (cb: () => void, ms: number) => add(cb, ms, Math.max(1, ms)),
      clearInterval: (id: unknown) => void state.timers.delete(id as number),
    },
  };
}

/** The clock `manualClock()` returns. */
export type ManualClock = ReturnType<typeof manualClock>;
