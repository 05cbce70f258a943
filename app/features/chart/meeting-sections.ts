/**
 * The sections of a chart page that meeting mode can point at (decision 069): the text's level-2
 * headings and a few parts of the page (the plan table, the figures). A section is named the same
 * way on every client, from what every client has — the shared document's headings — so a
 * follower finds the facilitator's section in its own page:
 *
 * - a fixed section's heading (概要, 課題…, in Japanese or English): its id (`issues`);
 * - any other level-2 heading: `h-<n>`, its position among the headings (1-based);
 * - a part of the page marked `data-meeting-section="<id>"`: that id (`action-plan`, `figures`).
 *
 * The DOM functions run in the browser only (called from effects and event handlers).
 */
import type { Locale } from "~/lib/i18n";
import { CHART_SECTIONS } from "./chart-doc";
import { CHART_MESSAGES } from "./messages";

/** Parts of the page outside the text that a facilitator can be in. */
export const PAGE_SECTIONS = ["action-plan", "figures"] as const;

const HEADINGS = ".chart-editor__content h2";
const TARGETS = `${HEADINGS}, [data-meeting-section]`;
/** Remote carets sit inside the text with their owner's name: not part of a heading's text. */
const CARET = ".collaboration-carets__caret";

/** The id of the `index`-th (1-based) heading with this text; `taken` holds ids already given. */
export function sectionIdFor(text: string, index: number, taken: ReadonlySet<string> = new Set()): string {
  const plain = text.replace(/\s+/g, " ").trim();
  const fixed = CHART_SECTIONS.find((s) => s.ja === plain || s.en.toLowerCase() === plain.toLowerCase());
  return fixed && !taken.has(fixed.id) ? fixed.id : `h-${index}`;
}

/** A section's name in the page's language; headings of our own by their text. */
export function sectionLabel(id: string, locale: Locale, headingText?: string): string {
  const t = CHART_MESSAGES[locale];
  const fixed = CHART_SECTIONS.find((s) => s.id === id);
  if (fixed) return fixed[locale];
  if (id === "action-plan") return t.meetingPlanTable;
  if (id === "figures") return t.figuresTitle;
  return headingText && headingText.length > 0 ? headingText : id;
}

export interface SectionTarget {
  id: string;
  element: HTMLElement;
  /** The heading's text (headings only). */
  text: string;
}

export function headingText(element: Element): string {
  const copy = element.cloneNode(true) as Element;
  copy.querySelectorAll(CARET).forEach((caret) => caret.remove());
  return (copy.textContent ?? "").replace(/\s+/g, " ").trim();
}

/** Every section of the page, in document order. */
export function sectionTargets(root: ParentNode = document): SectionTarget[] {
  const targets: SectionTarget[] = [];
  const taken = new Set<string>();
  let index = 0;
  for (const element of root.querySelectorAll<HTMLElement>(TARGETS)) {
    const marked = element.getAttribute("data-meeting-section");
    if (marked) {
      targets.push({ id: marked, element, text: "" });
      continue;
    }
    index += 1;
    const text = headingText(element);
    const id = sectionIdFor(text, index, taken);
    taken.add(id);
    targets.push({ id, element, text });
  }
  return targets;
}

/**
 * The section holding the caret or the focus, when it is in the text or a marked part of the page;
 * null when the focus is elsewhere.
 */
export function sectionAtCaret(targets: SectionTarget[] = sectionTargets()): string | null {
  const active = document.activeElement;
  if (!active) return null;
  const marked = active.closest("[data-meeting-section]");
  if (marked) return marked.getAttribute("data-meeting-section");
  const editor = active.closest(".chart-editor__content");
  const anchor = document.getSelection()?.anchorNode ?? null;
  if (!editor || !anchor || !editor.contains(anchor)) return null;
  let found: string | null = null;
  for (const target of targets) {
    if (!editor.contains(target.element)) continue;
    // The heading is the anchor's container, or comes before it.
    if (target.element.contains(anchor) || target.element.compareDocumentPosition(anchor) & Node.DOCUMENT_POSITION_FOLLOWING) found = target.id;
  }
  return found;
}

/** How far down the window a section's top may be and still count as "the one being read". */
const READING_LINE = 0.3;

/** The section being read: the last one whose top is above the upper third of the window. */
export function sectionAtScroll(targets: SectionTarget[] = sectionTargets()): string | null {
  if (targets.length === 0) return null;
  const line = window.innerHeight * READING_LINE;
  let found = targets[0].id;
  for (const target of targets) {
    if (target.element.getBoundingClientRect().top <= line) found = target.id;
  }
  return found;
}

/** Where a section starts and ends on the page (to scroll to it and mark it). */
export function sectionBox(id: string, targets: SectionTarget[] = sectionTargets()): { target: SectionTarget; height: number } | null {
  const at = targets.findIndex((t) => t.id === id);
  if (at < 0) return null;
  const target = targets[at];
  const top = target.element.getBoundingClientRect().top;
  const next = targets[at + 1];
  const own = target.element.getBoundingClientRect().height;
  // A heading's section runs to the next heading; a marked part is its own box.
  const end = target.text && next ? next.element.getBoundingClientRect().top : top + own;
  return { target, height: Math.max(own, Math.min(end - top, window.innerHeight * 0.8)) };
}
