/**
 * The nine interaction types, in the one order used everywhere: feature vectors,
 * one-hot tables, docs and file formats.
 */
export const ACTION_TYPES = [
  "scroll_down",
  "scroll_up",
  "click",
  "hover",
  "wait",
  "focus_window",
  "blur_window",
  "close_tab",
  "click_ad",
] as const;

export type ActionType = (typeof ACTION_TYPES)[number];

/** Position of each action type in {@link ACTION_TYPES}. */
export const ACTION_INDEX: Readonly<Record<ActionType, number>> = Object.freeze(
  Object.fromEntries(ACTION_TYPES.map((type, i) => [type, i])) as Record<ActionType, number>,
);

export function isActionType(value: unknown): value is ActionType {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(ACTION_INDEX, value);
}
