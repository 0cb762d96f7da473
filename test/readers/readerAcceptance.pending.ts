import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InteractionModel } from "../../src/core/interactionModel.js";
import type { ReaderTrace } from "../../src/evaluation/readerTraces.js";
import { checkNoAd, checkOnAd, describeNoAd, describeOnAd, trainingPositiveRate } from "./readerAcceptance.js";
import { loadReaderModel, readerModelPath, startReaderSite, type ReaderSite } from "./readerHarness.js";
import { READERS } from "./readerScripts.js";

/**
 * The acceptance criteria on the probability the live prediction shows the scripted readers
 * (docs/readers.md). They fail with today's model and runtime; they are expected to pass once
 * the model is clamped to its training domain and the live windows match the training ones.
 *
 * Pending: run it with `npx vitest run --config test/readers/vitest.pending.config.ts`
 * (`PRIVADS_ADS_MODEL=<model.json>` scores another model). To enable it in `npm test`, rename
 * it to readerAcceptance.chromium.test.ts and add it to CHROMIUM_TESTS in vitest.config.ts.
 */

let model: InteractionModel;
let site: ReaderSite;
const traces = new Map<string, ReaderTrace>();

beforeAll(async () => {
  model = await loadReaderModel();
  site = await startReaderSite(model, readerModelPath());
  for (const script of READERS) traces.set(script.name, await site.run(script));
}, 180_000);

afterAll(async () => {
  await site?.close();
});

describe("the probability shown to scripted readers", () => {
  for (const script of READERS.filter((r) => r.name !== "adRester")) {
    it(`${script.name}: after 10 s, with no slot half visible for 5 s and the pointer off ads, at most 3x the training positive rate`, () => {
      const check = checkNoAd(traces.get(script.name)!, trainingPositiveRate(model));
      expect(check.judged, `${script.name} has readings to judge`).toBeGreaterThan(0);
      expect(check.over.map((r) => [r.t, r.probability]), describeNoAd(check)).toEqual([]);
    });
  }

  it("the reader resting on a viewable ad gets at least 3x the steady reader's probability, at every reading after 10 s", () => {
    const check = checkOnAd(traces.get("adRester")!, traces.get("steady")!);
    expect(check.judged).toBeGreaterThan(0);
    expect(check.short, describeOnAd(check)).toEqual([]);
  });
});
