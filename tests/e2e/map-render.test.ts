import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AREA_FILL_OPACITY, BASE_COLOURS, CLUSTER_OPACITY } from "../../app/features/map/base-map.ts";
import { KIND_COLOURS } from "../../app/features/map/map-state.ts";
import { pointInPolygon, type GeoJsonPolygon } from "../../prisma/seed/geo.ts";
import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";
import { ensureWebBuild, launchBrowser, SCREENSHOT_DIR, signIn, type Browser } from "./browser.ts";
import { blend, distance, hex, mapView, metresPerPixel, project, readPixels, waitIdle, type Rgb } from "./map-pixels.ts";

/**
 * The map draws what it should, where it should (issue 7: "screenshot checks that points,
 * polygons and clusters render"). Headless Chromium renders WebGL in software; each check opens
 * the map at a viewport (`?view=`), waits for MapLibre's idle, projects known positions with our
 * own Web Mercator arithmetic and reads the colours there from a screenshot:
 *
 * - a point: the pin's kind colour at its position, the background a few pins' widths away;
 * - a cluster: six pins close together are one dark cluster circle at zoom 12, and six separate
 *   pins in their kind colour at zoom 18 with nothing between them;
 * - a polygon: the area fill (blended over the background) inside an area, away from every pin.
 *
 * The spots are new resources placed north of everything in the seed, so no seed pin or area can
 * cover them.
 */
const COORDINATOR = "coordinator@tsunagu.example";
/** Channel tolerance: software rasterising and PNG round trips move colours by a few steps. */
const TOLERANCE = 8;

interface Resource {
  id: string;
  lat: number;
  lng: number;
}

