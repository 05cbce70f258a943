import type { PrismaClient } from "../../server/db/client.ts";

/**
 * Small hand-made tasks, pieces, residents and cards for the board's integration tests
 * (board-card-actions, board-mosaic): each test file builds its own in a new area of the seeded
 * workspace, so the numbers are known and no seeded card is touched.
 */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

let serial = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-4)}${(serial++).toString(36)}`.toUpperCase();

export async function makeArea(prisma: PrismaClient, workspaceId: string) {
  const code = unique("bt-");
  return prisma.area.create({
    data: {
      workspaceId,
      code,
      name: `ボードテスト地区 ${code}`,
      polygon: { type: "Polygon", coordinates: [[[131, 33], [131.01, 33], [131.01, 33.01], [131, 33]]] },
      centerLat: 33.005,
      centerLng: 131.005,
    },
  });
}

export async function makeTask(
  prisma: PrismaClient,
  input: { workspaceId: string; ownerOrgId: string; areaId: string; title?: string; visibility?: "PLATFORM" | "ORG" },
  pieces: Array<{ role: string; startsAt: Date; hours?: number; headcount?: number }>,
) {
  const task = await prisma.task.create({
    data: {
      workspaceId: input.workspaceId,
      ownerOrgId: input.ownerOrgId,
      areaId: input.areaId,
      title: input.title ?? "ボードテストの活動",
      description: "テスト",
      category: "food",
      visibility: input.visibility ?? "PLATFORM",
    },
  });
  const shifts = [];
  for (const p of pieces) {
    shifts.push(
      await prisma.shift.create({
        data: { taskId: task.id, role: p.role, startsAt: p.startsAt, endsAt: new Date(p.startsAt.getTime() + (p.hours ?? 2) * HOUR), headcount: p.headcount ?? 1 },
      }),
    );
  }
  return { task, shifts };
}

export async function makeResident(prisma: PrismaClient, workspaceId: string, registeredByOrgId: string, areaId: string) {
  const publicCode = unique("B");
  return prisma.resident.create({
    data: { workspaceId, registeredByOrgId, publicCode, displayName: `テスト ${publicCode}`, phone: "090-0000-0000", email: `${publicCode.toLowerCase()}@example.jp`, birthYear: 1960, homeAreaId: areaId },
  });
}

export async function makeMatch(
  prisma: PrismaClient,
  input: { workspaceId: string; shiftId: string; residentId: string; stage?: "SUGGESTED" | "CONTACTING" | "ARRANGING" | "CONFIRMED"; score?: number; pinned?: boolean },
) {
  return prisma.match.create({
    data: {
      workspaceId: input.workspaceId,
      shiftId: input.shiftId,
      residentId: input.residentId,
      stage: input.stage ?? "SUGGESTED",
      source: "COORDINATOR",
      score: input.score ?? 0.5,
      pinned: input.pinned ?? false,
    },
  });
}
