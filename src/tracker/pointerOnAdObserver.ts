import { AD_SLOT_ATTRIBUTE, SLOT_MUTATIONS } from "./adViewabilityObserver.js";
import { startAdSignalSource, type AdSignalSourceOptions } from "./adSignalSource.js";
import { closestMatch } from "./closestMatch.js";
import { PASSIVE_CAPTURE } from "./ownProperties.js";
import { watchPageAttention } from "./pageAttention.js";

export type PointerOnAdObserverOptions = AdSignalSourceOptions;

/** A running observer. */
export interface PointerOnAdObserver {
  /** Removes every listener; a 1 is first brought back to 0 (see docs/ad-signals.md). */
  stop(): void;
  /** The current value of `pointer_on_ad`: the last value emitted. */
  value(): 0 | 1;
}

const STOPPED: PointerOnAdObserver = { stop() {}, value: () => 0 };

/**
 * Emits `pointer_on_ad` (docs/ad-signals.md): 1 while a mouse or pen pointer is inside a
 * `data-privads-ad` slot of a visible, focused page, else 0, one record per change.
 *
 * Delegated `pointerover`/`pointerout` listeners on the document (capture, passive) follow the
 * slot under the pointer even while the window is blurred or hidden, so the value comes back
 * to 1 on focus when the pointer never left the ad. Touch pointers are ignored: a tap is not a
 * hover, and touch-only devices never set the signal. A slot removed from under a still pointer
 * fires no pointer event, so while the pointer is on a slot a MutationObserver watches for its
 * removal. The slot is held only as a transient reference; nothing about it is recorded.
 * Every callback is guarded: errors are reported, never thrown into the page.
 */
export function observePointerOnAd(options: PointerOnAdObserverOptions): PointerOnAdObserver {
  return startAdSignalSource(options, "PointerOnAdObserver", STOPPED, ({ guard, emit, stop }) => {
    const win = options.window as (Window & typeof globalThis) | undefined;
    const doc = win?.document;
    if (!win || !doc) return STOPPED;
    const selector = `[${AD_SLOT_ATTRIBUTE}]`;

    let slot: Element | null = null;
    let emitted: 0 | 1 = 0;

    const flush = (): void => {
      const value: 0 | 1 = slot !== null && attention.attentive ? 1 : 0;
      if (value === emitted) return;
      emitted = value;
      emit("pointer_on_ad", value);
    };

    const onSlotMutation = guard(() => {
      if (slot !== null && (!slot.isConnected || !slot.hasAttribute(AD_SLOT_ATTRIBUTE))) setSlot(null);
    });
    const MO = win.MutationObserver;
    const removals = typeof MO === "function" ? new MO(onSlotMutation) : undefined;

    const setSlot = (next: Element | null): void => {
      if (next === slot) return;
      // Watch the DOM only while the pointer is on a slot: one check per mutation batch then, none otherwise.
      if (slot === null && next !== null) {
        removals?.observe(doc, SLOT_MUTATIONS);
      } else if (slot !== null && next === null) {
        removals?.disconnect();
      }
      slot = next;
      flush();
    };

    const isTouch = (event: Event): boolean => (event as PointerEvent).pointerType === "touch";

    const onPointerOver = guard((event: Event) => {
      if (!isTouch(event)) setSlot(closestMatch(event.target, selector));
    });
    // relatedTarget null: the pointer left the page (or entered browser chrome).
    const onPointerOut = guard((event: Event) => {
      if (!isTouch(event)) setSlot(closestMatch((event as PointerEvent).relatedTarget, selector));
    });
    doc.addEventListener("pointerover", onPointerOver, PASSIVE_CAPTURE);
    doc.addEventListener("pointerout", onPointerOut, PASSIVE_CAPTURE);
    const attention = watchPageAttention(win, doc, guard, flush);

    return {
      stop: () =>
        stop(() => {
          doc.removeEventListener("pointerover", onPointerOver, true);
          doc.removeEventListener("pointerout", onPointerOut, true);
          attention.stop();
          removals?.disconnect();
          // Nobody follows the pointer any more: the record must not keep claiming it is on an ad.
          slot = null;
          flush();
        }),
      value: () => emitted,
    };
  });
}
