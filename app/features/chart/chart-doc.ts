/**
 * The community chart (地域カルテ) as a Yjs document `chart:<areaId>` (docs/chart.md). Isomorphic:
 * the editor page, the Markdown export, the print page and the server's version snapshots read
 * the same structure through this module.
 *
 * Root types:
 * - `body` (Y.XmlFragment): the rich text, in the shape the TipTap/ProseMirror binding writes
 *   (`heading` with a `level` attribute, `paragraph`, `bulletList` / `orderedList` of `listItem`,
 *   Y.XmlText runs with mark attributes).
 * - `plan` (Y.Array of Y.Map): the action plan, one map per item (PlanItem fields).
 * - `meta` (Y.Map): small shared signals, e.g. `versionsChanged` when someone named a version.
 */
import * as Y from "yjs";

export const BODY_FIELD = "body";
export const PLAN_FIELD = "plan";
export const META_FIELD = "meta";

export interface ChartSection {
  id: string;
  ja: string;
  en: string;
}

/** The fixed sections, in order (issue 7). Headings are level 2. */
export const CHART_SECTIONS: readonly ChartSection[] = [
  { id: "overview", ja: "概要", en: "Overview" },
  { id: "population", ja: "人口・世帯", en: "Population and households" },
  { id: "resources", ja: "地域資源", en: "Local resources" },
  { id: "issues", ja: "課題", en: "Issues" },
  { id: "skills", ja: "住民のスキル・関心", en: "Residents' skills and interests" },
  { id: "activity", ja: "活動の状況", en: "Activity level" },
  { id: "vision", ja: "めざす姿", en: "Vision" },
  { id: "plan", ja: "アクションプラン", en: "Action plan" },
];

/**
 * The Yjs client id every seed is written with. Two browsers that find the same empty chart and
 * seed it at once produce the very same items (same client id, same clocks, same content), so
 * the second seed is already known to everyone and changes nothing (decision 061). Bump it when
 * the seed's content changes, so that old and new seeds never share ids.
 */
export const SEED_CLIENT_ID = 0x7a6b0002;

/**
 * The seed as a Yjs update: the section headings, each followed by an empty paragraph that holds
 * an empty Y.XmlText. The text node matters: in a paragraph with no text node, two people who start
 * typing at once each create their own, and the ProseMirror binding then writes later keystrokes
 * into either of them (words interleave). With one shared Y.XmlText their runs stay whole.
 */
export function chartSeedUpdate(): Uint8Array {
  const seed = new Y.Doc({ gc: false });
  seed.clientID = SEED_CLIENT_ID;
  const body = seed.getXmlFragment(BODY_FIELD);
  seed.transact(() => {
    const nodes: Y.XmlElement[] = [];
    for (const section of CHART_SECTIONS) {
      const heading = new Y.XmlElement("heading");
      heading.setAttribute("level", 2 as unknown as string);
      heading.insert(0, [new Y.XmlText(section.ja)]);
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText()]);
      nodes.push(heading, paragraph);
    }
    body.insert(0, nodes);
  });
  const update = Y.encodeStateAsUpdate(seed);
  seed.destroy();
  return update;
}

function stateHasNoSeed(doc: Y.Doc): boolean {
  return Y.getState(doc.store, SEED_CLIENT_ID) === 0;
}

/** Applies the seed (idempotent: see SEED_CLIENT_ID). Returns true when it changed the document. */
export function seedChart(doc: Y.Doc, origin: unknown = "seed"): boolean {
  if (!stateHasNoSeed(doc) || doc.getXmlFragment(BODY_FIELD).length > 0) return false;
  Y.applyUpdate(doc, chartSeedUpdate(), origin);
  return true;
}

// ───────────── Action plan ─────────────

export const PLAN_STATUSES = ["NOT_STARTED", "IN_PROGRESS", "DONE", "ON_HOLD"] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const PLAN_STATUS_LABELS: Record<PlanStatus, { ja: string; en: string }> = {
  NOT_STARTED: { ja: "未着手", en: "Not started" },
  IN_PROGRESS: { ja: "進行中", en: "In progress" },
  DONE: { ja: "完了", en: "Done" },
  ON_HOLD: { ja: "保留", en: "On hold" },
};

export interface PlanItem {
  id: string;
  title: string;
  ownerOrgId: string | null;
  /** The organization's name when the item was last edited (the chart is read without joins). */
  ownerOrgName: string;
  /** YYYY-MM-DD or null. */
  due: string | null;
  status: PlanStatus;
  /** 0–100, whole numbers. */
  progress: number;
  /** Where the item came from: typed into the chart, or a decision recorded in meeting mode. */
  source: "chart" | "meeting";
  /**
   * The day (YYYY-MM-DD, Japan time) a meeting decided it; null for items typed into the chart and
   * for items written before meeting mode existed (they have no such key).
   */
  decidedAt: string | null;
}

