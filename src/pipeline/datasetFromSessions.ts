import { DEFAULT_FEATURE_SET, type FeatureSetName } from "../core/featureNames.js";
import type { Session } from "../core/session.js";
import type { WindowConfig } from "../core/windowConfig.js";
import { type WindowDataset, WindowDatasetBuilder } from "../dataset/windowDataset.js";

/**
 * Windows of every session of a (possibly streamed) source, e.g. a JSON Lines file, under a
 * feature set (a session without ad signals under `ads` throws: read files with
 * `requireAdSignals` so the error names file and line).
 */
export async function datasetFromSessions(
  sessions: AsyncIterable<Session> | Iterable<Session>,
  window: Partial<WindowConfig> = {},
  featureSet: FeatureSetName = DEFAULT_FEATURE_SET,
): Promise<WindowDataset> {
  const builder = new WindowDatasetBuilder(window, featureSet);
  for await (const session of sessions) builder.addSession(session);
  return builder.build();
}
