import { useContext, useMemo, useSyncExternalStore } from "react";
import type { InteractionTracker } from "../tracker/interactionTracker.js";
import { PrivAdsContext } from "./privAdsContext.js";
import { DETACHED_STORE } from "./privAdsStore.js";

/** What `usePrivAds()` returns. */
export interface PrivAdsHandle {
  /** The running tracker; null before the provider has mounted (and on the server). */
  tracker: InteractionTracker | null;
  /** The session so far as one JSON Lines Session line, or null without a tracker. */
  exportSession(id?: string): string | null;
  /** Offers the session as a `.jsonl` download (no network); false when not possible. */
  downloadSession(filename?: string): boolean;
}

/** Access to the tracker of the nearest `<PrivAdsProvider>`, e.g. to export the session. */
export function usePrivAds(): PrivAdsHandle {
  const store = useContext(PrivAdsContext) ?? DETACHED_STORE;
  const tracker = useSyncExternalStore(
    store.subscribe,
    () => store.getState().tracker,
    () => null,
  );
  return useMemo(
    () => ({
      tracker,
      exportSession: (id?: string) => (tracker ? tracker.exportSession(id) : null),
      downloadSession: (filename?: string) => (tracker ? tracker.downloadSession(filename) : false),
    }),
    [tracker],
  );
}
