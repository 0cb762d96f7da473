/**
 * Depths (0 = top, 1 = bottom) of the ad slots on the synthetic page. Fixed for every session so
 * that "near an ad" is a property of the scroll position alone.
 */
export const AD_SLOT_DEPTHS: readonly number[] = Object.freeze([0.15, 0.45, 0.75]);

const [AD_SLOT_DEPTHS_0, AD_SLOT_DEPTHS_1, AD_SLOT_DEPTHS_2] = AD_SLOT_DEPTHS;

/** An ad slot is on screen while the scroll position is within this distance of its depth. */
export const AD_VISIBLE_RADIUS = 0.08;

/** Whether an ad slot is on screen at scroll position `depth`. */
export function isAdVisible(depth: number): boolean {
  // Unrolled over AD_SLOT_DEPTHS: this runs every process tick.
  return (
    Math.abs(depth - AD_SLOT_DEPTHS_0) <= AD_VISIBLE_RADIUS ||
    Math.abs(depth - AD_SLOT_DEPTHS_1) <= AD_VISIBLE_RADIUS ||
    Math.abs(depth - AD_SLOT_DEPTHS_2) <= AD_VISIBLE_RADIUS
  );
}
