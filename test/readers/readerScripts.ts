/**
 * The scripted readers (docs/readers.md): each a small declarative list of timed actions on the
 * reader page (readerHarness.ts: an article with three ad slots, a 900 px viewport). Times are
 * seconds since page load, which is the tracker's t = 0. The harness turns each action into real
 * input (wheel, pointer move) or a dispatched visibility/focus change and takes a reading of the
 * live prediction every {@link READING_INTERVAL} s.
 */

/** One action: a wheel gesture of `wheel` px, the pointer moved to the margin or onto a slot fully in view, or the tab left/back. */
export type ReaderAction = { wheel: number } | { pointer: "margin" | "ad" } | { attention: boolean };

export interface ReaderStep {
  /** Seconds since page load. */
  at: number;
  action: ReaderAction;
}

export interface ReaderScript {
  name: string;
  description: string;
  /** Length of the run, seconds. */
  seconds: number;
  steps: ReaderStep[];
}

/** Seconds between two readings (the panel itself refreshes every second and on every action). */
export const READING_INTERVAL = 0.5;

/** `pattern` (offsets within one period) repeated every `period` seconds from `from` until `until` (exclusive). */
function every(period: number, from: number, until: number, pattern: Array<[number, ReaderAction]>): ReaderStep[] {
  const steps: ReaderStep[] = [];
  for (let start = from; start < until; start += period) {
    for (const [offset, action] of pattern) if (start + offset < until) steps.push({ at: round(start + offset), action });
  }
  return steps;
}

const round = (s: number) => Math.round(s * 1000) / 1000;
const MARGIN: ReaderStep = { at: 0, action: { pointer: "margin" } };

/** Two 150 px gestures half a second apart, then still for each pause in turn. */
function slowBlocks(pauses: number[]): ReaderStep[] {
  const steps: ReaderStep[] = [];
  let at = 0;
  for (const pause of [...pauses, 0]) {
    steps.push({ at: round(at), action: { wheel: 150 } }, { at: round(at + 0.5), action: { wheel: 150 } });
    at += 0.5 + pause;
  }
  return steps;
}

export const READERS: readonly ReaderScript[] = [
  {
    name: "steady",
    description: "parked at the top (no ad in view), pointer in the margin, 60 px down and back up every second for 40 s",
    seconds: 40,
    steps: [MARGIN, ...every(1, 0, 40, [[0, { wheel: 60 }], [0.5, { wheel: -60 }]])],
  },
  {
    name: "quick",
    description: "pointer in the margin, 150 px down every second through the article for 30 s (passes two ad slots)",
    seconds: 30,
    steps: [MARGIN, ...every(1, 0, 30, [[0, { wheel: 150 }]])],
  },
  {
    name: "slow",
    description: "pointer in the margin, two 150 px gestures, then still for 8, 12 and 15 s, for 40 s (the third block brings the first slot into view for the 15 s pause)",
    seconds: 40,
    steps: [MARGIN, ...slowBlocks([8, 12, 15])],
  },
  {
    name: "tabSwitcher",
    description: "at the top, pointer in the margin; every 8 s: 100 px down, up, down, the tab hidden and blurred for 3 s, back, up; 40 s",
    seconds: 40,
    steps: [
      MARGIN,
      ...every(8, 0, 40, [
        [0, { wheel: 100 }],
        [1, { wheel: -100 }],
        [2, { wheel: 100 }],
        [3, { attention: false }],
        [6, { attention: true }],
        [7, { wheel: -100 }],
      ]),
    ],
  },
  {
    name: "adRester",
    description: "four 320 px gestures bring the first slot to mid-screen, then the pointer rests on it (viewable) until 40 s",
    seconds: 40,
    steps: [MARGIN, ...every(0.5, 0, 2, [[0, { wheel: 320 }]]), { at: 2.5, action: { pointer: "ad" } }],
  },
];
