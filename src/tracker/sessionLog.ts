import { ACTION_TYPES, type ActionType } from "../core/actionTypes.js";
import type { AdSignal } from "../core/adSignal.js";
import { CarriedState } from "../core/carriedState.js";
import type { InteractionEvent } from "../core/interactionEvent.js";
import type { Session } from "../core/session.js";
import { EventQueue } from "./eventQueue.js";
import { bare } from "./ownProperties.js";

/** The export line: a Session (docs/browser.md), plus a flag when the log overflowed. */
export interface ExportedSession extends Session {
  truncated?: true;
  droppedEvents?: number;
  droppedAdSignals?: number;
}

/** Event bookkeeping, for monitoring (no event content). */
export interface SessionLogStats {
  /** Events recorded since start, by type. */
  counts: Record<ActionType, number>;
  /** Events held for `getEvents()`. */
  retained: number;
  /** Events held for `exportSession()`. */
  logged: number;
  /** Events dropped from the export log because of `maxLogEvents`. */
  droppedFromLog: number;
  /** Ad signal records held for `adSignals()` and for the export. */
  retainedAdSignals: number;
  loggedAdSignals: number;
}

export interface SessionLogOptions {
  /** Seconds of events kept for `events()`. */
  retainSeconds: number;
  /** Events kept for the export; the oldest are dropped beyond it. */
  maxLogEvents: number;
  /** Where a throwing subscriber's error goes (it never stops the others). */
  onError(error: unknown): void;
}

const emptyCounts = (): Record<ActionType, number> => Object.fromEntries(ACTION_TYPES.map((type) => [type, 0])) as Record<ActionType, number>;

/**
 * The recorded session, without any DOM: a bounded span of recent events for live features,
 * a capped log for export, counters and subscribers. Events are frozen once recorded.
 */
export class SessionLog {
  readonly #retainedSignals = new EventQueue<AdSignal>();
  readonly #signalLog = new EventQueue<AdSignal>();
  /** The latest dropped record of each signal type: the value the retained span starts from. */
  readonly #carriedSignals = new Map<AdSignal["type"], AdSignal>();
  #signalListeners = new Set<(signal: AdSignal) => void>();
  #droppedSignals = 0;
  #latestSignalT = 0;
  /** Whether ad signals were observed at all: an export then carries `adSignals`, even empty. */
  observingAds = false;
  readonly #retained = new EventQueue<InteractionEvent>();
  readonly #log = new EventQueue<InteractionEvent>();
  /** What the events dropped from the retained span still carry (focus state, depth). */
  readonly #carried = new CarriedState<InteractionEvent>();
  readonly #counts = emptyCounts();
  #listeners = new Set<(event: InteractionEvent) => void>();
  #droppedFromLog = 0;
  #latestT = 0;
  #focused = true;

  readonly #options: SessionLogOptions;

  constructor(options: SessionLogOptions) {
    this.#options = options;
  }

  /** Time of the latest event (0 before any). */
  get lastT(): number {
    return this.#latestT;
  }

  /** The focus state the events leave: false from a `blur_window` until the next `focus_window` (sessions start focused). */
  get isFocused(): boolean {
    return this.#focused;
  }

  /** Calls `listener` with every later event; returns the unsubscribe function. */
  subscribe(listener: (event: InteractionEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Appends the next event (time order is the caller's job) and tells the subscribers. The
   * record kept is a frozen copy without a prototype (src/tracker/ownProperties.ts): a
   * depth-less event reads no depth even on a page that polluted `Object.prototype`.
   */
  record(fields: InteractionEvent): void {
    const event = Object.freeze(bare(fields));
    this.#latestT = event.t;
    this.#counts[event.type]++;
    if (event.type === "focus_window" || event.type === "blur_window") this.#focused = event.type === "focus_window";
    this.#retained.push(event);
    const cutoff = event.t - this.#options.retainSeconds;
    for (let old = this.#retained.peek(); old !== undefined && old.t <= cutoff; old = this.#retained.peek()) {
      this.#retained.shift();
      this.#carried.drop(old.type, old.depth, old);
    }
    this.#log.push(event);
    if (this.#log.size > this.#options.maxLogEvents) {
      this.#log.shift();
      this.#droppedFromLog++;
    }
    this.#notify(this.#listeners, event);
  }

  /** Calls `listener` with every later ad signal; returns the unsubscribe function. */
  subscribeAdSignals(listener: (signal: AdSignal) => void): () => void {
    this.#signalListeners.add(listener);
    return () => {
      this.#signalListeners.delete(listener);
    };
  }

  /** Appends the next ad signal (never earlier than the previous one) and tells the subscribers. */
  recordSignal(signal: AdSignal): void {
    const record = Object.freeze(bare({ type: signal.type, t: Math.max(signal.t, this.#latestSignalT), value: signal.value }));
    this.#latestSignalT = record.t;
    this.#retainedSignals.push(record);
    const cutoff = record.t - this.#options.retainSeconds;
    for (let old = this.#retainedSignals.peek(); old !== undefined && old.t <= cutoff; old = this.#retainedSignals.peek()) {
      this.#retainedSignals.shift();
      this.#carriedSignals.set(old.type, old);
    }
    this.#signalLog.push(record);
    if (this.#signalLog.size > this.#options.maxLogEvents) {
      this.#signalLog.shift();
      this.#droppedSignals++;
    }
    this.#notify(this.#signalListeners, record);
  }

  /** Tells every listener; a throwing one is reported and never stops the others. */
  #notify<T>(listeners: ReadonlySet<(record: T) => void>, record: T): void {
    for (const listener of listeners) {
      try {
        listener(record);
      } catch (error) {
        this.#options.onError(error);
      }
    }
  }

  /** The retained ad signals, preceded by the latest older record of each type (the state they start from). */
  adSignals(): AdSignal[] {
    const carried = [...this.#carriedSignals.values()].sort((a, b) => a.t - b.t);
    return carried.concat(this.#retainedSignals.toArray());
  }

  /** The retained events, preceded by the at most two older ones that still carry state. */
  events(): InteractionEvent[] {
    return this.#carried.carriers().concat(this.#retained.toArray());
  }

  /** A new, empty log with the same options and subscribers: nothing recorded here is kept (consent withdrawn). */
  cleared(): SessionLog {
    const log = new SessionLog(this.#options);
    log.#listeners = this.#listeners;
    log.#signalListeners = this.#signalListeners;
    return log;
  }

  stats(): SessionLogStats {
    return {
      counts: { ...this.#counts },
      retained: this.#retained.size,
      logged: this.#log.size,
      droppedFromLog: this.#droppedFromLog,
      retainedAdSignals: this.#retainedSignals.size,
      loggedAdSignals: this.#signalLog.size,
    };
  }

  /** The export log as a Session, flagged when its oldest events were dropped. */
  toSession(id: string): ExportedSession {
    const session: ExportedSession = { id, events: this.#log.toArray() };
    if (this.observingAds) session.adSignals = this.#signalLog.toArray();
    if (this.#droppedFromLog > 0 || this.#droppedSignals > 0) {
      session.truncated = true;
      session.droppedEvents = this.#droppedFromLog;
      if (this.#droppedSignals > 0) session.droppedAdSignals = this.#droppedSignals;
    }
    return session;
  }
}
