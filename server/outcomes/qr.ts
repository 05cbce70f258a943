import qrcode from "qrcode-generator";

/**
 * A QR code as an inline SVG string, drawn on the server (no script, no image request, prints
 * sharply at any size). One `<path>` of dark modules with a 4-module quiet zone, as the standard
 * asks; error correction M (15 %) survives a creased or partly covered printout.
 */
export function qrSvg(text: string, options: { title?: string } = {}): string {
  const qr = qrcode(0, "M");
  qr.addData(text, "Byte");
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 4;
  const size = n + quiet * 2;
  let d = "";
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (qr.isDark(row, col)) d += `M${col + quiet} ${row + quiet}h1v1h-1z`;
    }
  }
  const title = options.title ? `<title>${escapeXml(options.title)}</title>` : "";
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges" role="img"` +
    `${options.title ? ` aria-label="${escapeXml(options.title)}"` : ""}>` +
    `${title}<rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`
  );
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] as string);
}
