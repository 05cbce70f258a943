import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  chromium,
  type Browser as PwBrowser,
  type Page,
} from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./browser.ts";

/**
 * Helpers of the tests/e2e/residents-*.test.ts files: a plain Chromium (for contexts with
 * JavaScript off, geolocation, several users) and an axe-core check.
 */
export async function launchChromium(): Promise<PwBrowser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the page and returns the serious and critical
 * violations. The page's CSP forbids inline scripts, so page.addScriptTag cannot inject axe; its
 * source is evaluated through the DevTools protocol instead, which the CSP does not govern.
 */
export async function seriousAxeViolations(
  page: Page
): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown
          ) => Promise<{
            violations: Array<{
              id: string;
              impact: string | null;
              help: string;
              nodes: Array<{ target: unknown }>;
            }>;
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
      },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)),
    }));
  });
  return violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical"
  );
}

/**
 * Interactive controls of the residents' wrapper smaller than 44 × 44 CSS px (links inside running
 * text are exempt, as in WCAG 2.5.8; checkboxes and radios count through their label, `.check` or
 * `.time-grid__cell`).
 */
export async function smallTouchTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const small: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>(
      ".residents :is(button, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea, summary, a.button, .back-link, .check, .time-grid__cell)"
    );
    for (const el of controls) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not rendered (closed <details>)
      if (box.height < 44 || box.width < 44)
        small.push(
          `${el.tagName.toLowerCase()} "${(el.textContent ?? "")
            .trim()
            .slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`
        );
    }
    return small;
  });
}

/** Distances as the list shows them ("約300m", "約1.2km", "about 1.2 km") in metres. */
export function parseDistance(text: string): number {
  const km = /([\d.]+)\s*km/.exec(text);
  if (km) return Number(km[1]) * 1000;
  const m = /([\d.]+)\s*m/.exec(text);
  if (m) return Number(m[1]);
  throw new Error(`not a distance: ${text}`);
}