describe("map rendering (Chromium, WebGL)", () => {
  let server: TestServer;
  let browser: Browser;
  let slug: string;
  let cookie: string;
  let areas: Array<{ polygon: GeoJsonPolygon; centerLat: number; centerLng: number }>;
  let seedResources: Resource[];
  /** A lone SERVICE pin, and the centre of a ring of six PLACE pins. */
  let lone: { lat: number; lng: number };
  let ringCentre: { lat: number; lng: number };
  const ring: Array<{ lat: number; lng: number }> = [];
  const background = hex(BASE_COLOURS.background);

  async function openAt(view: string): Promise<Page> {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${server.url}/w/${slug}/map?view=${view}`);
    await waitIdle(page);
    return page;
  }

  /** Reads the colours at positions until they match (a late frame may still be coming), then asserts. */
  async function expectColours(page: Page, label: string, wanted: Array<{ lat: number; lng: number; colour: Rgb }>) {
    let last: Rgb[] = [];
    const deadline = Date.now() + 5_000;
    for (;;) {
      const view = await mapView(page);
      const box = (await page.locator(".map-board__map canvas").boundingBox())!;
      const points = wanted.map((w) => project(view, box, w.lat, w.lng));
      for (const p of points) {
        expect(p.x, `${label}: inside the canvas`).toBeGreaterThan(4);
        expect(p.y).toBeGreaterThan(4);
        expect(p.x).toBeLessThan(box.width - 4);
        expect(p.y).toBeLessThan(box.height - 4);
      }
      last = (await readPixels(page, points)).colours;
      if (last.every((c, i) => distance(c, wanted[i].colour) <= TOLERANCE) || Date.now() > deadline) break;
      await page.waitForTimeout(250);
    }
    console.log(`map-render: ${label}: ${last.map((c, i) => `[${c}] want [${wanted[i].colour}]`).join(", ")}`);
    last.forEach((c, i) => expect(distance(c, wanted[i].colour), `${label} #${i}: got [${c}], want [${wanted[i].colour}]`).toBeLessThanOrEqual(TOLERANCE));
  }

  const create = async (kind: string, name: string, lat: number, lng: number) => {
    const answer = await sendJson(server.url, "POST", `/api/v1/workspaces/${workspaceId}/resources`, { ownerOrgId, kind, category: "other", name, lat, lng }, cookie);
    expect(answer.status).toBe(201);
  };
  let workspaceId: string;
  let ownerOrgId: string;

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({ remix: "build" });
    cookie = await login(server.url, COORDINATOR);
    const workspace = (await getJson(server.url, "/api/v1/workspaces", cookie)).body.items[0];
    slug = workspace.slug;
    workspaceId = workspace.id;
    areas = (await getJson(server.url, `/api/v1/workspaces/${workspaceId}/areas`, cookie)).body.items;
    const me = (await getJson(server.url, "/api/auth/me", cookie)).body.user;
    ownerOrgId = me.memberships.find((m: { workspaceId: string }) => m.workspaceId === workspaceId).organizationId;
    seedResources = [];
    let cursor: string | null = null;
    do {
      const page: { items: Resource[]; nextCursor: string | null } = (
        await getJson(server.url, `/api/v1/workspaces/${workspaceId}/resources?limit=500${cursor ? `&cursor=${cursor}` : ""}`, cookie)
      ).body;
      seedResources.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);

    // North of every seed pin and area vertex, with room for a cluster's radius.
    let north = -90;
    for (const r of seedResources) north = Math.max(north, r.lat);
    for (const a of areas) for (const [, lat] of a.polygon.coordinates[0]) north = Math.max(north, lat);
    const lng = areas[0].centerLng;
    lone = { lat: north + 0.03, lng };
    ringCentre = { lat: north + 0.03, lng: lng + 0.03 };
    await create("SERVICE", `e2e 描画 点 ${Date.now()}`, lone.lat, lone.lng);
    for (let i = 0; i < 6; i++) {
      const angle = (i * Math.PI) / 3;
      const point = { lat: Math.round((ringCentre.lat + 0.0003 * Math.sin(angle)) * 1e6) / 1e6, lng: Math.round((ringCentre.lng + 0.0003 * Math.cos(angle)) * 1e6) / 1e6 };
      ring.push(point);
      await create("PLACE", `e2e 描画 群 ${i} ${Date.now()}`, point.lat, point.lng);
    }
    browser = await launchBrowser();
    await signIn(browser, server.url, cookie);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("draws a point in its kind's colour at its position, and only there", async () => {
    const page = await openAt(`17/${lone.lat}/${lone.lng}`);
    // 8 px radius: 40 px away (about 5 pin radii) is the bare background.
    const away = metresPerPixel(lone.lat, 17) * 40;
    const dLng = away / (111_320 * Math.cos((lone.lat * Math.PI) / 180));
    await expectColours(page, "point", [
      { ...lone, colour: hex(KIND_COLOURS.SERVICE) },
      { lat: lone.lat, lng: lone.lng - dLng, colour: background },
      { lat: lone.lat, lng: lone.lng + dLng, colour: background },
    ]);
    await page.close();
  });

  it("draws six nearby pins as one cluster when zoomed out, and as six pins when zoomed in", async () => {
    const out = await openAt(`12/${ringCentre.lat}/${ringCentre.lng}`);
    await expectColours(out, "cluster at zoom 12", [
      { ...ringCentre, colour: blend(hex(BASE_COLOURS.cluster), CLUSTER_OPACITY, background) },
      // The lone pin 0.03° west is its own point, not part of the cluster.
      { ...lone, colour: hex(KIND_COLOURS.SERVICE) },
    ]);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await out.locator(".map-board__map").screenshot({ path: join(SCREENSHOT_DIR, "map-render-cluster.png") });
    await out.close();

    const inside = await openAt(`18/${ringCentre.lat}/${ringCentre.lng}`);
    await expectColours(inside, "six pins at zoom 18", [
      ...ring.map((p) => ({ ...p, colour: hex(KIND_COLOURS.PLACE) })),
      // The ring's middle is empty once the cluster has opened.
      { ...ringCentre, colour: background },
    ]);
    await inside.close();
  });

  it("fills an area polygon (blended over the background), away from every pin", async () => {
    // A spot inside an area whose nearest pin is more than 150 m away: at zoom 17 (≈ 1 m per pixel)
    // no pin or cluster reaches it.
    let spot: { lat: number; lng: number } | null = null;
    search: for (const area of areas) {
      const ring = area.polygon.coordinates[0];
      const lats = ring.map((p) => p[1]);
      const lngs = ring.map((p) => p[0]);
      for (let i = 1; i < 20; i++) {
        for (let j = 1; j < 20; j++) {
          const lat = Math.min(...lats) + ((Math.max(...lats) - Math.min(...lats)) * i) / 20;
          const lng = Math.min(...lngs) + ((Math.max(...lngs) - Math.min(...lngs)) * j) / 20;
          if (!pointInPolygon(lng, lat, area.polygon)) continue;
          // 300 px around it inside the polygon too (the canvas is ≈ 640 px wide), so the check is not at an edge.
          const margin = 0.0012;
          if (![[lng - margin, lat], [lng + margin, lat], [lng, lat - margin], [lng, lat + margin]].every(([x, y]) => pointInPolygon(x, y, area.polygon))) continue;
          const nearest = Math.min(...seedResources.map((r) => Math.hypot((r.lat - lat) * 111_320, (r.lng - lng) * 111_320 * Math.cos((lat * Math.PI) / 180))));
          if (nearest > 150) {
            spot = { lat, lng };
            break search;
          }
        }
      }
    }
    expect(spot, "a spot inside an area with no pin within 150 m").not.toBeNull();
    const page = await openAt(`17/${spot!.lat}/${spot!.lng}`);
    await expectColours(page, "area polygon", [{ ...spot!, colour: blend(hex(BASE_COLOURS.areaFill), AREA_FILL_OPACITY.inline, background) }]);
    await page.close();

    // And outside every area (north of them, left of the lone pin) it is the bare background.
    const outside = await openAt(`15/${lone.lat}/${lone.lng - 0.004}`);
    await expectColours(outside, "outside the areas", [{ lat: lone.lat, lng: lone.lng - 0.004, colour: background }]);
    await outside.close();
  });
});
