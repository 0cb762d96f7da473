import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_TYPES } from "../../src/core/actionTypes.js";
import { exportBrowserArtifacts } from "../../src/export/exportArtifacts.js";
import { startStaticServer, type StaticServer } from "../../src/node/staticServer.js";
import { buildDemo, demoModel, until, watchPage, writeModelFiles } from "../e2e/browserHarness.js";
import { launchChromium, type LaunchedChromium } from "../support/chromium.js";

// The privacy guarantees of docs/privacy.md, checked on the exported demo.html (the browser
// bundle of `npm run build`, run it first) in a real Chromium during a scripted session.

let dir: string;
let server: StaticServer;
let browser: LaunchedChromium;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "privads-privacy-"));
  await exportBrowserArtifacts(demoModel(), dir);
  server = await startStaticServer({ root: dir, host: "127.0.0.1" });
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * Installed before any page script: logs every call of an API that stores data or sends it
 * (without blocking it), so the test sees what the SDK attempted, not only what remained.
 */
function recordStorageAndNetworkApis(): void {
  const log: string[] = [];
  (window as unknown as { __apiLog: string[] }).__apiLog = log;
  const wrap = <T extends object>(target: T, name: keyof T & string, label: string, describe: (args: unknown[]) => string = () => "") => {
    const original = target[name] as unknown as (...args: unknown[]) => unknown;
    if (typeof original !== "function") return;
    Object.defineProperty(target, name, {
      configurable: true,
      writable: true,
      value: function (this: unknown, ...args: unknown[]) {
        log.push(`${label}${describe(args)}`);
        return original.apply(this, args);
      },
    });
  };
  wrap(Storage.prototype, "setItem", "Storage.setItem");
  wrap(Storage.prototype, "removeItem", "Storage.removeItem");
  wrap(Storage.prototype, "clear", "Storage.clear");
  wrap(IDBFactory.prototype, "open", "indexedDB.open");
  wrap(IDBFactory.prototype, "deleteDatabase", "indexedDB.deleteDatabase");
  if (typeof CacheStorage !== "undefined") wrap(CacheStorage.prototype, "open", "caches.open");
  wrap(Navigator.prototype, "sendBeacon", "navigator.sendBeacon");
  wrap(XMLHttpRequest.prototype, "open", "XMLHttpRequest.open", (a) => ` ${String(a[1])}`);
  wrap(window, "fetch", "fetch", (a) => ` ${a[0] instanceof Request ? a[0].url : String(a[0])}`);
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie")!;
  Object.defineProperty(Document.prototype, "cookie", {
    configurable: true,
    get() {
      return cookie.get!.call(this);
    },
    set(value: string) {
      log.push("document.cookie=");
      cookie.set!.call(this, value);
    },
  });
  for (const name of ["WebSocket", "EventSource", "SharedWorker", "Worker"] as const) {
    const Original = window[name] as unknown as new (...args: unknown[]) => object;
    if (typeof Original !== "function") continue;
    const Wrapped = function (...args: unknown[]) {
      log.push(`new ${name} ${String(args[0])}`);
      return new Original(...args);
    } as unknown as typeof Original;
    Wrapped.prototype = Original.prototype;
    Object.defineProperty(window, name, { configurable: true, writable: true, value: Wrapped });
  }
}

/** Everything the page's origin holds after the session, read from the four stores (and caches, service workers). */
async function readStores(page: Page) {
  const inPage = await page.evaluate(async () => ({
    cookie: document.cookie,
    localStorage: Object.keys(localStorage),
    sessionStorage: Object.keys(sessionStorage),
    indexedDB: (await indexedDB.databases()).map((d) => d.name ?? "(unnamed)"),
    caches: typeof caches === "undefined" ? [] : await caches.keys(),
    serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
  }));
  return { ...inPage, browserCookies: (await page.context().cookies()).map((c) => c.name) };
}

const EMPTY_STORES = { cookie: "", localStorage: [], sessionStorage: [], indexedDB: [], caches: [], serviceWorkers: 0, browserCookies: [] };

