import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../server/auth/password.ts";
import { createPrisma, type PrismaClient } from "../../server/db/client.ts";
import { applyMigrations } from "../../server/db/migrate.ts";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "../../prisma/seed/demo.ts";
import { createTestDatabase, type TestDatabase } from "../setup/database.ts";

/** The demo platform as `npm start` creates it on an empty database, and never twice. */
describe("demo seed", () => {
  let database: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase({ template: "empty" });
    await applyMigrations({ connectionString: database.url, logger: { info() {}, error() {} } });
    prisma = createPrisma(database.url);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await database?.drop();
  });

  it("seeds an empty database with the sizes the demo promises", async () => {
    const now = new Date("2026-11-24T00:00:00+09:00");
    const summary = await seedDemo(prisma, { now });
    expect(summary.skipped).toBe(false);
    const [areas, organizations, residents, tasks, shifts, resources] = await Promise.all([
      prisma.area.count(),
      prisma.organization.findMany({ select: { kind: true } }),
      prisma.resident.count(),
      prisma.task.count(),
      prisma.shift.count(),
      prisma.resource.count(),
    ]);
    expect(areas).toBeGreaterThanOrEqual(3);
    expect(areas).toBeLessThanOrEqual(5);
    expect(organizations.length).toBeGreaterThanOrEqual(8);
    expect(new Set(organizations.map((o) => o.kind))).toEqual(
      new Set(["MUNICIPALITY", "SHAKYO", "NPO", "COMPANY", "UNIVERSITY", "NEIGHBORHOOD", "OTHER"]),
    );
    expect(residents).toBeGreaterThanOrEqual(300);
    expect(tasks).toBeGreaterThanOrEqual(40);
    expect(shifts).toBeGreaterThan(tasks);
    expect(resources).toBeGreaterThanOrEqual(80);
  });

  it("creates every demo account with the documented password and role", async () => {
    for (const account of DEMO_ACCOUNTS) {
      const user = await prisma.user.findUniqueOrThrow({ where: { email: account.email }, include: { memberships: true } });
      expect(await verifyPassword(user.passwordHash, DEMO_PASSWORD), account.email).toBe(true);
      if (account.role) expect(user.memberships.map((m) => m.role)).toContain(account.role);
    }
    const roles = new Set(DEMO_ACCOUNTS.map((a) => a.role).filter(Boolean));
    expect(roles).toEqual(new Set(["ADMIN", "COORDINATOR", "MEMBER", "VIEWER"]));
  });

  it("does nothing on a second start", async () => {
    const before = await prisma.resident.count();
    const again = await seedDemo(prisma);
    expect(again.skipped).toBe(true);
    expect(await prisma.resident.count()).toBe(before);
    expect(await prisma.workspace.count()).toBe(1);
  });
});
