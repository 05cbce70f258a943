import type { PrismaClient } from "../../server/db/client.ts";

/**
 * Fixtures of the issue-9 integration tests: a piece of the 社協's own activity happening now
 * (check-in window open), a resident of the 社協 booked on it, and one not booked.
 */
export const SHAKYO = "seed-org-shakyo";
export const NPO = "seed-org-npo-food";

const MINUTE = 60_000;

export interface OutcomeFixture {
  taskId: string;
  shiftId: string;
  matchId: string;
  bookedId: string;
  bookedCode: string;
  bookedName: string;
  strangerCode: string;
}

/** `tag`: 4 characters of the reference alphabet, to keep codes unique per test file. */
export async function makeCheckInFixture(prisma: PrismaClient, workspaceId: string, tag: string, startsInMinutes = -30): Promise<OutcomeFixture> {
  const now = Date.now();
  const task = await prisma.task.create({
    data: { workspaceId, ownerOrgId: SHAKYO, title: `チェックイン試験 ${tag}`, description: "テスト", category: "food", visibility: "PLATFORM", locationName: "北山地区センター" },
  });
  const shift = await prisma.shift.create({
    data: { taskId: task.id, role: "受付", startsAt: new Date(now + startsInMinutes * MINUTE), endsAt: new Date(now + (startsInMinutes + 120) * MINUTE), headcount: 2 },
  });
  const bookedCode = `${tag}BKD2`;
  const bookedName = `参加 花子${tag}`;
  const booked = await prisma.resident.create({
    data: { workspaceId, registeredByOrgId: SHAKYO, publicCode: bookedCode, displayName: bookedName, style: "PER_EVENT" },
  });
  const stranger = await prisma.resident.create({
    data: { workspaceId, registeredByOrgId: SHAKYO, publicCode: `${tag}STR3`, displayName: `未予約 太郎${tag}`, style: "PER_EVENT" },
  });
  const match = await prisma.match.create({ data: { workspaceId, shiftId: shift.id, residentId: booked.id, stage: "CONFIRMED", source: "APPLICATION" } });
  return { taskId: task.id, shiftId: shift.id, matchId: match.id, bookedId: booked.id, bookedCode, bookedName, strangerCode: stranger.publicCode };
}

let counter = 0;
/** A fresh idempotency key (the API wants 16–64 of [A-Za-z0-9_-]). */
export function key(label = "k"): string {
  counter += 1;
  return `${label}-${process.pid}-${Date.now()}-${counter}`.padEnd(16, "0");
}
