import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addMeetingDecision, addPlanItem, BODY_FIELD, readBlocks, readPlan, seedChart } from "./chart-doc.ts";
import { chartToMarkdown } from "./chart-markdown.ts";
import type { ChartFigures } from "./figures.ts";

const figures: ChartFigures = {
  areaId: "a1",
  asOf: "2026-12-04T02:40:00.000Z",
  month: "2026-12",
  resources: { total: 3, byCategory: [{ kind: "PLACE", category: "salon", count: 2 }, { kind: "PLACE", category: "park", count: 1 }] },
  residents: {
    registered: { value: 12, suppressed: false },
    active: { value: null, suppressed: true },
    activeDays: 90,
    byAgeBand: [{ band: 70, registered: { value: 12, suppressed: false }, active: { value: null, suppressed: true } }],
  },
  pieces: { total: 4, open: 3, filled: 1 },
  matches: { proposed: { value: 7, suppressed: false }, confirmed: { value: null, suppressed: true } },
};

describe("chart as Markdown", () => {
  it("writes the sections, formatted text, lists, the plan table and the figures", () => {
    const doc = new Y.Doc();
    seedChart(doc);
    const body = doc.getXmlFragment(BODY_FIELD);
    const para = body.get(1) as Y.XmlElement;
    const text = new Y.XmlText();
    para.insert(0, [text]);
    text.insert(0, "高齢化率は ");
    text.insert(text.length, "38%", { bold: true });
    text.insert(text.length, " で *注意*", { bold: null });
    const list = new Y.XmlElement("bulletList");
    const item = new Y.XmlElement("listItem");
    const itemPara = new Y.XmlElement("paragraph");
    itemPara.insert(0, [new Y.XmlText("空き店舗 2 件")]);
    item.insert(0, [itemPara]);
    list.insert(0, [item]);
    body.insert(6, [list]);
    addPlanItem(doc, { id: "p1", title: "サロン | 立ち上げ", ownerOrgId: "o1", ownerOrgName: "社協", due: "2027-03-31", status: "IN_PROGRESS", progress: 40, source: "chart" });
    addMeetingDecision(doc, { id: "d1", title: "会場は公民館", ownerOrgId: null, ownerOrgName: "", due: null, decidedAt: new Date("2026-12-04T02:00:00Z") });

    const md = chartToMarkdown({ title: "地域カルテ: 北山地区", subtitle: "2026/12/04 11:40 時点", blocks: readBlocks(doc), plan: readPlan(doc), figures, locale: "ja" });
    expect(md).toContain("# 地域カルテ: 北山地区\n");
    expect(md).toContain("### 概要\n\n高齢化率は **38%** で \\*注意\\*\n");
    expect(md).toContain("### 人口・世帯");
    expect(md).toContain("- 空き店舗 2 件\n");
    expect(md).toContain("| サロン \\| 立ち上げ | 社協 | 2027-03-31 | 進行中 | 40% |");
    expect(md).toContain("| 会場は公民館(会議決定 2026/12/04) | — | — | 未着手 | 0% |");
    expect(md).toContain("| サロン | 2 |");
    expect(md).toContain("登録住民: 12 人 / 活動中(90日以内に参加): 5未満 人");
    expect(md).toContain("今月(2026-12)のマッチング: 提案 7 / 成立 5未満");
    expect(md.endsWith("\n")).toBe(true);
    expect(md).not.toMatch(/\n{3,}/);
  });

  it("without figures (a saved version) and in English", () => {
    const md = chartToMarkdown({ title: "Community chart", subtitle: "Version", blocks: [], plan: [], figures: null, locale: "en" });
    expect(md).toContain("## Action plan (items)\n\nNo items yet.");
    expect(md).not.toContain("Figures");
  });
});
