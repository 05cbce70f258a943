import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIVITY_COLUMNS, OPEN_DATA_LICENSE, PLACE_COLUMNS } from "../../app/features/outcomes/open-data-columns.ts";
import { parseCsv } from "../../server/outcomes/csv.ts";
import { startTestServer, type TestServer } from "../setup/test-server.ts";

/**
 * Open data (issue 9): public activities and places as CSV and GeoJSON, validated for structure
 * (RFC 7946 FeatureCollection of Points with [lng, lat] in range; the documented CSV header; a
 * license on every row) and for the absence of personal data (no resident's name, e-mail, phone
 * or address of the seeded 320 residents; no place contact; nothing that is not PUBLIC).
 */
describe("outcomes: open data", () => {
  let server: TestServer;
  const files: Record<string, { status: number; type: string | null; text: string; bytes: Uint8Array }> = {};
  const personal: string[] = [];
  let workspaceId: string;

  const fetchFile = async (path: string) => {
    const response = await fetch(`${server.url}${path}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // Decoded with the BOM kept (fetch's text() would drop it silently).
    return { status: response.status, type: response.headers.get("content-type"), bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) };
  };

  beforeAll(async () => {
    server = await startTestServer({ remix: "build" });
    const prisma = server.services.prisma;
    workspaceId = (await prisma.workspace.findFirstOrThrow({ orderBy: { createdAt: "asc" } })).id;
    // A public place with a person's phone as its contact, and a place only its organization sees.
    await prisma.resource.create({
      data: { workspaceId, kind: "PLACE", category: "hub", name: "公開試験の集会所", lat: 35.52, lng: 139.51, contact: "090-7777-1234 管理人 公開試験花子", visibility: "PUBLIC" },
    });
    await prisma.resource.create({ data: { workspaceId, kind: "PLACE", category: "hub", name: "団体内試験の倉庫", lat: 35.53, lng: 139.52, visibility: "ORG" } });
    await prisma.resource.create({ data: { workspaceId, kind: "PLACE", category: "hub", name: "休止中試験の空き店舗", lat: 35.54, lng: 139.53, visibility: "PUBLIC", status: "ARCHIVED" } });
    for (const path of ["activities.csv", "activities.geojson", "places.csv", "places.geojson"]) files[path] = await fetchFile(`/api/v1/open-data/${path}`);
    const residents = await prisma.resident.findMany({ select: { displayName: true, nameKana: true, email: true, phone: true, address: true } });
    expect(residents.length).toBeGreaterThan(300);
    // The demo seed draws residents' addresses from the same streets as the public places, so a
    // few coincide with a public facility's address; those strings are the facility's, not a leak.
    const publicAddresses = new Set(
      (await prisma.resource.findMany({ where: { visibility: "PUBLIC" }, select: { address: true } })).map((r) => r.address).filter((a): a is string => a != null),
    );
    for (const r of residents) for (const v of [r.displayName, r.nameKana, r.email, r.phone]) if (v && v.length >= 3) personal.push(v);
    for (const r of residents) if (r.address && !publicAddresses.has(r.address)) personal.push(r.address);
    personal.push("090-7777-1234", "公開試験花子");
  });

  afterAll(async () => {
    await server?.stop();
  });

  it.each(["activities.geojson", "places.geojson"])("%s is a FeatureCollection of Points with [lng, lat] in range and a license", (name) => {
    const file = files[name];
    expect(file.status).toBe(200);
    expect(file.type).toMatch(/^application\/geo\+json/);
    const doc = JSON.parse(file.text);
    expect(doc.type).toBe("FeatureCollection");
    expect(Array.isArray(doc.features)).toBe(true);
    expect(doc.features.length).toBeGreaterThan(0);
    for (const f of doc.features) {
      expect(f.type).toBe("Feature");
      expect(f.geometry.type).toBe("Point");
      expect(f.geometry.coordinates).toHaveLength(2);
      const [lng, lat] = f.geometry.coordinates;
      expect(typeof lng).toBe("number");
      expect(lng).toBeGreaterThanOrEqual(-180);
      expect(lng).toBeLessThanOrEqual(180);
      expect(lat).toBeGreaterThanOrEqual(-90);
      expect(lat).toBeLessThanOrEqual(90);
      // The demo ward is in Japan: a swapped pair ([lat, lng]) would fail here.
      expect(lng).toBeGreaterThan(122);
      expect(lat).toBeLessThan(46);
      expect(f.properties.license).toBe(OPEN_DATA_LICENSE);
      expect(typeof f.properties.name).toBe("string");
      expect(f.properties).not.toHaveProperty("contact");
    }
  });

  it.each([
    ["activities.csv", ACTIVITY_COLUMNS],
    ["places.csv", PLACE_COLUMNS],
  ] as const)("%s has a BOM, the documented header, a license on every row", (name, columns) => {
    const file = files[name];
    expect(file.status).toBe(200);
    expect(file.type).toMatch(/^text\/csv; charset=utf-8/);
    expect([...file.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(file.text);
    expect(rows[0]).toEqual(columns.map((c) => c.csv));
    expect(rows.length).toBeGreaterThan(1);
    const license = rows[0].indexOf("ライセンス");
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(columns.length);
      expect(row[license]).toBe(OPEN_DATA_LICENSE);
    }
  });

  it("lists exactly the public, active places; the CSV and the GeoJSON agree", async () => {
    const expected = await server.services.prisma.resource.findMany({ where: { visibility: "PUBLIC", status: "ACTIVE", kind: "PLACE" }, select: { id: true } });
    const csvIds = parseCsv(files["places.csv"].text).slice(1).map((r) => r[0]).sort();
    const geoIds = JSON.parse(files["places.geojson"].text).features.map((f: { id: string }) => f.id).sort();
    expect(csvIds).toEqual(expected.map((r) => r.id).sort());
    expect(geoIds).toEqual(csvIds);
    expect(files["places.csv"].text).toContain("公開試験の集会所");
    for (const text of [files["places.csv"].text, files["places.geojson"].text]) {
      expect(text).not.toContain("団体内試験の倉庫");
      expect(text).not.toContain("休止中試験の空き店舗");
    }
  });

  it("contains no personal data in any file", () => {
    expect(personal.length).toBeGreaterThan(600);
    for (const [name, file] of Object.entries(files)) {
      // Whole values: "…24-1" must not count as found inside a facility's "…24-12".
      const leaked = personal.filter((value) => new RegExp(`${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![0-9])`).test(file.text));
      expect(leaked, name).toEqual([]);
    }
  });

  it("documents every column on the public page /open-data and links the files", async () => {
    const page = await fetch(`${server.url}/open-data`);
    const html = await page.text();
    expect(page.status).toBe(200);
    for (const c of [...ACTIVITY_COLUMNS, ...PLACE_COLUMNS]) expect(html).toContain(`<code>${c.csv}</code>`);
    for (const path of ["activities.csv", "activities.geojson", "places.csv", "places.geojson"]) expect(html).toContain(`href="/api/v1/open-data/${path}"`);
    expect(html).toContain(OPEN_DATA_LICENSE);
  });
});
