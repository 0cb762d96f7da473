import type { AdSignal } from "../core/adSignal.js";
import type { InteractionEvent } from "../core/interactionEvent.js";
import { PROFILE_NAMES } from "../core/session.js";
import type { ProfileName, Session } from "../core/session.js";
import { withWaits } from "../core/waitRule.js";
import { BEHAVIOUR_PROFILES } from "./behaviourProfiles.js";
import { drawAdSlotDepths } from "./pageLayout.js";
import { fmix32 } from "../core/randomStreams.js";
import { SeededRandom } from "../random/seededRandom.js";
import { drawUserParameters } from "./userParameters.js";
import type { UserParameters } from "./userParameters.js";
import { advanceUser, TICK_SECONDS } from "./userProcess.js";
import { initialUserState } from "./userState.js";
import type { UserState } from "./userState.js";

export interface GenerateSessionOptions {
  /**
   * When set (seconds, a positive multiple of the 0.5 s process tick, e.g. 10), the state is
   * snapshotted at every multiple of it before the session ends, for oracle roll-outs.
   */
  snapshotEvery?: number;
  /** Overrides the session length guard (seconds, default 1800). */
  maxSessionSeconds?: number;
}

/** The state of the user right after time `t` (all actions at or before `t` applied). */
export interface StateSnapshot {
  t: number;
  state: UserState;
}

export interface GeneratedSession {
  /**
   * The session as the extractor sees it: observed actions plus derived waits, ending in
   * close_tab, and its ad signal records (`adSignals`, always present, empty when no ad became
   * viewable and the pointer never rested on one).
   */
  session: Session;
  /** The user's hidden parameters, the page's ad slot depths included. */
  params: UserParameters;
  /** Deep copies of the state at each multiple of `snapshotEvery` before the session end. */
  snapshots?: StateSnapshot[];
}

function checkSnapshotEvery(value: number): void {
  const ticks = value / TICK_SECONDS;
  if (!(value > 0) || !Number.isFinite(value) || !Number.isInteger(ticks)) {
    throw new RangeError(`snapshotEvery must be a positive multiple of ${TICK_SECONDS} s, got ${String(value)}`);
  }
}

/** Distinguishes the layout streams from any other fork of a generator's stream ("layo"). */
const LAYOUT_STREAM_TAG = 0x6c61796f;

/**
 * The id of the stream a session's page layout is drawn from: a hash of the session id (FNV-1a
 * over its UTF-16 code units, then murmur3's finaliser), so each session of a generator gets its
 * own layout without a single draw taken from the shared stream.
 */
function layoutStreamId(sessionId: string): number {
  let h = 0x811c9dc5 ^ LAYOUT_STREAM_TAG;
  for (let i = 0; i < sessionId.length; i++) h = Math.imul(h ^ sessionId.charCodeAt(i), 0x01000193);
  return fmix32(h >>> 0);
}

/**
 * Simulates one session of a user of `profile`: draws the user's hidden parameters, and the
 * page's ad slot depths from `rng.fork` of a hash of `id` (so the layout takes no draw from
 * `rng`: give sessions sharing a stream distinct ids), runs the state-dependent process until
 * close_tab, and inserts the derived waits with the shared rule. All draws come from `rng`, in
 * a fixed order, so the output is a function of its state and `id`.
 */
export function generateSession(
  id: string,
  profile: ProfileName,
  rng: SeededRandom,
  options: GenerateSessionOptions = {},
): GeneratedSession {
  const profileSpec = BEHAVIOUR_PROFILES[profile];
  if (profileSpec === undefined) {
    throw new RangeError(`generateSession: unknown profile ${JSON.stringify(profile)}; valid: ${PROFILE_NAMES.join(", ")}`);
  }
  const params = drawUserParameters(profileSpec, rng);
  params.adSlotDepths = drawAdSlotDepths(rng.fork(layoutStreamId(id)));
  if (options.maxSessionSeconds !== undefined) {
    const max = options.maxSessionSeconds;
    if (!(max > 0) || !Number.isInteger(max / TICK_SECONDS)) {
      throw new RangeError(`maxSessionSeconds must be a positive multiple of ${TICK_SECONDS} s, got ${String(max)}`);
    }
    params.maxSessionSeconds = max;
  }
  const state = initialUserState(params.adSlotDepths);
  const observed: InteractionEvent[] = [];
  const emit = (event: InteractionEvent): void => {
    observed.push(event);
  };
  const adSignals: AdSignal[] = [];
  const signal = (record: AdSignal): void => {
    adSignals.push(record);
  };

  let snapshots: StateSnapshot[] | undefined;
  const every = options.snapshotEvery;
  if (every !== undefined) {
    checkSnapshotEvery(every);
    snapshots = [];
    for (let k = 1; !state.closed; k++) {
      const t = every * k;
      advanceUser(params, state, rng, t, emit, signal);
      // UserState is flat (numbers and booleans), so a spread is a full copy, ~20x cheaper than structuredClone.
      if (!state.closed) snapshots.push({ t, state: { ...state } });
    }
  } else {
    advanceUser(params, state, rng, Infinity, emit, signal);
  }

  const session: Session = { id, profile, events: withWaits(observed), adSignals };
  return snapshots === undefined ? { session, params } : { session, params, snapshots };
}

/** Cumulative profile shares in PROFILE_NAMES order, for picking a profile per session. */
const PROFILE_WEIGHTS: readonly number[] = PROFILE_NAMES.map((name) => BEHAVIOUR_PROFILES[name].share);

/**
 * An endless, reproducible stream of synthetic sessions: each call to `next()` picks a profile
 * by population share and simulates one session, all from one seeded stream. Sessions are named
 * `s000001`, `s000002`, ...
 */
export class SyntheticGenerator {
  readonly seed: number;
  readonly #rng: SeededRandom;
  readonly #options: GenerateSessionOptions;
  #count = 0;

  constructor(seed = 42, options: GenerateSessionOptions = {}) {
    this.#rng = new SeededRandom(seed);
    this.seed = seed;
    this.#options = { ...options };
  }

  /** How many sessions this generator has produced. */
  get count(): number {
    return this.#count;
  }

  /**
   * The next session. `options` override the constructor's for this session only (e.g. state
   * snapshots for just the sessions an oracle will score); they draw nothing from the stream,
   * so the sessions are the same either way.
   */
  next(options?: GenerateSessionOptions): GeneratedSession {
    const profile = PROFILE_NAMES[this.#rng.categorical(PROFILE_WEIGHTS)];
    this.#count += 1;
    const id = `s${String(this.#count).padStart(6, "0")}`;
    return generateSession(id, profile, this.#rng, options === undefined ? this.#options : { ...this.#options, ...options });
  }
}