/** What addPlanItem takes: items typed into the chart need not say `decidedAt`. */
export type NewPlanItem = Omit<PlanItem, "decidedAt"> & { decidedAt?: string | null };

export type PlanPatch = Partial<Omit<PlanItem, "id" | "source" | "decidedAt">>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Other clients write these maps: read every field defensively. */
export function planItemFrom(map: Y.Map<unknown>): PlanItem | null {
  const id = map.get("id");
  if (typeof id !== "string" || id.length === 0 || id.length > 64) return null;
  const text = (key: string, max: number) => {
    const value = map.get(key);
    return typeof value === "string" ? value.slice(0, max) : "";
  };
  const status = map.get("status");
  const progress = Number(map.get("progress"));
  const due = map.get("due");
  const ownerOrgId = map.get("ownerOrgId");
  const source = map.get("source") === "meeting" ? "meeting" : "chart";
  const decidedAt = map.get("decidedAt");
  return {
    id,
    title: text("title", 200),
    ownerOrgId: typeof ownerOrgId === "string" && ownerOrgId.length > 0 ? ownerOrgId.slice(0, 64) : null,
    ownerOrgName: text("ownerOrgName", 120),
    due: typeof due === "string" && DAY.test(due) ? due : null,
    status: PLAN_STATUSES.includes(status as PlanStatus) ? (status as PlanStatus) : "NOT_STARTED",
    progress: Number.isFinite(progress) ? Math.min(100, Math.max(0, Math.round(progress))) : 0,
    source,
    // Only a meeting decision has a decision day; a stray key on a chart item is ignored.
    decidedAt: source === "meeting" && typeof decidedAt === "string" && DAY.test(decidedAt) ? decidedAt : null,
  };
}

export function planArray(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
  return doc.getArray<Y.Map<unknown>>(PLAN_FIELD);
}

export function readPlan(doc: Y.Doc): PlanItem[] {
  const items: PlanItem[] = [];
  for (const entry of planArray(doc).toArray()) {
    if (!(entry instanceof Y.Map)) continue;
    const item = planItemFrom(entry);
    if (item) items.push(item);
  }
  return items;
}

/**
 * Adds an item at the end. The id comes from the caller (crypto.randomUUID in the browser).
 * `decidedAt` is written only when there is one, so chart items keep the shape they always had.
 */
export function addPlanItem(doc: Y.Doc, item: NewPlanItem): void {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(item)) {
    if (key === "decidedAt" && (value === null || value === undefined)) continue;
    map.set(key, value);
  }
  planArray(doc).push([map]);
}

export interface MeetingDecision {
  id: string;
  title: string;
  ownerOrgId: string | null;
  ownerOrgName: string;
  /** YYYY-MM-DD or null. */
  due: string | null;
  /** When the meeting decided it; the day is taken in Japan time. */
  decidedAt: Date;
}

/** YYYY-MM-DD of an instant in Japan time (UTC+9, no daylight saving). */
export function jstDay(at: Date): string {
  return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Records a meeting decision as an action-plan item (meeting mode, decision 069): a new item with
 * `source: "meeting"` and the day it was decided, not started. Through the same Y.Array as every
 * other item, so it is saved, broadcast, versioned and exported like them. Returns the item.
 */
export function addMeetingDecision(doc: Y.Doc, decision: MeetingDecision): PlanItem {
  const title = decision.title.trim().slice(0, 200);
  if (title.length === 0) throw new Error("a decision needs a text");
  const item: PlanItem = {
    id: decision.id,
    title,
    ownerOrgId: decision.ownerOrgId,
    ownerOrgName: decision.ownerOrgId ? decision.ownerOrgName.slice(0, 120) : "",
    due: decision.due !== null && DAY.test(decision.due) ? decision.due : null,
    status: "NOT_STARTED",
    progress: 0,
    source: "meeting",
    decidedAt: jstDay(decision.decidedAt),
  };
  addPlanItem(doc, item);
  return item;
}

/** 「会議決定 2026/12/04」 / "Meeting decision 2026/12/04" for an item, or null for a chart item. */
export function planOriginLabel(item: Pick<PlanItem, "source" | "decidedAt">, locale: "ja" | "en"): string | null {
  if (item.source !== "meeting") return null;
  const word = locale === "ja" ? "会議決定" : "Meeting decision";
  return item.decidedAt ? `${word} ${item.decidedAt.replaceAll("-", "/")}` : word;
}

/** Sets only the given fields: two people editing different fields of one item both win. */
export function updatePlanItem(doc: Y.Doc, id: string, patch: PlanPatch): boolean {
  const map = planArray(doc)
    .toArray()
    .find((m) => m instanceof Y.Map && m.get("id") === id);
  if (!map) return false;
  doc.transact(() => {
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (map.get(key) !== value) map.set(key, value);
    }
  });
  return true;
}

