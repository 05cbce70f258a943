/**
 * The chart as Markdown (the export download): the text, then the action plan as a table, then
 * the live figures as they were when exported. Pure; CommonMark with GFM tables.
 */
import { resourceCategoryLabel } from "../../lib/categories.ts";
import type { ChartBlock, PlanItem, TextRun } from "./chart-doc.ts";
import { PLAN_STATUS_LABELS, planOriginLabel } from "./chart-doc.ts";
import { bandLabel, formatCount, type ChartFigures } from "./figures.ts";

/** Characters that would start Markdown syntax inside plain text. */
function escapeText(text: string): string {
  return text.replace(/([\\`*_[\]<>#|~])/g, "\\$1");
}

function cell(text: string): string {
  return escapeText(text).replace(/\n/g, " ");
}

function inline(runs: TextRun[]): string {
  return runs
    .map((run) => {
      if (run.text === "\n") return "  \n";
      if (run.code) return `\`${run.text.replace(/`/g, "'")}\``;
      let out = escapeText(run.text);
      if (out.trim().length > 0) {
        if (run.bold) out = `**${out}**`;
        if (run.italic) out = `*${out}*`;
        if (run.strike) out = `~~${out}~~`;
      }
      if (run.href) out = `[${out}](${run.href.replace(/[()\s]/g, encodeURIComponent)})`;
      return out;
    })
    .join("");
}

function blocksToMarkdown(blocks: ChartBlock[], indent = ""): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case "heading":
        out.push(`${indent}${"#".repeat(Math.min(6, block.level + 1))} ${inline(block.runs)}`, "");
        break;
      case "paragraph": {
        const text = inline(block.runs);
        if (text.trim().length > 0) out.push(`${indent}${text}`, "");
        break;
      }
      case "bulletList":
      case "orderedList":
        block.items.forEach((item, i) => {
          const marker = block.type === "bulletList" ? "- " : `${i + 1}. `;
          const lines = blocksToMarkdown(item, "").filter((line) => line !== "");
          lines.forEach((line, j) => out.push(`${indent}${j === 0 ? marker : " ".repeat(marker.length)}${line}`));
          if (lines.length === 0) out.push(`${indent}${marker}`.trimEnd());
        });
        out.push("");
        break;
      case "blockquote":
        for (const line of blocksToMarkdown(block.children)) out.push(`${indent}> ${line}`.trimEnd());
        break;
      case "codeBlock":
        out.push(`${indent}\`\`\``, ...block.text.split("\n").map((l) => indent + l), `${indent}\`\`\``, "");
        break;
      case "horizontalRule":
        out.push(`${indent}---`, "");
        break;
    }
  }
  return out;
}

export interface ChartMarkdownInput {
  title: string;
  /** e.g. "2026-12-04 11:40 時点" or a version's name. */
  subtitle: string;
  blocks: ChartBlock[];
  plan: PlanItem[];
  figures: ChartFigures | null;
  locale: "ja" | "en";
}

/** " (会議決定 2026/12/04)" after a meeting decision's title; nothing for a chart item. */
function originOf(item: PlanItem, locale: "ja" | "en"): string {
  const label = planOriginLabel(item, locale);
  return label ? (locale === "ja" ? `(${label})` : ` (${label})`) : "";
}

export function chartToMarkdown(input: ChartMarkdownInput): string {
  const { locale } = input;
  const ja = locale === "ja";
  const lines: string[] = [`# ${cell(input.title)}`, "", `_${cell(input.subtitle)}_`, ""];
  lines.push(...blocksToMarkdown(input.blocks));

  lines.push(`## ${ja ? "アクションプラン(一覧)" : "Action plan (items)"}`, "");
  if (input.plan.length === 0) lines.push(ja ? "項目はまだありません。" : "No items yet.", "");
  else {
    lines.push(
      ja ? "| 項目 | 担当団体 | 期限 | 状況 | 進捗 |" : "| Item | Owner | Due | Status | Progress |",
      "| --- | --- | --- | --- | ---: |",
    );
    for (const item of input.plan) {
      lines.push(
        `| ${cell(item.title)}${originOf(item, locale)} | ${cell(item.ownerOrgName || "—")} | ${item.due ?? "—"} | ${PLAN_STATUS_LABELS[item.status][locale]} | ${item.progress}% |`,
      );
    }
    lines.push("");
  }

  const f = input.figures;
  if (f) {
    lines.push(`## ${ja ? "データ(自動集計)" : "Figures (from the database)"}`, "");
    lines.push(ja ? `集計時点: ${f.asOf}` : `As of: ${f.asOf}`, "");
    lines.push(ja ? `地域資源: ${f.resources.total} 件` : `Resources: ${f.resources.total}`, "");
    if (f.resources.byCategory.length > 0) {
      lines.push(ja ? "| 分類 | 件数 |" : "| Category | Count |", "| --- | ---: |");
      for (const row of f.resources.byCategory) lines.push(`| ${cell(resourceCategoryLabel(row.category, locale))} | ${row.count} |`);
      lines.push("");
    }
    lines.push(
      ja
        ? `登録住民: ${formatCount(f.residents.registered, locale)} 人 / 活動中(${f.residents.activeDays}日以内に参加): ${formatCount(f.residents.active, locale)} 人`
        : `Registered residents: ${formatCount(f.residents.registered, locale)} / active (took part within ${f.residents.activeDays} days): ${formatCount(f.residents.active, locale)}`,
      "",
    );
    if (f.residents.byAgeBand.length > 0) {
      lines.push(ja ? "| 年代 | 登録 | 活動中 |" : "| Age band | Registered | Active |", "| --- | ---: | ---: |");
      for (const row of f.residents.byAgeBand) {
        lines.push(`| ${bandLabel(row.band, locale)} | ${formatCount(row.registered, locale)} | ${formatCount(row.active, locale)} |`);
      }
      lines.push("");
    }
    lines.push(
      ja
        ? `ピース(終了前): 募集中 ${f.pieces.open} / 充足 ${f.pieces.filled}`
        : `Pieces (not ended): open ${f.pieces.open} / filled ${f.pieces.filled}`,
      "",
      ja
        ? `今月(${f.month})のマッチング: 提案 ${formatCount(f.matches.proposed, locale)} / 成立 ${formatCount(f.matches.confirmed, locale)}`
        : `Matches this month (${f.month}): proposed ${formatCount(f.matches.proposed, locale)} / confirmed ${formatCount(f.matches.confirmed, locale)}`,
      "",
    );
  }
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}
