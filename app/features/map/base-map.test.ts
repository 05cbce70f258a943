import { describe, expect, it } from "vitest";
import { attributionHtml, baseMapFromSettings, baseStyle, formatView, parseView } from "./base-map";

const GSI = "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png";

describe("baseMapFromSettings", () => {
  it("is the inline style when nothing is configured", () => {
    expect(baseMapFromSettings({})).toEqual({ kind: "inline" });
    expect(baseMapFromSettings({ MAP_STYLE_URL: null, MAP_TILE_URL: null })).toEqual({ kind: "inline" });
  });

  it("prefers a style URL over tiles", () => {
    expect(baseMapFromSettings({ MAP_STYLE_URL: "https://maps.example.jp/style.json", MAP_TILE_URL: GSI })).toEqual({
      kind: "style",
      url: "https://maps.example.jp/style.json",
    });
  });

  it("names 地理院タイル when the tiles come from the GSI server and no attribution is set", () => {
    const base = baseMapFromSettings({ MAP_TILE_URL: GSI });
    expect(base).toMatchObject({ kind: "raster", tiles: GSI, attribution: { text: "地理院タイル", url: "https://maps.gsi.go.jp/development/ichiran.html" } });
  });

  it("uses the configured attribution, and none for an unknown server without one", () => {
    expect(baseMapFromSettings({ MAP_TILE_URL: "https://tiles.example.jp/{z}/{x}/{y}.png", MAP_TILE_ATTRIBUTION: " 市の地図 ", MAP_TILE_ATTRIBUTION_URL: "https://city.example.jp/" })).toMatchObject({
      kind: "raster",
      attribution: { text: "市の地図", url: "https://city.example.jp/" },
    });
    expect(baseMapFromSettings({ MAP_TILE_URL: "https://tiles.example.jp/{z}/{x}/{y}.png" })).toMatchObject({ kind: "raster", attribution: null });
    // A non-http link is dropped, the text stays.
    expect(baseMapFromSettings({ MAP_TILE_URL: GSI, MAP_TILE_ATTRIBUTION: "x", MAP_TILE_ATTRIBUTION_URL: "javascript:alert(1)" })).toMatchObject({
      attribution: { text: "x", url: null },
    });
  });

  it("falls back to the inline style for anything that is not an http(s) URL", () => {
    expect(baseMapFromSettings({ MAP_STYLE_URL: "javascript:alert(1)" })).toEqual({ kind: "inline" });
    expect(baseMapFromSettings({ MAP_TILE_URL: "file:///etc/{z}.png" })).toEqual({ kind: "inline" });
  });
});

describe("attributionHtml", () => {
  it("escapes the text and links only http(s)", () => {
    expect(attributionHtml({ text: "<b>地図</b> & 'co'", url: null })).toBe("&lt;b&gt;地図&lt;/b&gt; &amp; &#39;co&#39;");
    expect(attributionHtml({ text: "地理院タイル", url: 'https://maps.gsi.go.jp/?a="b"' })).toBe(
      '<a href="https://maps.gsi.go.jp/?a=&quot;b&quot;" target="_blank" rel="noopener noreferrer">地理院タイル</a>',
    );
    expect(attributionHtml({ text: "x", url: "javascript:alert(1)" })).toBe("x");
  });
});

describe("baseStyle", () => {
  it("inline: a background only, no sources", () => {
    const style = baseStyle({ kind: "inline" });
    expect(typeof style).toBe("object");
    expect(style).toMatchObject({ version: 8, sources: {}, layers: [{ id: "background", type: "background" }] });
  });

  it("raster: the tiles under everything, with the attribution on the source", () => {
    const style = baseStyle(baseMapFromSettings({ MAP_TILE_URL: GSI }));
    expect(style).toMatchObject({
      sources: { "base-tiles": { type: "raster", tiles: [GSI], tileSize: 256, maxzoom: 18, attribution: expect.stringContaining(">地理院タイル</a>") } },
      layers: [{ id: "background" }, { id: "base-tiles", type: "raster", source: "base-tiles" }],
    });
  });

  it("style: the URL itself", () => {
    expect(baseStyle({ kind: "style", url: "https://maps.example.jp/style.json" })).toBe("https://maps.example.jp/style.json");
  });
});

describe("?view=", () => {
  it("parses zoom/lat/lng and formats it back", () => {
    expect(parseView("15.5/35.4437/139.638")).toEqual({ zoom: 15.5, lat: 35.4437, lng: 139.638 });
    expect(formatView({ zoom: 15.123, lat: 35.12345678, lng: 139.98765432 })).toBe("15.12/35.123457/139.987654");
    expect(parseView(formatView({ zoom: 3, lat: -10, lng: 20 }))).toEqual({ zoom: 3, lat: -10, lng: 20 });
  });

  it.each([null, "", "15/35", "15/35/139/1", "a/35/139", "23/35/139", "15/91/139", "15/35/181", "15//139"])("ignores %j", (value) => {
    expect(parseView(value)).toBeNull();
  });
});
