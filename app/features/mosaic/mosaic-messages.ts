import type { Locale } from "~/lib/i18n";

/** Words of the mosaic view (Japanese first, English second; same keys, checked by the compiler). */
const ja = {
  title: "モザイク表示",
  lead: "この活動の枠（時間 × 役割）ごとに、確定・提案中・空きの人数と、提案されている人を示します。",
  back: "マッチングボードへ戻る",
  time: "時間",
  totals: (filled: number, headcount: number, proposed: number, open: number) => `確定 ${filled} / 定員 ${headcount} · 提案 ${proposed} · 空き ${open}`,
  cellCounts: (filled: number, headcount: number, proposed: number, open: number) => `確定 ${filled}/${headcount} · 提案 ${proposed} · 空き ${open}`,
  noPiece: "—",
  filledPerson: "確定",
  pickedPerson: "このチームで確定する人",
  proposedPerson: "提案",
  attention: "要対応: まもなく始まるのに空きがあります",
  started: "開始済み",
  noProposal: "提案がありません",
  confirm: "このチームで確定",
  confirmHelp: (n: number) => `空き枠ごとに一番上の提案（ピン留め → 進んだ段階 → スコア順）${n}件を、まとめて「確定」にします。一人でも確定できない場合は、誰も確定しません。`,
  nothingToConfirm: "確定できる提案はありません。",
  unfilled: (n: number) => `提案が足りず、${n}人分の空きが残ります。`,
  confirming: "確定しています…",
  confirmed: (n: number) => `${n}件を確定しました。`,
  refused: "確定できませんでした。誰も確定していません。",
  readOnly: "閲覧のみ: 確定はコーディネーターが行います。",
  live: "ほかの人の変更はこの表に自動で反映されます。",
  remote: "オンライン",
};

export type MosaicMessages = typeof ja;

const en: MosaicMessages = {
  title: "Mosaic view",
  lead: "Each piece of this task (time × role) with its confirmed, proposed and open places, and the people proposed.",
  back: "Back to the matching board",
  time: "Time",
  totals: (filled, headcount, proposed, open) => `Confirmed ${filled} / ${headcount} places · ${proposed} proposed · ${open} open`,
  cellCounts: (filled, headcount, proposed, open) => `Confirmed ${filled}/${headcount} · proposed ${proposed} · open ${open}`,
  noPiece: "—",
  filledPerson: "Confirmed",
  pickedPerson: "Will be confirmed with the team",
  proposedPerson: "Proposed",
  attention: "Needs attention: starts soon with open places",
  started: "Started",
  noProposal: "No proposals",
  confirm: "Confirm whole team",
  confirmHelp: (n) => `Confirms the top proposal of every open place (pinned, then further along, then score): ${n} card(s) at once. If any one cannot be confirmed, none is.`,
  nothingToConfirm: "There is no proposal to confirm.",
  unfilled: (n) => `Not enough proposals: ${n} place(s) stay open.`,
  confirming: "Confirming…",
  confirmed: (n) => `Confirmed ${n} card(s).`,
  refused: "Could not confirm the team. Nobody was confirmed.",
  readOnly: "Read-only: coordinators confirm teams.",
  live: "Changes by others appear here automatically.",
  remote: "Online",
};

export function mosaicMessages(locale: Locale): MosaicMessages {
  return locale === "en" ? en : ja;
}
