import { createContext } from "react";
import type { PrivAdsStore } from "./privAdsStore.js";

/** Carries the provider's store to the hooks. @internal */
export const PrivAdsContext = createContext<PrivAdsStore | null>(null);
PrivAdsContext.displayName = "PrivAdsContext";
