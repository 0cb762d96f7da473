import type { Session } from "../core/session.js";
import type { WindowConfig } from "../core/windowConfig.js";
import { type WindowDataset, WindowDatasetBuilder } from "../dataset/windowDataset.js";

/** Windows of every session of a (possibly streamed) source, e.g. a JSON Lines file. */
export async function datasetFromSessions(sessions: AsyncIterable<Session> | Iterable<Session>, window: Partial<WindowConfig> = {}): Promise<WindowDataset> {
  const builder = new WindowDatasetBuilder(window);
  for await (const session of sessions) builder.addSession(session);
  return builder.build();
}
