import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAdSignalsSite, type AdSignalsSite } from "./fixtures/adSignalsHarness.js";

// The observer runs in a real Chromium on a served page. Most tests drive it with the page-side
// manual clock (adTest.clock): intersections come from the real layout, but time moves only when
// the test says so, so every expected stream below is exact and written by hand. One test runs
// on the real clock and measures the 1 s mark.

let site: AdSignalsSite;

beforeAll(async () => {
  site = await startAdSignalsSite();
});

afterAll(async () => {
  await site?.close();
});

/** A slot 200 px tall at `top` (left 100 px unless given), see the harness's style. */
const slot = (id: string, top: number, left = 100, extra = ""): string =>
  `<div id="${id}" data-privads-ad style="top:${top}px;left:${left}px;${extra}"></div>`;

async function open(body: string, mode: "manual" | "real" | "broken-clock" = "manual"): Promise<{ page: Page; pageErrors: string[] }> {
  const opened = await site.open(body);
  await opened.page.evaluate((m) => window.adTest.startViewability(m), mode);
  return opened;
}

const advance = (page: Page, ms: number) => page.evaluate((n) => window.adTest.clock.advance(n), ms);
const show = (page: Page, id: string, share: number) => page.evaluate(([i, s]) => window.adTest.scrollToShow(i, s), [id, share] as const);
const scrollTop = (page: Page) =>
  page.evaluate(() => {
    window.scrollTo(0, 0);
    return window.adTest.ratio(document.querySelector("[data-privads-ad]")?.id ?? "");
  });
const brief = (page: Page) => page.evaluate(() => window.adTest.brief());
const view = (t: number, value: number): [string, number, number] => ["ads_in_view", t, value];

