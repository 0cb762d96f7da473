import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAdSignalsSite, type AdSignalsSite } from "./fixtures/adSignalsHarness.js";

// Real mouse input (CDP) on a served page in Chromium; time is the page-side manual clock, so
// the expected streams are exact and written by hand.

let site: AdSignalsSite;

beforeAll(async () => {
  site = await startAdSignalsSite();
});

afterAll(async () => {
  await site?.close();
});

// a: x 100-400, y 100-300 with a button inside; b: x 400-700 (touching a); f: x 100-400,
// y 500-700, an iframe filling it (as most ads are); (900, y) is plain page.
const BODY = `
  <div id="a" data-privads-ad style="top:100px;left:100px"><button id="ab" style="position:absolute;left:20px;top:20px;width:100px;height:40px">Buy</button></div>
  <div id="b" data-privads-ad style="top:100px;left:400px"></div>
  <div id="f" data-privads-ad style="top:500px;left:100px"><iframe srcdoc="<p>ad</p>" style="border:0;width:300px;height:200px"></iframe></div>`;

async function open(): Promise<{ page: Page; pageErrors: string[] }> {
  const opened = await site.open(BODY);
  await opened.page.evaluate(() => window.adTest.startPointer());
  return opened;
}

const advance = (page: Page, ms: number) => page.evaluate((n) => window.adTest.clock.advance(n), ms);
const brief = (page: Page) => page.evaluate(() => window.adTest.brief());
const on = (t: number, value: number): [string, number, number] => ["pointer_on_ad", t, value];

describe("pointer_on_ad in Chromium", () => {
  it("toggles on mouse enter and leave, once per change (children, adjacent slots and ad iframes included)", async () => {
    const { page, pageErrors } = await open();
    await page.mouse.move(900, 200); // t = 0, outside
    await advance(page, 1000);
    await page.mouse.move(200, 200); // t = 1, into a
    await advance(page, 500);
    await page.mouse.move(150, 140); // t = 1.5, a's button: still on the ad
    await advance(page, 500);
    await page.mouse.move(550, 200); // t = 2, straight into b: still on an ad
    await advance(page, 500);
    await page.mouse.move(900, 200); // t = 2.5, out
    await advance(page, 500);
    await page.mouse.move(250, 600); // t = 3, into the ad's iframe
    await page.mouse.move(260, 650); // inside the iframe: the page sees nothing new
    await advance(page, 500);
    await page.mouse.move(900, 600); // t = 3.5, out
    expect(await brief(page)).toEqual([on(1, 1), on(2.5, 0), on(3, 1), on(3.5, 0)]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("drops to 0 on a blur, on hide and when the slot is removed from under the pointer", async () => {
    const { page } = await open();
    const blur = () => page.evaluate(() => window.adTest.setFocus(false));
    const focus = () => page.evaluate(() => window.adTest.setFocus(true));
    expect(await brief(page)).toEqual([]);

    await advance(page, 1000);
    await page.mouse.move(200, 200); // t = 1: on a
    await advance(page, 500);
    await blur(); // t = 1.5
    expect(await brief(page)).toEqual([on(1, 1), on(1.5, 0)]);
    await advance(page, 200);
    // t = 1.7: the pointer leaves the ad while the window is blurred (desktop browsers keep
    // sending hover events to an unfocused window), dispatched in the page like the blur.
    await page.evaluate(() => {
      const a = document.getElementById("a") as HTMLElement;
      a.dispatchEvent(new PointerEvent("pointerout", { bubbles: true, pointerType: "mouse", relatedTarget: document.body }));
      document.body.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, pointerType: "mouse", relatedTarget: a }));
    });
    expect(await page.evaluate(() => document.hasFocus())).toBe(false);
    await advance(page, 300);
    await focus(); // t = 2: focused, pointer not on an ad: nothing
    await advance(page, 200);
    await page.mouse.move(900, 200); // the real pointer catches up with the synthetic one: no change
    await page.mouse.move(200, 200); // t = 2.2: on a
    await advance(page, 300);
    await blur(); // t = 2.5
    await advance(page, 500);
    await focus(); // t = 3: the pointer never left a
    await advance(page, 500);
    await page.evaluate(() => window.adTest.setVisibility("hidden")); // t = 3.5 (emulated: headless tabs stay visible)
    await advance(page, 500);
    await page.evaluate(() => window.adTest.setVisibility("visible")); // t = 4
    await advance(page, 500);
    await page.evaluate(async () => {
      document.getElementById("a")?.remove(); // t = 4.5: no pointer event fires for this
      await window.adTest.settle();
    });
    expect(await brief(page)).toEqual([on(1, 1), on(1.5, 0), on(2.2, 1), on(2.5, 0), on(3, 1), on(3.5, 0), on(4, 1), on(4.5, 0)]);
    await page.close();
  });

  it("touch pointers never set it", async () => {
    const { page } = await open();
    const cdp = await site.context.newCDPSession(page);
    await cdp.send("Emulation.setTouchEmulationEnabled", { enabled: true, maxTouchPoints: 1 });
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      document.addEventListener("pointerover", (event) => seen.push(`${event.pointerType}:${(event.target as Element).id}`), true);
    });
    await advance(page, 1000);
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: 200, y: 200 }] });
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: 150, y: 140 }] });
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    // The touches did reach the ad as touch pointers; the observer ignored them.
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual(["touch:a", "touch:ab"]);
    expect(await brief(page)).toEqual([]);
    await page.close();
  });

  it("a throwing host callback never throws into the page; stop() brings 1 back to 0", async () => {
    const { page, pageErrors } = await open();
    await page.evaluate(() => window.adTest.setEmitThrows(true));
    await advance(page, 1000);
    await page.mouse.move(200, 200); // t = 1
    await advance(page, 500);
    await page.mouse.move(900, 200); // t = 1.5
    await advance(page, 500);
    await page.mouse.move(200, 200); // t = 2
    await advance(page, 500);
    await page.evaluate(() => window.adTest.stopAll()); // t = 2.5
    await page.mouse.move(900, 200);
    await page.mouse.move(200, 200); // stopped: nothing more
    expect(await brief(page)).toEqual([on(1, 1), on(1.5, 0), on(2, 1), on(2.5, 0)]);
    const warnings = await page.evaluate(() => window.adTest.warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^\[privads\] PointerOnAdObserver caught an error/);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
