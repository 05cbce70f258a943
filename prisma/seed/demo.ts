/**
 * Writes the demo platform (built by `buildDemoData`, a pure function) into an empty database.
 *
 * - Deterministic: the same seed day gives the same rows, ids included.
 * - Idempotent: a database that already has a workspace or a user is left alone
 *   (`{ skipped: true }`), so "stop and start again" never seeds twice. Two processes starting at
 *   once are serialised by a transaction-level advisory lock and the check is repeated under it.
 * - Fast: one transaction of batched createMany calls (a few hundred ms on a local PostgreSQL).
 */
import { hashPassword } from "../../server/auth/password.ts";
import type { Prisma, PrismaClient } from "../../server/db/client.ts";
import { buildDemoData, countRows, type DemoData } from "./generate.ts";
import { DEMO_PASSWORD } from "./organizations.ts";
import { startOfJstDay } from "./time.ts";

export { buildDemoData, countRows, type DemoData } from "./generate.ts";
export {
  DEMO_ACCOUNTS,
  DEMO_COORDINATOR_EMAIL,
  DEMO_PASSWORD,
  DEMO_RESIDENT_ID,
  type DemoAccount,
} from "./organizations.ts";
export { DEMO_WORKSPACE } from "./places.ts";

export type SeedOptions = {
  /**
   * The seed day: dates are laid out from local midnight (JST) of this instant's day.
   * @default the current day (startOfJstDay(new Date()))
   */
  now?: Date;
};

export type SeedSummary =
  | { skipped: true; reason: string }
  | {
      skipped: false;
      workspaceId: string;
      workspaceSlug: string;
      /** ISO instant of the seed day's local midnight. */
      seedDay: string;
      counts: Record<string, number>;
      elapsedMs: number;
    };

/** Any stable 32-bit number; `hashtext` keeps the SQL readable. */
const LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('tsunagu:demo-seed'))`;

/**
 * True when the database has no workspace and no user: nothing a real deployment would miss.
 * (A database with users but no workspace yet is someone's real install: never seed demo
 * accounts into it.)
 */
export async function isDatabaseEmpty(prisma: PrismaClient): Promise<boolean> {
  const [workspaces, users] = await Promise.all([prisma.workspace.count(), prisma.user.count()]);
  return workspaces === 0 && users === 0;
}

export async function seedDemo(prisma: PrismaClient, options: SeedOptions = {}): Promise<SeedSummary> {
  const started = performance.now();
  if (!(await isDatabaseEmpty(prisma))) return { skipped: true, reason: "database is not empty" };

  const data = buildDemoData({ now: options.now ?? startOfJstDay(new Date()) });
  // One argon2 hash (~60 ms) shared by every demo account.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const written = await prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(LOCK_SQL);
      const [workspaces, users] = await Promise.all([tx.workspace.count(), tx.user.count()]);
      if (workspaces > 0 || users > 0) return false;
      await writeDemoData(tx, data, passwordHash);
      return true;
    },
    { maxWait: 10_000, timeout: 120_000 },
  );
  if (!written) return { skipped: true, reason: "database is not empty" };

  return {
    skipped: false,
    workspaceId: data.workspace.id!,
    workspaceSlug: data.workspace.slug,
    seedDay: data.day0.toISOString(),
    counts: countRows(data),
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** Parents before children, so every foreign key already resolves. */
async function writeDemoData(db: Prisma.TransactionClient, data: DemoData, passwordHash: string): Promise<void> {
  await db.workspace.create({ data: data.workspace });
  await db.area.createMany({ data: data.areas });
  await db.organization.createMany({ data: data.organizations });
  await db.user.createMany({ data: data.users.map((u) => ({ ...u, passwordHash })) });
  await db.membership.createMany({ data: data.memberships });
  await db.skill.createMany({ data: data.skills });
  await db.resident.createMany({ data: data.residents });
  await db.residentSkill.createMany({ data: data.residentSkills });
  await db.availabilityWindow.createMany({ data: data.availabilityWindows });
  await db.availabilityException.createMany({ data: data.availabilityExceptions });
  await db.resource.createMany({ data: data.resources });
  await db.task.createMany({ data: data.tasks });
  await db.shift.createMany({ data: data.shifts });
  await db.shiftSkill.createMany({ data: data.shiftSkills });
  await db.match.createMany({ data: data.matches });
  await db.matchEvent.createMany({ data: data.matchEvents });
  await db.participation.createMany({ data: data.participations });
  await db.incentiveEntry.createMany({ data: data.incentiveEntries });
  await db.consent.createMany({ data: data.consents });
  await db.jointUseNotice.createMany({ data: data.jointUseNotices });
}