describe("ads_in_view: the MRC rule on a real layout", () => {
  it("a slot 40 % in view never counts", async () => {
    const { page, pageErrors } = await open(slot("a", 2000));
    expect(await show(page, "a", 0.4)).toBe(0.4);
    await advance(page, 10_000);
    expect(await brief(page)).toEqual([]);
    expect(await page.evaluate(() => window.adTest.count())).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("60 % in view for 0.9 s does not count; 1.1 s records 1 at the 1 s mark and 0 when it scrolls away", async () => {
    const { page } = await open(slot("a", 2000));
    await advance(page, 2000);
    expect(await show(page, "a", 0.6)).toBe(0.6); // t = 2.0
    await advance(page, 900);
    expect(await show(page, "a", 0.4)).toBe(0.4); // t = 2.9: out after 0.9 s
    await advance(page, 600);
    expect(await brief(page)).toEqual([]);

    expect(await show(page, "a", 0.6)).toBe(0.6); // t = 3.5: a new continuous second starts
    await advance(page, 999);
    expect(await brief(page)).toEqual([]);
    await advance(page, 1);
    expect(await brief(page)).toEqual([view(4.5, 1)]);
    await advance(page, 100);
    expect(await scrollTop(page)).toBe(0); // t = 4.6
    await advance(page, 5000);
    expect(await brief(page)).toEqual([view(4.5, 1), view(4.6, 0)]);
    await page.close();
  });

  it("counts two slots (one record when they complete together), then a third, and drops all at once when scrolled away", async () => {
    // a and b side by side at 2000 px, c below them at 2250 px: all three can be in view.
    const { page } = await open(slot("a", 2000) + slot("b", 2000, 500) + slot("c", 2250));
    await advance(page, 1000);
    expect(await show(page, "a", 0.6)).toBe(0.6); // t = 1: a and b at 60 %, c out
    expect(await page.evaluate(() => window.adTest.ratio("b"))).toBe(0.6);
    expect(await page.evaluate(() => window.adTest.ratio("c"))).toBe(0);
    await advance(page, 1500);
    expect(await show(page, "c", 0.6)).toBe(0.6); // t = 2.5: c joins, a and b stay fully in view
    expect(await page.evaluate(() => window.adTest.ratio("a"))).toBe(1);
    await advance(page, 1500);
    expect(await scrollTop(page)).toBe(0); // t = 4
    expect(await brief(page)).toEqual([view(2, 2), view(3.5, 3), view(4, 0)]);
    await page.close();
  });

  it("hiding the tab drops the count; showing it again starts a new second", async () => {
    const { page } = await open(slot("a", 2000));
    await show(page, "a", 0.8); // t = 0
    await advance(page, 1200);
    await page.evaluate(() => window.adTest.setVisibility("hidden")); // t = 1.2
    await advance(page, 3000);
    await page.evaluate(() => window.adTest.setVisibility("visible")); // t = 4.2
    await advance(page, 500);
    await page.evaluate(() => window.adTest.setVisibility("hidden")); // t = 4.7: only 0.5 s
    await advance(page, 300);
    await page.evaluate(() => window.adTest.setVisibility("visible")); // t = 5.0
    await advance(page, 1000);
    expect(await brief(page)).toEqual([view(1, 1), view(1.2, 0), view(6, 1)]);
    await page.close();
  });

  it("a window blur drops the count; focus back starts a new second", async () => {
    const { page } = await open(slot("a", 2000));
    await show(page, "a", 0.6);
    await advance(page, 1500); // t = 1.5
    await page.evaluate(() => window.adTest.setFocus(false));
    expect(await brief(page)).toEqual([view(1, 1), view(1.5, 0)]);
    await advance(page, 2000); // t = 3.5: blurred, nothing counts
    await page.evaluate(() => window.adTest.setFocus(true));
    await advance(page, 1000);
    expect(await brief(page)).toEqual([view(1, 1), view(1.5, 0), view(4.5, 1)]);
    await page.close();
  });

  it("removing a viewable slot drops the count at once; slots added later (nested) and moved slots are followed", async () => {
    const { page } = await open(slot("a", 2000) + `<section id="box"></section>`);
    await show(page, "a", 1);
    await advance(page, 1000); // t = 1: a counts
    const afterRemove = await page.evaluate(async () => {
      document.getElementById("a")?.remove();
      await window.adTest.settle();
      return window.adTest.brief();
    });
    expect(afterRemove).toEqual([view(1, 1), view(1, 0)]);

    await advance(page, 1000); // t = 2: a container with a nested slot arrives in view
    await page.evaluate(() => {
      const box = document.getElementById("box") as HTMLElement;
      box.innerHTML = `<div><div><div id="n" data-privads-ad style="top:${window.scrollY + 100}px"></div></div></div>`;
    });
    expect(await page.evaluate(() => window.adTest.ratio("n"))).toBe(1);
    await advance(page, 1000); // t = 3
    // Moving the slot to another parent (still in view) keeps it counted: no record.
    await page.evaluate(async () => {
      document.body.append(document.getElementById("n") as HTMLElement);
      await window.adTest.settle();
    });
    expect(await page.evaluate(() => window.adTest.ratio("n"))).toBe(1);
    await advance(page, 500); // t = 3.5: the attribute goes, the slot stops being one
    await page.evaluate(async () => {
      document.getElementById("n")?.removeAttribute("data-privads-ad");
      await window.adTest.settle();
    });
    await advance(page, 500); // t = 4: and comes back
    await page.evaluate(() => document.getElementById("n")?.setAttribute("data-privads-ad", ""));
    expect(await page.evaluate(() => window.adTest.ratio("n"))).toBe(1);
    await advance(page, 1000);
    expect(await brief(page)).toEqual([view(1, 1), view(1, 0), view(3, 1), view(3.5, 0), view(5, 1)]);
    expect(await page.evaluate(() => window.adTest.observedSlots())).toBe(1);
    await page.close();
  });

  it("a slot taller than twice the viewport never reaches 50 % and never counts (documented limit)", async () => {
    // 900 px viewport, 2000 px slot: at best 900 / 2000 = 45 % of its area is in view.
    const { page } = await open(slot("tall", 1000, 100, "height:2000px"));
    expect(await show(page, "tall", 0.7)).toBe(0.45);
    await advance(page, 5000);
    expect(await brief(page)).toEqual([]);
    await page.close();
  });

  it("caps the count at MAX_ADS_IN_VIEW (1000): 1500 viewable slots record 1000 once", async () => {
    const cells = Array.from({ length: 1500 }, (_, i) => `<i id="s${i}" data-privads-ad style="position:static;display:inline-block;width:9px;height:9px"></i>`).join("");
    const { page } = await open(`<div id="grid" style="line-height:0">${cells}</div>`);
    expect(await page.evaluate(() => window.adTest.ratio("s1499"))).toBe(1);
    await advance(page, 1000);
    expect(await brief(page)).toEqual([view(1, 1000)]);
    const afterRemovals = await page.evaluate(async () => {
      const cells = Array.from(document.querySelectorAll("#grid > i"));
      cells.slice(0, 400).forEach((cell) => cell.remove()); // 1100 viewable: still capped, no record
      await window.adTest.settle();
      const capped = window.adTest.brief().length;
      window.adTest.clock.advance(500);
      cells.slice(400, 600).forEach((cell) => cell.remove()); // 900
      await window.adTest.settle();
      return { capped, count: window.adTest.count(), observed: window.adTest.observedSlots() };
    });
    expect(afterRemovals).toEqual({ capped: 1, count: 900, observed: 900 });
    expect(await brief(page)).toEqual([view(1, 1000), view(1.5, 900)]);
    await page.close();
  });

  it("odd DOM: zero-size and display:none slots never count, nested marks count separately, an emptied body drops everything", async () => {
    const { page } = await open(
      slot("zero", 100, 100, "width:0;height:0") +
        `<div style="display:none">${slot("hidden", 100)}</div>` +
        slot("outer", 400) +
        `<svg id="svg" data-privads-ad width="100" height="100" style="position:absolute;top:100px;left:600px"><g data-privads-ad><rect width="50" height="50"/></g></svg>`,
    );
    await page.evaluate(() => {
      // a slot marked inside a slot: each marked element is one slot
      document.getElementById("outer")?.insertAdjacentHTML("beforeend", `<p data-privads-ad style="margin:0;height:50px">inner</p>`);
    });
    expect(await page.evaluate(() => window.adTest.ratio("svg"))).toBe(1);
    await advance(page, 1000);
    // outer, its inner mark, the svg and the svg's <g>: 4. Not the zero-size or display:none ones.
    expect(await brief(page)).toEqual([view(1, 4)]);
    await advance(page, 100);
    await page.evaluate(async () => {
      document.body.innerHTML = "";
      await window.adTest.settle();
    });
    expect(await brief(page)).toEqual([view(1, 4), view(1.1, 0)]);
    expect(await page.evaluate(() => window.adTest.observedSlots())).toBe(0);
    await page.close();
  });

  it("a throwing host callback or clock never throws into the page; the first error is logged once", async () => {
    const { page, pageErrors } = await open(slot("a", 2000) + slot("b", 2000, 500));
    await page.evaluate(() => window.adTest.setEmitThrows(true));
    await show(page, "a", 1);
    await advance(page, 1000);
    await scrollTop(page);
    expect(await brief(page)).toEqual([view(1, 2), view(1, 0)]); // both records still delivered
    const warnings = await page.evaluate(() => window.adTest.warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^\[privads\] AdViewabilityObserver caught an error/);

    const broken = await open(slot("a", 2000), "broken-clock");
    await show(broken.page, "a", 1);
    await advance(broken.page, 2000);
    await broken.page.evaluate(() => window.adTest.stopAll());
    expect(broken.pageErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    await broken.page.close();
    await page.close();
  });

  it("without IntersectionObserver it observes nothing, says so, and does not throw", async () => {
    const { page, pageErrors } = await site.open(slot("a", 100));
    const state = await page.evaluate(() => {
      delete (window as Partial<Window & typeof globalThis>).IntersectionObserver;
      window.adTest.startViewability();
      window.adTest.clock.advance(5000);
      window.adTest.stopAll();
      return { supported: window.adTest.supported(), count: window.adTest.count(), signals: window.adTest.brief() };
    });
    expect(state).toEqual({ supported: false, count: 0, signals: [] });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("stop() brings a nonzero count back to 0 and disconnects", async () => {
    const { page } = await open(slot("a", 2000));
    await show(page, "a", 1);
    await advance(page, 1000);
    await advance(page, 250);
    await page.evaluate(() => window.adTest.stopAll()); // t = 1.25
    await scrollTop(page);
    await show(page, "a", 1);
    await advance(page, 5000);
    expect(await brief(page)).toEqual([view(1, 1), view(1.25, 0)]);
    expect(await page.evaluate(() => [window.adTest.observedSlots(), window.adTest.clock.pendingTimers()])).toEqual([0, 0]);
    await page.close();
  });
});

describe("ads_in_view memory", () => {
  it("5,000 slots added and removed again and again keep the heap and the DOM node count flat", async () => {
    const { page, pageErrors } = await open(`<div id="host"></div>`, "real");
    const cdp = await site.context.newCDPSession(page);
    await cdp.send("Performance.enable");
    const measure = async () => {
      // Detached nodes can stay referenced by the browser until the next rendering update.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      await cdp.send("HeapProfiler.collectGarbage");
      await cdp.send("HeapProfiler.collectGarbage");
      const { metrics } = await cdp.send("Performance.getMetrics");
      const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
      return { heap: metric("JSHeapUsedSize"), nodes: metric("Nodes") };
    };
    /** Adds 5,000 slots in view, waits until the observer has seen them, removes them; `leak` keeps one small record per slot (the control). */
    const churn = (rounds: number, leak: boolean) =>
      page.evaluate(
        async ([n, keep]) => {
          const host = document.getElementById("host") as HTMLElement;
          const kept: unknown[] = ((window as unknown as { kept?: unknown[] }).kept ??= []);
          const observed: number[] = [];
          const cell = `<i data-privads-ad style="position:static;display:inline-block;width:9px;height:9px"></i>`;
          for (let round = 0; round < n; round++) {
            host.innerHTML = `<div id="batch" style="line-height:0">${cell.repeat(5000)}</div>`;
            const last = host.querySelector("#batch > i:last-child") as HTMLElement;
            last.id = "last";
            await window.adTest.ratio("last");
            observed.push(window.adTest.observedSlots());
            if (keep) for (const el of Array.from(host.querySelectorAll("i"))) kept.push({ el, inView: true, viewable: false, pending: 0 });
            host.innerHTML = "";
            await window.adTest.settle();
            observed.push(window.adTest.observedSlots());
          }
          return observed;
        },
        [rounds, leak] as const,
      );
    expect(await churn(3, false)).toEqual([5000, 0, 5000, 0, 5000, 0]);
    const before = await measure();
    const observed = await churn(30, false);
    expect(observed).toEqual(Array.from({ length: 30 }, () => [5000, 0]).flat());
    const after = await measure();
    await churn(5, true);
    const leaky = await measure();
    const growth = after.heap - before.heap;
    const leakGrowth = leaky.heap - after.heap;
    console.log(
      `heap ${(before.heap / 1e6).toFixed(2)} MB -> ${(after.heap / 1e6).toFixed(2)} MB after 30 x 5,000 slots; ` +
        `control (a 4-field record kept per slot, 5 rounds) -> ${(leaky.heap / 1e6).toFixed(2)} MB; nodes ${before.nodes} -> ${after.nodes} -> ${leaky.nodes}`,
    );
    // 150,000 slots went through the observer; a leak of even one small record per slot would
    // grow the heap by megabytes, as the control shows for 25,000 of them.
    expect(leakGrowth).toBeGreaterThan(1_000_000);
    expect(growth).toBeLessThan(500_000);
    // The page itself has about 15 nodes; one retained batch would add 5,000.
    expect([before.nodes, after.nodes].every((nodes) => nodes < 1000)).toBe(true);
    expect(leaky.nodes).toBeGreaterThan(25_000);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

describe("ads_in_view on the real clock", () => {
  it("60 % for 1.1 s records 1 one second after the slot entered the viewport, within a frame", async () => {
    const { page } = await open(slot("a", 2000), "real");
    const lateness: number[] = [];
    for (let run = 0; run < 3; run++) {
      const result = await page.evaluate(async () => {
        const signal = window.adTest.nextSignal();
        const entered = await window.adTest.scrollInFrame("a", 0.6);
        const viewable = await signal;
        // stay 0.1 s more (1.1 s in all), then scroll away and time the drop
        await new Promise((resolve) => setTimeout(resolve, 100));
        const dropped = window.adTest.nextSignal();
        const left = await window.adTest.scrollInFrame("a", 0);
        return { entered, viewable, left, dropped: await dropped };
      });
      expect(result.viewable.value).toBe(1);
      expect(result.dropped.value).toBe(0);
      // Never early: the second is counted from when the observer saw the slot, not before.
      expect(result.viewable.t - result.entered).toBeGreaterThanOrEqual(1);
      lateness.push(result.viewable.t - result.entered - 1, result.dropped.t - result.left);
    }
    // One frame is 16.7 ms; this shared VM gets 2 frames (33 ms) of slack. Measured values are
    // printed so a regression toward the limit is visible.
    console.log(`ads_in_view lateness (s): ${lateness.map((x) => x.toFixed(4)).join(", ")}`);
    for (const late of lateness) expect(late).toBeLessThanOrEqual(0.034);
    await page.close();
  });
});
