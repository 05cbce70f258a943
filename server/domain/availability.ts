import type { AvailabilityPut } from "../../app/lib/schemas.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { can } from "../../app/lib/permissions.ts";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../http/errors.ts";
import { writeInWorkspace, type WriteDeps } from "./write-path.ts";

/**
 * A resident's free time: readable and writable by the resident (own login) and by coordinators
 * of the organization that registered them. Everyone else gets 404, not 403, so resident ids
 * cannot be probed.
 */
async function residentForAvailability(prisma: PrismaClient, user: SessionUser, residentId: string) {
  const resident = await prisma.resident.findUnique({
    where: { id: residentId },
    select: { id: true, workspaceId: true, registeredByOrgId: true, userId: true, version: true, weeklyHourCap: true },
  });
  const allowed =
    resident &&
    (resident.userId === user.id ||
      can(user.memberships, resident.workspaceId, "write:availability:own", resident.registeredByOrgId));
  if (!resident || !allowed) throw new AppError("not_found", "Resident not found");
  return resident;
}

function dateOnly(d: Date) {
  return d.toISOString().slice(0, 10);
}

export function createAvailabilityService(deps: WriteDeps) {
  const { prisma } = deps;

  async function read(user: SessionUser, residentId: string) {
    const resident = await residentForAvailability(prisma, user, residentId);
    const [windows, exceptions] = await Promise.all([
      prisma.availabilityWindow.findMany({
        where: { residentId },
        orderBy: [{ weekday: "asc" }, { startMinute: "asc" }],
        select: { weekday: true, startMinute: true, endMinute: true },
      }),
      prisma.availabilityException.findMany({
        where: { residentId },
        orderBy: { date: "asc" },
        select: { date: true, available: true, startMinute: true, endMinute: true, note: true },
      }),
    ]);
    return {
      residentId,
      version: resident.version,
      weeklyHourCap: resident.weeklyHourCap,
      windows,
      exceptions: exceptions.map((e) => ({ ...e, date: dateOnly(e.date) })),
    };
  }

  return {
    get: read,

    /** Replaces the weekly pattern and exceptions; bumps the resident's version (expectedVersion). */
    async put(user: SessionUser, residentId: string, input: AvailabilityPut) {
      const resident = await residentForAvailability(prisma, user, residentId);
      await writeInWorkspace(deps, resident.workspaceId, user.id, async (tx) => {
        const { count } = await tx.resident.updateMany({
          where: { id: residentId, version: input.expectedVersion },
          data: {
            version: { increment: 1 },
            ...(input.weeklyHourCap !== undefined ? { weeklyHourCap: input.weeklyHourCap } : {}),
          },
        });
        if (count === 0) {
          const current = await tx.resident.findUnique({ where: { id: residentId }, select: { version: true } });
          throw new AppError("conflict", "The availability was changed by someone else", { current });
        }
        await tx.availabilityWindow.deleteMany({ where: { residentId } });
        await tx.availabilityException.deleteMany({ where: { residentId } });
        await tx.availabilityWindow.createMany({ data: input.windows.map((w) => ({ ...w, residentId })) });
        await tx.availabilityException.createMany({
          data: input.exceptions.map((e) => ({ ...e, date: new Date(`${e.date}T00:00:00Z`), residentId })),
        });
        // Broadcast only the id: availability is personal, the room must not learn it.
        return { result: null, entity: "availability", entityId: residentId, verb: "updated", data: { residentId } };
      });
      return read(user, residentId);
    },
  };
}
