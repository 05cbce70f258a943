import type { ShiftCreate, ShiftUpdate, TaskCreate, TaskUpdate } from "../../app/lib/schemas.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { requirePermission } from "../auth/require.ts";
import { AppError } from "../http/errors.ts";
import { canSeeOrgScoped, visibleToMember } from "./access.ts";
import { writeInWorkspace, type Tx, type WriteDeps } from "./write-path.ts";

const SHIFT_SELECT = {
  id: true,
  taskId: true,
  role: true,
  roleEn: true,
  startsAt: true,
  endsAt: true,
  headcount: true,
  version: true,
  requiredSkills: { select: { skill: { select: { id: true, code: true, nameJa: true, nameEn: true } } } },
} as const;

type ShiftRow = {
  requiredSkills: Array<{ skill: { id: string; code: string; nameJa: string; nameEn: string } }>;
  [key: string]: unknown;
};
function shiftDto<T extends ShiftRow>(shift: T) {
  const { requiredSkills, ...rest } = shift;
  return { ...rest, requiredSkills: requiredSkills.map((s) => s.skill) };
}

function conflict(message: string, current: unknown): never {
  throw new AppError("conflict", message, { current });
}

export function createTaskService(deps: WriteDeps) {
  const { prisma } = deps;

  async function loadTask(taskId: string) {
    const task = await prisma.task.findUnique({ where: { id: taskId } });
    if (!task) throw new AppError("not_found", "Task not found");
    return task;
  }

  /** Loads a task the caller may see; ORG tasks of other organizations look like missing ones. */
  async function visibleTask(user: SessionUser, taskId: string) {
    const task = await loadTask(taskId);
    requirePermission(user, task.workspaceId, "read:task:workspace");
    if (!canSeeOrgScoped(user, task.workspaceId, task.visibility, task.ownerOrgId)) {
      throw new AppError("not_found", "Task not found");
    }
    return task;
  }

  async function checkSkills(tx: Tx, workspaceId: string, skillIds: string[]) {
    if (skillIds.length === 0) return;
    const found = await tx.skill.count({ where: { workspaceId, id: { in: skillIds } } });
    if (found !== new Set(skillIds).size) throw new AppError("validation_failed", "Unknown skill id in requiredSkillIds");
  }

  async function checkArea(workspaceId: string, areaId: string | null | undefined) {
    if (!areaId) return;
    const area = await prisma.area.findFirst({ where: { id: areaId, workspaceId }, select: { id: true } });
    if (!area) throw new AppError("validation_failed", "areaId is not an area of this workspace");
  }

  return {
    async list(user: SessionUser, workspaceId: string, options: { limit: number; cursor?: string }) {
      requirePermission(user, workspaceId, "read:task:workspace");
      const rows = await prisma.task.findMany({
        where: { workspaceId, ...visibleToMember(user, workspaceId) },
        orderBy: { id: "asc" },
        take: options.limit + 1,
        ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
        include: { shifts: { select: SHIFT_SELECT, orderBy: { startsAt: "asc" } } },
      });
      const page = rows.slice(0, options.limit);
      return {
        items: page.map((t) => ({ ...t, shifts: t.shifts.map(shiftDto) })),
        nextCursor: rows.length > options.limit ? page[page.length - 1].id : null,
      };
    },

    async get(user: SessionUser, taskId: string) {
      await visibleTask(user, taskId);
      const task = await prisma.task.findUniqueOrThrow({
        where: { id: taskId },
        include: { shifts: { select: SHIFT_SELECT, orderBy: { startsAt: "asc" } } },
      });
      return { ...task, shifts: task.shifts.map(shiftDto) };
    },

    async create(user: SessionUser, workspaceId: string, input: TaskCreate) {
      requirePermission(user, workspaceId, "write:task:own", input.ownerOrgId);
      await checkArea(workspaceId, input.areaId);
      const { value } = await writeInWorkspace(deps, workspaceId, user.id, async (tx) => {
        const task = await tx.task.create({ data: { ...input, workspaceId } });
        return { result: task, entity: "task", entityId: task.id, verb: "created", data: { taskId: task.id, version: task.version } };
      });
      return value;
    },

    async update(user: SessionUser, taskId: string, input: TaskUpdate) {
      const task = await visibleTask(user, taskId);
      requirePermission(user, task.workspaceId, "write:task:own", task.ownerOrgId);
      await checkArea(task.workspaceId, input.areaId);
      const { expectedVersion, ...changes } = input;
      const { value } = await writeInWorkspace(deps, task.workspaceId, user.id, async (tx) => {
        const { count } = await tx.task.updateMany({
          where: { id: taskId, version: expectedVersion },
          data: { ...changes, version: { increment: 1 } },
        });
        if (count === 0) conflict("The task was changed by someone else", await tx.task.findUnique({ where: { id: taskId } }));
        const updated = await tx.task.findUniqueOrThrow({ where: { id: taskId } });
        // No location in the event: it goes to the whole workspace room, and an ORG task's place is
        // that organization's; the map refetches the task through its visibility filter (decision 070).
        return { result: updated, entity: "task", entityId: taskId, verb: "updated", data: { taskId, version: updated.version } };
      });
      return value;
    },

    async listShifts(user: SessionUser, taskId: string) {
      await visibleTask(user, taskId);
      const shifts = await prisma.shift.findMany({ where: { taskId }, select: SHIFT_SELECT, orderBy: { startsAt: "asc" } });
      return shifts.map(shiftDto);
    },

    async getShift(user: SessionUser, shiftId: string) {
      const shift = await prisma.shift.findUnique({ where: { id: shiftId }, select: SHIFT_SELECT });
      if (!shift) throw new AppError("not_found", "Shift not found");
      await visibleTask(user, shift.taskId);
      return shiftDto(shift);
    },

    async createShift(user: SessionUser, taskId: string, input: ShiftCreate) {
      const task = await visibleTask(user, taskId);
      requirePermission(user, task.workspaceId, "write:task:own", task.ownerOrgId);
      const { requiredSkillIds, ...fields } = input;
      const { value } = await writeInWorkspace(deps, task.workspaceId, user.id, async (tx) => {
        await checkSkills(tx, task.workspaceId, requiredSkillIds);
        const shift = await tx.shift.create({
          data: {
            ...fields,
            startsAt: new Date(fields.startsAt),
            endsAt: new Date(fields.endsAt),
            taskId,
            requiredSkills: { create: [...new Set(requiredSkillIds)].map((skillId) => ({ skillId })) },
          },
          select: SHIFT_SELECT,
        });
        return {
          result: shiftDto(shift),
          entity: "shift",
          entityId: shift.id,
          verb: "created",
          data: { shiftId: shift.id, taskId, version: shift.version },
        };
      });
      return value;
    },

    async updateShift(user: SessionUser, shiftId: string, input: ShiftUpdate) {
      const existing = await prisma.shift.findUnique({ where: { id: shiftId } });
      if (!existing) throw new AppError("not_found", "Shift not found");
      const task = await visibleTask(user, existing.taskId);
      requirePermission(user, task.workspaceId, "write:task:own", task.ownerOrgId);
      const { expectedVersion, requiredSkillIds, ...fields } = input;
      const startsAt = fields.startsAt ? new Date(fields.startsAt) : existing.startsAt;
      const endsAt = fields.endsAt ? new Date(fields.endsAt) : existing.endsAt;
      if (endsAt <= startsAt) throw new AppError("validation_failed", "endsAt must be after startsAt");
      const { value } = await writeInWorkspace(deps, task.workspaceId, user.id, async (tx) => {
        const { count } = await tx.shift.updateMany({
          where: { id: shiftId, version: expectedVersion },
          data: { ...fields, startsAt, endsAt, version: { increment: 1 } },
        });
        if (count === 0) {
          conflict("The piece was changed by someone else", await tx.shift.findUnique({ where: { id: shiftId }, select: SHIFT_SELECT }));
        }
        if (requiredSkillIds) {
          await checkSkills(tx, task.workspaceId, requiredSkillIds);
          await tx.shiftSkill.deleteMany({ where: { shiftId } });
          await tx.shiftSkill.createMany({ data: [...new Set(requiredSkillIds)].map((skillId) => ({ shiftId, skillId })) });
        }
        const shift = await tx.shift.findUniqueOrThrow({ where: { id: shiftId }, select: SHIFT_SELECT });
        return {
          result: shiftDto(shift),
          entity: "shift",
          entityId: shiftId,
          verb: "updated",
          data: { shiftId, taskId: task.id, version: shift.version },
        };
      });
      return value;
    },
  };
}
