import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  addMeetingDecision,
  addPlanItem,
  BODY_FIELD,
  CHART_SECTIONS,
  chartSeedUpdate,
  jstDay,
  planOriginLabel,
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
  decidedAt: null,
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
      { id: "x", title: "", ownerOrgId: null, ownerOrgName: "", due: null, status: "NOT_STARTED", progress: 100, source: "chart", decidedAt: null },
    ]);
  });
});

describe("meeting decisions in the plan", () => {
  it("reads an item written before meeting mode (no decidedAt key) as a chart item, unchanged", () => {
    const doc = new Y.Doc();
    const map = new Y.Map<unknown>();
    doc.getArray("plan").push([map]);
    for (const [key, value] of Object.entries({ id: "old", title: "古い項目", ownerOrgId: "o1", ownerOrgName: "社協", due: "2027-01-31", status: "DONE", progress: 100, source: "chart" })) {
      map.set(key, value);
    }
    expect(readPlan(doc)).toEqual([item("old", { title: "古い項目", ownerOrgId: "o1", due: "2027-01-31", status: "DONE", progress: 100 })]);
    // Adding a chart item does not write the new key either.
    addPlanItem(doc, { id: "new", title: "新", ownerOrgId: null, ownerOrgName: "", due: null, status: "NOT_STARTED", progress: 0, source: "chart" });
    expect(doc.getArray<Y.Map<unknown>>("plan").get(1).has("decidedAt")).toBe(false);
    // An old meeting item without a day is still a meeting item.
    map.set("source", "meeting");
    expect(readPlan(doc)[0]).toMatchObject({ source: "meeting", decidedAt: null });
    expect(planOriginLabel(readPlan(doc)[0], "ja")).toBe("会議決定");
  });

  it("records a decision as a meeting item with the day in Japan time, and it reaches another replica", () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    addPlanItem(a, item("p1"));
    sync(a, b);
    // 2026-12-03 16:30 UTC is 2026-12-04 01:30 in Japan.
    const added = addMeetingDecision(a, {
      id: "d1",
      title: "  見守りサロンの会場を公民館に決定  ",
      ownerOrgId: "org2",
      ownerOrgName: "NPO法人つなぐ",
      due: "2027-01-15",
      decidedAt: new Date("2026-12-03T16:30:00Z"),
    });
    expect(added).toEqual({
      id: "d1",
      title: "見守りサロンの会場を公民館に決定",
      ownerOrgId: "org2",
      ownerOrgName: "NPO法人つなぐ",
      due: "2027-01-15",
      status: "NOT_STARTED",
      progress: 0,
      source: "meeting",
      decidedAt: "2026-12-04",
    });
    sync(a, b);
    expect(readPlan(b)).toEqual([item("p1"), added]);
    expect(planOriginLabel(readPlan(b)[1], "ja")).toBe("会議決定 2026/12/04");
    expect(planOriginLabel(readPlan(b)[1], "en")).toBe("Meeting decision 2026/12/04");
    expect(planOriginLabel(readPlan(b)[0], "ja")).toBeNull();
    // Editing the decision's progress keeps where it came from.
    updatePlanItem(b, "d1", { progress: 50 });
    sync(a, b);
    expect(readPlan(a)[1]).toMatchObject({ progress: 50, source: "meeting", decidedAt: "2026-12-04" });
  });

  it("drops a bad due date, an owner name without an owner, and refuses an empty text", () => {
    const doc = new Y.Doc();
    const added = addMeetingDecision(doc, { id: "d2", title: "決定", ownerOrgId: null, ownerOrgName: "誰か", due: "来月", decidedAt: new Date("2026-12-04T03:00:00Z") });
    expect(added).toMatchObject({ ownerOrgId: null, ownerOrgName: "", due: null, decidedAt: "2026-12-04" });
    expect(() => addMeetingDecision(doc, { id: "d3", title: "   ", ownerOrgId: null, ownerOrgName: "", due: null, decidedAt: new Date() })).toThrow();
    expect(readPlan(doc).map((p) => p.id)).toEqual(["d2"]);
  });

  it("reads odd decision days safely, and ignores a day on a chart item", () => {
    const doc = new Y.Doc();
    const odd = new Y.Map<unknown>();
    const stray = new Y.Map<unknown>();
    doc.getArray("plan").push([odd, stray]);
    odd.set("id", "m");
    odd.set("source", "meeting");
    odd.set("decidedAt", "yesterday");
    stray.set("id", "c");
    stray.set("source", "chart");
    stray.set("decidedAt", "2026-12-04");
    expect(readPlan(doc).map((p) => [p.source, p.decidedAt])).toEqual([
      ["meeting", null],
      ["chart", null],
    ]);
  });

  it("takes the day in Japan time", () => {
    expect(jstDay(new Date("2026-12-04T14:59:59Z"))).toBe("2026-12-04");
    expect(jstDay(new Date("2026-12-04T15:00:00Z"))).toBe("2026-12-05");
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
