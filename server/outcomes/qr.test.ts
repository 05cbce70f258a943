import qrcode from "qrcode-generator";
import { describe, expect, it } from "vitest";
import { escapeXml, qrSvg } from "./qr.ts";

describe("QR code as inline SVG", () => {
  it("draws every dark module once, with a 4-module quiet zone", () => {
    const text = "https://tsunagu.example/c/5LSZBK";
    const reference = qrcode(0, "M");
    reference.addData(text, "Byte");
    reference.make();
    const n = reference.getModuleCount();
    let dark = 0;
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (reference.isDark(r, c)) dark++;
    const svg = qrSvg(text);
    expect(svg).toContain(`viewBox="0 0 ${n + 8} ${n + 8}"`);
    expect(svg.match(/M\d+ \d+h1v1h-1z/g)).toHaveLength(dark);
    // The top-left finder pattern starts at the quiet zone's edge.
    expect(svg).toContain("M4 4h1v1h-1z");
    expect(svg).not.toContain("M3 3h1");
  });

  it("escapes the accessible title", () => {
    const svg = qrSvg("x", { title: `<a href="x">&'` });
    expect(svg).toContain("<title>&lt;a href=&quot;x&quot;&gt;&amp;&#39;</title>");
    expect(escapeXml("a&b")).toBe("a&amp;b");
  });
});