export function removePlanItem(doc: Y.Doc, id: string): boolean {
  const array = planArray(doc);
  const index = array.toArray().findIndex((m) => m instanceof Y.Map && m.get("id") === id);
  if (index < 0) return false;
  array.delete(index, 1);
  return true;
}

// ───────────── Reading the text ─────────────

export interface TextRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
  strike?: boolean;
  code?: boolean;
  href?: string;
}

export type ChartBlock =
  | { type: "heading"; level: number; runs: TextRun[] }
  | { type: "paragraph"; runs: TextRun[] }
  | { type: "bulletList" | "orderedList"; items: ChartBlock[][] }
  | { type: "blockquote"; children: ChartBlock[] }
  | { type: "codeBlock"; text: string }
  | { type: "horizontalRule" };

function runsOf(node: Y.XmlElement): TextRun[] {
  const runs: TextRun[] = [];
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
        if (typeof op.insert !== "string") continue;
        const a = op.attributes ?? {};
        const link = a.link as { href?: unknown } | undefined;
        const run: TextRun = { text: op.insert };
        if (a.bold) run.bold = true;
        if (a.italic) run.italic = true;
        if (a.strike) run.strike = true;
        if (a.code) run.code = true;
        if (link && typeof link.href === "string" && /^(https?:|mailto:)/i.test(link.href)) run.href = link.href;
        runs.push(run);
      }
    } else if (child instanceof Y.XmlElement && child.nodeName === "hardBreak") {
      runs.push({ text: "\n" });
    }
  }
  return runs;
}

function blocksOf(nodes: Array<Y.XmlElement | Y.XmlText | Y.XmlHook>): ChartBlock[] {
  const blocks: ChartBlock[] = [];
  for (const node of nodes) {
    if (!(node instanceof Y.XmlElement)) continue;
    switch (node.nodeName) {
      case "heading": {
        const level = Number(node.getAttribute("level"));
        blocks.push({ type: "heading", level: level >= 1 && level <= 6 ? Math.round(level) : 2, runs: runsOf(node) });
        break;
      }
      case "paragraph":
        blocks.push({ type: "paragraph", runs: runsOf(node) });
        break;
      case "bulletList":
      case "orderedList":
        blocks.push({
          type: node.nodeName,
          items: node
            .toArray()
            .filter((item): item is Y.XmlElement => item instanceof Y.XmlElement && item.nodeName === "listItem")
            .map((item) => blocksOf(item.toArray())),
        });
        break;
      case "blockquote":
        blocks.push({ type: "blockquote", children: blocksOf(node.toArray()) });
        break;
      case "codeBlock":
        blocks.push({ type: "codeBlock", text: runsOf(node).map((r) => r.text).join("") });
        break;
      case "horizontalRule":
        blocks.push({ type: "horizontalRule" });
        break;
      default:
        // Unknown node (a newer editor): keep its text.
        blocks.push({ type: "paragraph", runs: runsOf(node) });
    }
  }
  return blocks;
}

export function readBlocks(doc: Y.Doc): ChartBlock[] {
  return blocksOf(doc.getXmlFragment(BODY_FIELD).toArray());
}

/** A Y.Doc from a stored state (a version, or the durable document). */
export function docFromState(state: Uint8Array | null): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  if (state && state.length > 0) Y.applyUpdate(doc, state);
  return doc;
}

// ───────────── Restoring a version ─────────────

/**
 * Makes the live document's text and plan equal to a version's, as one ordinary local edit:
 * everything there now is deleted and copies of the version's nodes are inserted. The edit goes
 * to the server like any keystroke (stored, then broadcast to every open chart), and it can be
 * undone by restoring another version (decision 063).
 */
export function restoreVersion(doc: Y.Doc, versionState: Uint8Array, origin: unknown = "restore"): void {
  const version = docFromState(versionState);
  try {
    const sourceBody = version.getXmlFragment(BODY_FIELD);
    const sourcePlan = version.getArray<Y.Map<unknown>>(PLAN_FIELD);
    const body = doc.getXmlFragment(BODY_FIELD);
    const plan = planArray(doc);
    doc.transact(() => {
      if (body.length > 0) body.delete(0, body.length);
      const copies = sourceBody.toArray().map((node) => node.clone());
      if (copies.length > 0) body.insert(0, copies as Array<Y.XmlElement | Y.XmlText>);
      if (plan.length > 0) plan.delete(0, plan.length);
      const items = sourcePlan.toArray().filter((m): m is Y.Map<unknown> => m instanceof Y.Map);
      if (items.length > 0) plan.insert(0, items.map((m) => m.clone()));
    }, origin);
  } finally {
    version.destroy();
  }
}
