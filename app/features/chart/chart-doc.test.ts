import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  addPlanItem,
  BODY_FIELD,
  CHART_SECTIONS,
  chartSeedUpdate,
  readBlocks,
  readPlan,
  removePlanItem,
  restoreVersion,
  seedChart,
  updatePlanItem,
  type PlanItem,
} from "./chart-doc.ts";

const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
};

const item = (id: string, extra: Partial<PlanItem> = {}): PlanItem => ({
  id,
  title: `項目 ${id}`,
  ownerOrgId: "org1",
  ownerOrgName: "社協",
  due: "2027-03-31",
  status: "NOT_STARTED",
  progress: 0,
  source: "chart",
  ...extra,
});

describe("chart seed", () => {
  it("is the same bytes every time", () => {
    expect(Buffer.from(chartSeedUpdate()).equals(Buffer.from(chartSeedUpdate()))).toBe(true);
  });

  it("seeded by two clients at once, the sections appear once", () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    expect(seedChart(a)).toBe(true);
    expect(seedChart(b)).toBe(true);
    sync(a, b);
    const headings = readBlocks(a).filter((block) => block.type === "heading");
    expect(headings.map((h) => (h.type === "heading" ? h.runs.map((r) => r.text).join("") : ""))).toEqual(CHART_SECTIONS.map((s) => s.ja));
    expect(a.getXmlFragment(BODY_FIELD).toString()).toBe(b.getXmlFragment(BODY_FIELD).toString());
    expect(a.getXmlFragment(BODY_FIELD).length).toBe(CHART_SECTIONS.length * 2);
  });

  it("does not come back once the sections were deleted, nor over existing text", () => {
    const doc = new Y.Doc();
    seedChart(doc);
    const body = doc.getXmlFragment(BODY_FIELD);
    body.delete(0, body.length);
    expect(seedChart(doc)).toBe(false);
    expect(body.length).toBe(0);

    const other = new Y.Doc();
    other.getXmlFragment(BODY_FIELD).insert(0, [new Y.XmlElement("paragraph")]);
    expect(seedChart(other)).toBe(false);
  });
});

describe("action plan", () => {
  it("merges edits of different fields of one item", () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    addPlanItem(a, item("p1"));
    sync(a, b);
    updatePlanItem(a, "p1", { progress: 40 });
    updatePlanItem(b, "p1", { status: "IN_PROGRESS" });
    sync(a, b);
    expect(readPlan(a)).toEqual([item("p1", { progress: 40, status: "IN_PROGRESS" })]);
    expect(readPlan(b)).toEqual(readPlan(a));
    expect(removePlanItem(b, "p1")).toBe(true);
    sync(a, b);
    expect(readPlan(a)).toEqual([]);
  });

  it("reads odd values safely", () => {
    const doc = new Y.Doc();
    const map = new Y.Map<unknown>();
    doc.getArray("plan").push([map]);
    map.set("id", "x");
    map.set("progress", 250);
    map.set("status", "WHATEVER");
    map.set("due", "soon");
    expect(readPlan(doc)).toEqual([
      { id: "x", title: "", ownerOrgId: null, ownerOrgName: "", due: null, status: "NOT_STARTED", progress: 100, source: "chart" },
    ]);
  });
});

describe("restoring a version", () => {
  it("is an edit that reaches another client and yields the version's content", () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    seedChart(a);
    addPlanItem(a, item("p1"));
    sync(a, b);
    const version = Y.encodeStateAsUpdate(a);

    // Later edits on both sides.
    const para = new Y.XmlElement("paragraph");
    para.insert(0, [new Y.XmlText("あとから書いた")]);
    b.getXmlFragment(BODY_FIELD).insert(1, [para]);
    updatePlanItem(b, "p1", { progress: 90 });
    addPlanItem(b, item("p2"));
    sync(a, b);
    expect(JSON.stringify(readBlocks(a))).toContain("あとから書いた");

    restoreVersion(a, version);
    sync(a, b);
    expect(readBlocks(b)).toEqual(readBlocks(docOf(version)));
    expect(readPlan(b)).toEqual([item("p1")]);
  });
});

function docOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}
