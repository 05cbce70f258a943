import type { Page } from "playwright-core";

/**
 * Reading back what MapLibre drew, for the render checks. The canvas is a WebGL drawing buffer
 * that is cleared after compositing, so pixels come from a screenshot of the map's region (what a
 * person sees, HTML controls included), decoded in the page. Positions are computed here with our
 * own Web Mercator arithmetic from the viewport the map reports (`data-view`), not with MapLibre's
 * `project()`: a wrong projection or a layer drawn in the wrong place fails the check. Also the
 * one pin drag the live tests share (`dragSelectedPin`).
 */

export type Rgb = [number, number, number];

export interface View {
  zoom: number;
  lat: number;
  lng: number;
}

/** MapLibre's world is 512 px wide at zoom 0. */
const TILE = 512;

function mercator(lat: number, lng: number, zoom: number): { x: number; y: number } {
  const world = TILE * 2 ** zoom;
  const sin = Math.sin((lat * Math.PI) / 180);
  return { x: ((lng + 180) / 360) * world, y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * world };
}

/** The canvas pixel of a position, for a map of `size` CSS pixels showing `view`. */
export function project(view: View, size: { width: number; height: number }, lat: number, lng: number): { x: number; y: number } {
  const centre = mercator(view.lat, view.lng, view.zoom);
  const point = mercator(lat, lng, view.zoom);
  return { x: size.width / 2 + (point.x - centre.x), y: size.height / 2 + (point.y - centre.y) };
}

/** Metres on the ground per CSS pixel at a latitude and zoom. */
export function metresPerPixel(lat: number, zoom: number): number {
  return (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (TILE * 2 ** zoom);
}

export function hex(colour: string): Rgb {
  const n = Number.parseInt(colour.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** `top` drawn with `alpha` over `bottom`. */
export function blend(top: Rgb, alpha: number, bottom: Rgb): Rgb {
  return [0, 1, 2].map((i) => Math.round(alpha * top[i] + (1 - alpha) * bottom[i])) as Rgb;
}

export function distance(a: Rgb, b: Rgb): number {
  return Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));
}

/** The map's reported viewport (`data-view`, zoom/lat/lng). */
export async function mapView(page: Page): Promise<View> {
  const text = await page.locator(".map-board__map").getAttribute("data-view");
  const [zoom, lat, lng] = (text ?? "").split("/").map(Number);
  if (![zoom, lat, lng].every(Number.isFinite)) throw new Error(`the map reports no viewport: ${text}`);
  return { zoom, lat, lng };
}

/** Waits until the map has drawn everything it has (MapLibre's `idle`). */
export async function waitIdle(page: Page, timeout = 20_000): Promise<void> {
  await page.locator(".map-board__map[data-ready=true][data-idle=true]").waitFor({ timeout });
}

/**
 * The colour at each point (canvas CSS pixels), as the median of a 3×3 block so an antialiased
 * edge or a single odd pixel does not decide. Also returns the canvas size.
 */
export async function readPixels(page: Page, points: Array<{ x: number; y: number }>): Promise<{ width: number; height: number; colours: Rgb[] }> {
  const png = await page.locator(".map-board__map canvas").screenshot();
  // Sent as source text: a function would be transformed by whoever runs this file (tsx adds
  // helpers such as __name that the page does not have).
  return page.evaluate(`(${DECODE_PIXELS})(${JSON.stringify([png.toString("base64"), points])})`);
}

/** Runs in the page: decodes the PNG and takes the 3×3 median at each point. */
const DECODE_PIXELS = `async ([base64, wanted]) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext("2d");
  context.drawImage(bitmap, 0, 0);
  const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  const at = (x, y, channel) => {
    const cx = Math.min(bitmap.width - 1, Math.max(0, x));
    const cy = Math.min(bitmap.height - 1, Math.max(0, y));
    return data[(cy * bitmap.width + cx) * 4 + channel];
  };
  const colours = wanted.map(({ x, y }) => {
    const px = Math.round(x);
    const py = Math.round(y);
    return [0, 1, 2].map((channel) => {
      const values = [];
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) values.push(at(px + dx, py + dy, channel));
      values.sort((a, b) => a - b);
      return values[4];
    });
  });
  return { width: bitmap.width, height: bitmap.height, colours };
}`;

/**
 * Drags the selected pin's handle as a person does: grabs it, moves 20 × 5 px (then
 * `whileDragging` runs — the other map shows the drag lock), and goes on to 80 × 40 px from the
 * start, still held: the caller releases it (`page.mouse.up()`), so it can time the save.
 * Right and down on the screen: east and south.
 */
export async function dragSelectedPin(page: Page, whileDragging: () => Promise<unknown>): Promise<void> {
  await page.locator(".map-board__map[data-ready=true]").waitFor();
  const handle = page.locator(".map-drag-handle");
  await handle.waitFor();
  await page.waitForTimeout(400); // a pan to the selection, if any, has settled
  const box = (await handle.boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 20, y + 5, { steps: 4 });
  await whileDragging();
  await page.mouse.move(x + 80, y + 40, { steps: 6 });
}
