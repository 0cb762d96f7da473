/** Sliding-window and label settings; stored in every model's metadata. */
export interface WindowConfig {
  /** Features look at events in `(t - windowSize, t]`, seconds. */
  windowSize: number;
  /** Offline windows end at `t = windowStep, 2 windowStep, ...` seconds. */
  windowStep: number;
  /** A window with fewer events is not scored. */
  minActions: number;
  /** Label horizon: `y(t) = 1` iff a click_ad occurs in `(t, t + horizon]`, seconds. */
  horizon: number;
}

export const DEFAULT_WINDOW_CONFIG: Readonly<WindowConfig> = Object.freeze({
  windowSize: 120,
  windowStep: 10,
  minActions: 5,
  horizon: 30,
});

/** Fills defaults and rejects values no window could use. */
export function resolveWindowConfig(partial: Partial<WindowConfig> = {}): WindowConfig {
  const config: WindowConfig = { ...DEFAULT_WINDOW_CONFIG, ...partial };
  for (const key of ["windowSize", "windowStep", "horizon"] as const) {
    const value = config[key];
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`window config ${key} must be a finite number > 0, got ${String(value)}`);
    }
  }
  if (!Number.isInteger(config.minActions) || config.minActions < 0) {
    throw new RangeError(`window config minActions must be an integer >= 0, got ${String(config.minActions)}`);
  }
  return config;
}
