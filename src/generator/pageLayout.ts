import type { SeededRandom } from "../random/seededRandom.js";

/**
 * The synthetic page's viewport model: an ad slot is on screen while the scroll position is
 * within this distance of the slot's depth (the viewport spans about 0.16 of the page).
 */
export const AD_VISIBLE_RADIUS = 0.08;

/**
 * Smallest distance between two slots of a drawn layout. It exceeds the viewport (2 x
 * AD_VISIBLE_RADIUS), so at most one slot is on screen at a time: one viewability timer per
 * user suffices, and `ads_in_view` is 0 or 1 on synthetic pages.
 */
export const AD_SLOT_MIN_SPACING = 0.18;

/** Slots are drawn inside this range of depths (no slot at the very top or bottom). */
export const AD_SLOT_RANGE: readonly [number, number] = Object.freeze([0.1, 0.9]) as readonly [number, number];

/** Chance of a layout with 1, 2, 3, 4, 5 ad slots (mean 3, the old fixed layout's count). */
export const AD_SLOT_COUNT_WEIGHTS: readonly number[] = Object.freeze([0.1, 0.25, 0.3, 0.25, 0.1]);

/**
 * The layout of contract v1, when every page had slots at 0.15, 0.45 and 0.75. Generated
 * sessions draw their own (`drawAdSlotDepths`); this is only what a hand-built
 * `UserParameters` without `adSlotDepths` gets.
 */
export const FIXED_AD_SLOT_DEPTHS: readonly number[] = Object.freeze([0.15, 0.45, 0.75]);

/**
 * Draws one page's ad slot depths, ascending: a slot count from AD_SLOT_COUNT_WEIGHTS, then
 * depths uniform over all placements inside AD_SLOT_RANGE that keep AD_SLOT_MIN_SPACING (sorted
 * uniforms on the range shortened by the spacings, each shifted by its rank times the spacing).
 * Depths are rounded to 1e-4, as scroll depths are. Draw order is fixed: one categorical, then
 * one uniform per slot.
 */
export function drawAdSlotDepths(rng: SeededRandom): number[] {
  const count = 1 + rng.categorical(AD_SLOT_COUNT_WEIGHTS);
  const [lo, hi] = AD_SLOT_RANGE;
  const free = hi - lo - (count - 1) * AD_SLOT_MIN_SPACING;
  const offsets = Array.from({ length: count }, () => rng.uniform() * free).sort((a, b) => a - b);
  return offsets.map((u, i) => Math.round((lo + u + i * AD_SLOT_MIN_SPACING) * 10000) / 10000);
}

/**
 * Index of the ad slot on screen at scroll position `depth` (the first one, should a hand-made
 * layout put two on screen), or -1 when none is.
 */
export function adSlotOnScreen(slotDepths: readonly number[], depth: number): number {
  for (let i = 0; i < slotDepths.length; i++) if (Math.abs(depth - slotDepths[i]) <= AD_VISIBLE_RADIUS) return i;
  return -1;
}

/** Whether an ad slot of the layout is on screen at scroll position `depth`. */
export function isAdVisible(slotDepths: readonly number[], depth: number): boolean {
  return adSlotOnScreen(slotDepths, depth) >= 0;
}
