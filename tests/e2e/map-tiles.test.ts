import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { deflateSync } from "node:zlib";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AREA_FILL_OPACITY, BASE_COLOURS } from "../../app/features/map/base-map.ts";
import { pointInPolygon, type GeoJsonPolygon } from "../../prisma/seed/geo.ts";
import { getJson, login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { ensureWebBuild, launchBrowser, signIn, type Browser } from "./browser.ts";
import { blend, distance, hex, mapView, project, readPixels, waitIdle, type Rgb } from "./map-pixels.ts";

/**
 * A configured raster base map (MAP_TILE_URL, decision 065), served by a tile server of our own on
 * another origin (another port): the map draws its tiles under the areas, shows the configured
 * attribution with its link, the page's CSP names exactly that tile origin, and a request to any
 * other foreign origin is blocked.
 */
const COORDINATOR = "coordinator@tsunagu.example";
const TILE_COLOUR = "#f2c879";
const TOLERANCE = 8;

/** A 256×256 PNG of one colour (RGB, no filter), written by hand so the test needs no image library. */
function solidPng(colour: string): Buffer {
  const [r, g, b] = hex(colour);
  const size = 256;
  const row = Buffer.alloc(1 + size * 3);
  for (let x = 0; x < size; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 255] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

/** An HTTP server on a random port that counts requests; `answer` decides the response. */
async function listen(answer: (url: string) => { status: number; type: string; body: Buffer | string }) {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const { status, type, body } = answer(req.url ?? "");
    res.writeHead(status, { "content-type": type, "access-control-allow-origin": "*", "cache-control": "no-store" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("configured raster base map (MAP_TILE_URL)", () => {
  let tiles: Awaited<ReturnType<typeof listen>>;
  let other: Awaited<ReturnType<typeof listen>>;
  let server: TestServer;
  let browser: Browser;
  let slug: string;
  let areas: Array<{ polygon: GeoJsonPolygon; centerLat: number; centerLng: number }>;
  const png = solidPng(TILE_COLOUR);

  beforeAll(async () => {
    ensureWebBuild();
    tiles = await listen((url) => (/^\/tiles\/\d+\/\d+\/\d+\.png$/.test(url) ? { status: 200, type: "image/png", body: png } : { status: 404, type: "text/plain", body: "no" }));
    other = await listen(() => ({ status: 200, type: "text/plain", body: "should never be asked" }));
    server = await startTestServer({
      remix: "build",
      env: {
        MAP_TILE_URL: `${tiles.origin}/tiles/{z}/{x}/{y}.png`,
        MAP_TILE_ATTRIBUTION: "テスト地図タイル",
        MAP_TILE_ATTRIBUTION_URL: `${tiles.origin}/about`,
      },
    });
    const cookie = await login(server.url, COORDINATOR);
    const workspace = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0];
    slug = workspace.slug;
    areas = (await getJson(server.url, `/api/v1/workspaces/${workspace.id}/areas`, cookie)).body.items;
    browser = await launchBrowser();
    await signIn(browser, server.url, cookie);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await tiles?.close();
    await other?.close();
  });

  async function colourAt(page: Page, lat: number, lng: number, want: Rgb): Promise<Rgb> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const view = await mapView(page);
      const box = (await page.locator(".map-board__map canvas").boundingBox())!;
      const [got] = (await readPixels(page, [project(view, box, lat, lng)])).colours;
      if (distance(got, want) <= TOLERANCE || Date.now() > deadline) return got;
      await page.waitForTimeout(250);
    }
  }

  it("draws the tiles under the areas, credits them, and allows exactly the tile origin in the CSP", async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const area = areas[0];
    const response = await page.goto(`${server.url}/w/${slug}/map?view=15/${area.centerLat}/${area.centerLng}`);
    await waitIdle(page);

    // The CSP: the tile origin in img-src and connect-src, and no other foreign origin.
    const csp = response!.headers()["content-security-policy"];
    const directive = (name: string) => csp.split(";").map((d) => d.trim().split(/\s+/)).find((d) => d[0] === name)!.slice(1);
    const appHost = new URL(server.url).host;
    expect(directive("connect-src").sort()).toEqual(["'self'", `ws://${appHost}`, `wss://${appHost}`, tiles.origin].sort());
    expect(directive("img-src").sort()).toEqual(["'self'", "data:", "blob:", tiles.origin].sort());

    // Tiles were asked for at the view's zoom (256 px tiles: MapLibre takes them one level deeper).
    const zooms = new Set(tiles.requests.map((u) => u.split("/")[2]));
    expect([...zooms].some((z) => z === "15" || z === "16"), `tile zooms requested: ${[...zooms].join(", ")}`).toBe(true);

    // Pixels: the area fill blended over the tile inside the area; the bare tile outside every area.
    const tile = hex(TILE_COLOUR);
    const insideWant = blend(hex(BASE_COLOURS.areaFill), AREA_FILL_OPACITY.tiles, tile);
    expect(pointInPolygon(area.centerLng, area.centerLat, area.polygon)).toBe(true);
    const north = Math.max(...areas.flatMap((a) => a.polygon.coordinates[0].map((p) => p[1]))) + 0.02;
    const outside = await browser.context.newPage();
    await outside.goto(`${server.url}/w/${slug}/map?view=15/${north}/${area.centerLng}`);
    await waitIdle(outside);
    const bare = await colourAt(outside, north, area.centerLng, tile);
    console.log(`map-tiles: outside the areas [${bare}] want tile [${tile}]; ${tiles.requests.length} tile requests`);
    expect(distance(bare, tile)).toBeLessThanOrEqual(TOLERANCE);
    await outside.close();

    // Somewhere inside the first area without a pin near: search a few points around its centre.
    const view = await mapView(page);
    const box = (await page.locator(".map-board__map canvas").boundingBox())!;
    const candidates: Array<{ lat: number; lng: number }> = [];
    for (let i = -3; i <= 3; i++) for (let j = -3; j <= 3; j++) candidates.push({ lat: area.centerLat + i * 0.0006, lng: area.centerLng + j * 0.0006 });
    const inside = candidates.filter((c) => pointInPolygon(c.lng, c.lat, area.polygon));
    const colours = (await readPixels(page, inside.map((c) => project(view, box, c.lat, c.lng)))).colours;
    const matching = colours.filter((c) => distance(c, insideWant) <= TOLERANCE).length;
    console.log(`map-tiles: ${matching} of ${inside.length} points inside the area show the fill over the tile [${insideWant}]`);
    // Pins cover a few of them; most are plain area.
    expect(matching).toBeGreaterThan(inside.length / 2);

    // The attribution, with its link.
    const credit = page.locator(".maplibregl-ctrl-attrib a", { hasText: "テスト地図タイル" });
    await credit.waitFor();
    expect(await credit.getAttribute("href")).toBe(`${tiles.origin}/about`);
    expect(await credit.getAttribute("rel")).toBe("noopener noreferrer");

    // Another foreign origin is refused by the browser, and nothing was violated on the way.
    expect(violations).toEqual([]);
    const refused = await page.evaluate(async (url) => {
      try {
        await fetch(url);
        return false;
      } catch {
        return true;
      }
    }, `${other.origin}/probe`);
    expect(refused).toBe(true);
    expect(other.requests).toEqual([]);
    await page.close();
  });

  it("without configuration the map has no attribution and the CSP no foreign origin", async () => {
    const plain = await startTestServer({ remix: "build" });
    try {
      const cookie = await login(plain.url, COORDINATOR);
      const workspace = (await getJson(plain.url, "/api/v1/workspaces", cookie)).body.items[0];
      const page = await browser.context.newPage();
      await signIn(browser, plain.url, cookie);
      const before = tiles.requests.length;
      const response = await page.goto(`${plain.url}/w/${workspace.slug}/map`);
      await waitIdle(page);
      const csp = response!.headers()["content-security-policy"];
      expect(csp).not.toContain(tiles.origin);
      expect(csp).toMatch(/img-src 'self' data: blob:;/);
      expect(await page.locator(".maplibregl-ctrl-attrib").count()).toBe(0);
      expect(tiles.requests.length).toBe(before);
      await page.close();
    } finally {
      await plain.stop();
    }
  });
});