describe("privacy guarantees of the SDK (exported demo.html in Chromium)", () => {
  it("a scripted session: no request leaves the origin, nothing is stored, events carry only type, t and depth", async () => {
    const page = await browser.context.newPage();
    const origin = new URL(server.url).origin;
    const requests: Array<{ url: string; method: string; type: string; body: string | null }> = [];
    const onRequest = (request: Request) => requests.push({ url: request.url(), method: request.method(), type: request.resourceType(), body: request.postData() });
    browser.context.on("request", onRequest); // every page, frame and worker of the context
    const sockets: string[] = [];
    page.on("websocket", (ws) => sockets.push(ws.url()));
    const watch = watchPage(page, origin);
    await page.addInitScript(recordStorageAndNetworkApis);
    await page.clock.install({ time: new Date("2025-01-01T00:00:00Z") });
    await page.goto(new URL("demo.html", server.url).href);
    await until(async () => {
      await page.clock.runFor(200);
      return page.evaluate(() => (window as unknown as { __privads: { ready: boolean } }).__privads.ready);
    }, "the model to load");

    // The session: scroll, dwell on a link, click text, leave the tab for 12 s, come back, click an ad, leave the page.
    await page.mouse.move(20, 300);
    await page.mouse.wheel(0, 900);
    await until(() => page.evaluate(() => scrollY > 0), "the scroll");
    await page.clock.runFor(400);
    const link = page.locator("main a").first();
    await link.scrollIntoViewIfNeeded();
    await page.clock.runFor(400);
    const box = (await link.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.clock.runFor(700);
    await page.mouse.move(20, 300);
    await page.locator("main p").nth(1).click({ position: { x: 5, y: 5 } });
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await page.clock.runFor(12_000);
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await page.locator("[data-privads-ad] button").first().click();
    await page.clock.runFor(1500);
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent("pagehide"))); // where analytics SDKs beacon
    await page.clock.runFor(1500);

    const events = await page.evaluate(() => (window as unknown as { __privads: { events: object[] } }).__privads.events);
    const apiLog = await page.evaluate(() => (window as unknown as { __apiLog: string[] }).__apiLog);
    const stores = await readStores(page);
    browser.context.off("request", onRequest);

    // The session really happened (so the checks below are about a real recording).
    // (Playwright scrolls elements into view before clicking, so the exact order is incidental; all nine types occur.)
    const types = events.map((e) => (e as { type: string }).type);
    expect([...new Set(types)].sort()).toEqual([...ACTION_TYPES].sort());
    expect(types.at(-1)).toBe("close_tab");
    // 1. Events hold only type, t and depth: no text, element, coordinates or URL.
    for (const event of events) {
      expect(Object.keys(event).every((key) => key === "type" || key === "t" || key === "depth"), JSON.stringify(event)).toBe(true);
      expect(typeof (event as { t: unknown }).t).toBe("number");
    }
    // 2. Every request went to the page's own origin, as a GET for one of the exported files; no sockets.
    expect(requests.filter((r) => !r.url.startsWith("data:") && new URL(r.url).origin !== origin)).toEqual([]);
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`).sort()).toEqual(["GET /demo.html", "GET /interaction_predictor.js", "GET /interaction_predictor.onnx"]);
    expect(requests.every((r) => r.body === null)).toBe(true);
    expect(sockets).toEqual([]);
    // 3. The only storage or network API called was the fetch of the model; nothing was stored anywhere.
    expect(apiLog).toEqual(["fetch ./interaction_predictor.onnx"]);
    expect(stores).toEqual(EMPTY_STORES);
    expect(watch.consoleErrors).toEqual([]);

    // Control: the same probes do see data when something stores it.
    await page.evaluate(async () => {
      localStorage.setItem("k", "v");
      sessionStorage.setItem("k", "v");
      document.cookie = "c=1";
      await new Promise((resolve, reject) => {
        const request = indexedDB.open("control-db");
        request.onsuccess = () => resolve(request.result.close());
        request.onerror = () => reject(request.error);
      });
    });
    const written = await readStores(page);
    expect(written).toMatchObject({ cookie: "c=1", localStorage: ["k"], sessionStorage: ["k"], indexedDB: ["control-db"], browserCookies: ["c"] });
    expect((await page.evaluate(() => (window as unknown as { __apiLog: string[] }).__apiLog)).slice(1)).toEqual([
      "Storage.setItem",
      "Storage.setItem",
      "document.cookie=",
      "indexedDB.open",
    ]);
    await page.close();
  }, 60_000);

  it("the React demo app with ad slots: the session file carries only type, t, depth in events and type, t, value in adSignals; nothing leaves the origin or is stored", async () => {
    const site = await buildDemo();
    await writeModelFiles(site, demoModel());
    const demo = await startStaticServer({ root: site, host: "127.0.0.1" });
    try {
      await browser.context.clearCookies(); // the first test's control cookie is per host, not per port
      const page = await browser.context.newPage();
      const origin = new URL(demo.url).origin;
      const requests: string[] = [];
      const onRequest = (request: Request) => requests.push(`${request.method()} ${request.url()}`);
      browser.context.on("request", onRequest);
      const watch = watchPage(page, origin);
      await page.addInitScript(recordStorageAndNetworkApis);
      await page.clock.install({ time: new Date("2025-01-01T00:00:00Z") });
      await page.clock.pauseAt(new Date("2025-01-01T00:00:01Z"));
      await page.goto(demo.url);
      await page.locator("[data-testid=probability][data-ready=true]").waitFor();

      // An ad in view for 2 s with the pointer resting on it, then scrolled away, then the session downloaded.
      const ad = page.locator("[data-privads-ad]").first();
      await page.mouse.move(40, 450);
      await page.clock.runFor(2000);
      const box = (await ad.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.clock.runFor(1500);
      await page.mouse.move(40, 450);
      await page.mouse.wheel(0, 1500);
      await until(() => page.evaluate(() => scrollY > 0), "the scroll");
      await page.clock.runFor(1000);
      const button = page.locator("[data-testid=download]");
      const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
      const session = JSON.parse(await readFile((await download.path())!, "utf8")) as { events: object[]; adSignals: object[] };
      const apiLog = await page.evaluate(() => (window as unknown as { __apiLog: string[] }).__apiLog);
      const stores = await readStores(page);
      browser.context.off("request", onRequest);

      expect(Object.keys(session).sort()).toEqual(["adSignals", "events", "id"]);
      expect(session.events.length).toBeGreaterThan(2);
      for (const event of session.events) {
        expect(Object.keys(event).every((key) => key === "type" || key === "t" || key === "depth"), JSON.stringify(event)).toBe(true);
      }
      // the ad was viewable and under the pointer: both signals were recorded, and nothing else about the ad
      const signalTypes = session.adSignals.map((s) => (s as { type: string }).type);
      expect(new Set(signalTypes)).toEqual(new Set(["ads_in_view", "pointer_on_ad"]));
      for (const signal of session.adSignals) {
        expect(Object.keys(signal), JSON.stringify(signal)).toEqual(["type", "t", "value"]);
        expect(Number.isInteger((signal as { value: number }).value)).toBe(true);
      }
      expect(requests.filter((r) => !r.split(" ")[1].startsWith("data:") && !r.split(" ")[1].startsWith("blob:") && new URL(r.split(" ")[1]).origin !== origin)).toEqual([]);
      expect(requests.every((r) => r.startsWith("GET "))).toBe(true);
      // the model fetch is the only network API call; no storage API was touched
      expect(apiLog).toEqual([`fetch /models/interaction_predictor.onnx`]);
      expect(stores).toEqual(EMPTY_STORES);
      expect(watch.foreignRequests).toEqual([]);
      expect(watch.consoleErrors).toEqual([]);
      await page.close();
    } finally {
      await demo.close();
      await rm(site, { recursive: true, force: true });
    }
  }, 90_000);
});
