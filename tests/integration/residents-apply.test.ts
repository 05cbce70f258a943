import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApplicationService } from "../../server/domain/applications.ts";
import { AppError } from "../../server/http/errors.ts";
import type { PrismaClient } from "../../server/db/client.ts";
import {
  login,
  startTestServer,
  type TestServer,
} from "../setup/test-server.ts";
import {
  connected,
  nextEvent,
  openSocket,
  type LiveTestSocket,
} from "./live-support.ts";

/**
 * 都度申し込み through the real server and PostgreSQL (server/domain/applications.ts): every refusal
 * names its reason and writes nothing at all — no resident, match, consent, audit row, change-feed
 * row or version bump; a valid application writes exactly one of each and reaches the
 * coordinators' room at once, without personal data.
 */
const OWNER = "seed-org-npo-food";
const WORKSPACE = "seed-ws-midori";
const HOUR = 3_600_000;

describe("applying for one piece without an account", () => {
  let server: TestServer;
  let prisma: PrismaClient;
  let socket: LiveTestSocket;
  const piece = { open: "", past: "", full: "", capped: "", race: "" };
  let taskId = "";

  beforeAll(async () => {
    server = await startTestServer();
    prisma = server.services.prisma;
    // Fixtures written directly: a public task of the NPO with pieces in every state, far from
    // the seeded pieces so that no booking rule interferes.
    const base = Date.UTC(2031, 4, 12, 1, 0, 0);
    const task = await prisma.task.create({
      data: {
        workspaceId: WORKSPACE,
        ownerOrgId: OWNER,
        title: "申し込みテストの活動",
        description: "テスト",
        category: "food",
        visibility: "PUBLIC",
        status: "OPEN",
        shifts: {
          create: [
            {
              role: "受付",
              startsAt: new Date(base),
              endsAt: new Date(base + 2 * HOUR),
              headcount: 2,
            },
            {
              role: "過去",
              startsAt: new Date(Date.now() - 2 * HOUR),
              endsAt: new Date(Date.now() - HOUR),
              headcount: 2,
            },
            {
              role: "満員",
              startsAt: new Date(base + 24 * HOUR),
              endsAt: new Date(base + 26 * HOUR),
              headcount: 1,
            },
            {
              role: "上限",
              startsAt: new Date(base + 48 * HOUR),
              endsAt: new Date(base + 50 * HOUR),
              headcount: 1,
            },
            {
              role: "同時",
              startsAt: new Date(base + 72 * HOUR),
              endsAt: new Date(base + 74 * HOUR),
              headcount: 3,
            },
          ],
        },
      },
      include: { shifts: true },
    });
    taskId = task.id;
    const byRole = (role: string) =>
      task.shifts.find((s) => s.role === role)!.id;
    Object.assign(piece, {
      open: byRole("受付"),
      past: byRole("過去"),
      full: byRole("満員"),
      capped: byRole("上限"),
      race: byRole("同時"),
    });
    const someone = await prisma.resident.findFirstOrThrow({
      where: { workspaceId: WORKSPACE, deletedAt: null },
      orderBy: { id: "asc" },
    });
    await prisma.match.create({
      data: {
        workspaceId: WORKSPACE,
        shiftId: piece.full,
        residentId: someone.id,
        stage: "CONFIRMED",
        source: "COORDINATOR",
      },
    });

    socket = openSocket(
      server.url,
      await login(server.url, "coordinator@tsunagu.example")
    );
    await connected(socket);
    expect(
      (await socket.emitWithAck("workspace:join", { workspaceId: WORKSPACE }))
        .ok
    ).toBe(true);
  });

  afterAll(async () => {
    socket?.close();
    await server?.stop();
  });

  async function counts() {
    const [residents, matches, consents, audit, changes, workspace] =
      await Promise.all([
        prisma.resident.count(),
        prisma.match.count(),
        prisma.consent.count(),
        prisma.auditLog.count(),
        prisma.workspaceChange.count({ where: { workspaceId: WORKSPACE } }),
        prisma.workspace.findUniqueOrThrow({
          where: { id: WORKSPACE },
          select: { version: true },
        }),
      ]);
    return {
      residents,
      matches,
      consents,
      audit,
      changes,
      version: workspace.version,
    };
  }

  /** Runs `attempt`, expects it to fail with `code` (and `reason`), and checks nothing was written. */
  async function refusedWithoutWrites(
    attempt: () => Promise<unknown>,
    code: string,
    detail: (details: unknown) => void
  ) {
    const before = await counts();
    const error = await attempt().then(
      () => null,
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    detail((error as AppError).details);
    expect(await counts()).toEqual(before);
  }

  const apply = (input: Record<string, unknown>) =>
    server.services.domain.applications.apply({
      shiftId: piece.open,
      name: "山田 花子",
      contact: "090-1111-2222",
      consent: "yes",
      ...input,
    });

  it("refuses an invalid contact, a missing name and a missing consent, naming each field", async () => {
    for (const contact of ["12345", "hanako@", "", "+1 555 0100"]) {
      await refusedWithoutWrites(
        () => apply({ contact }),
        "validation_failed",
        (details) => {
          expect(details).toEqual([
            { path: "contact", code: "contact_invalid" },
          ]);
        }
      );
    }
    await refusedWithoutWrites(
      () => apply({ name: "  ", consent: "" }),
      "validation_failed",
      (details) => {
        expect(details).toEqual([
          { path: "name", code: "name_required" },
          { path: "consent", code: "consent_required" },
        ]);
      }
    );
  });

  it("refuses a piece that has started", async () => {
    await refusedWithoutWrites(
      () => apply({ shiftId: piece.past }),
      "conflict",
      (d) => expect(d).toEqual({ reason: "past" })
    );
  });

  it("refuses a piece whose headcount is reached by confirmed bookings", async () => {
    await refusedWithoutWrites(
      () => apply({ shiftId: piece.full }),
      "conflict",
      (d) => expect(d).toEqual({ reason: "full" })
    );
  });

  it("refuses pieces that are not public", async () => {
    const hidden = await prisma.shift.findFirstOrThrow({
      where: {
        startsAt: { gt: new Date() },
        task: { visibility: { not: "PUBLIC" } },
      },
    });
    await refusedWithoutWrites(
      () => apply({ shiftId: hidden.id }),
      "not_found",
      () => {}
    );
  });

  it("creates exactly one resident, consent and match, and tells the coordinators' room at once", async () => {
    const before = await counts();
    const event = nextEvent(
      socket,
      "match:changed",
      (e) => e.verb === "created"
    );
    const result = await apply({ note: "車いすで参加します" });
    const after = await counts();
    expect(after).toEqual({
      residents: before.residents + 1,
      matches: before.matches + 1,
      consents: before.consents + 1,
      audit: before.audit + 1,
      changes: before.changes + 1,
      version: before.version + 1,
    });
    expect(result.code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);

    const resident = await prisma.resident.findUniqueOrThrow({
      where: { id: result.residentId },
      include: { consents: true, matches: true },
    });
    expect(resident).toMatchObject({
      workspaceId: WORKSPACE,
      registeredByOrgId: OWNER,
      publicCode: result.code,
      displayName: "山田 花子",
      phone: "09011112222",
      email: null,
      style: "PER_EVENT",
      notes: "車いすで参加します",
      userId: null,
    });
    expect(resident.consents).toHaveLength(1);
    expect(resident.consents[0]).toMatchObject({
      organizationId: OWNER,
      fields: ["name", "contact", "notes"],
      onBehalf: false,
      revokedAt: null,
    });
    // 90 days after the piece, but never beyond the three-year limit of every consent.
    const expires = resident.consents[0].expiresAt!.getTime();
    expect(expires).toBeGreaterThan(Date.now() + 1000 * 86_400_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3 * 366 * 86_400_000);
    expect(resident.matches).toHaveLength(1);
    expect(resident.matches[0]).toMatchObject({
      id: result.matchId,
      shiftId: piece.open,
      stage: "CONTACTING",
      source: "APPLICATION",
    });

    const live = await event;
    expect(live).toMatchObject({
      entity: "match",
      entityId: result.matchId,
      verb: "created",
      version: after.version,
      actorUserId: null,
    });
    expect(live.data).toEqual({
      matchId: result.matchId,
      shiftId: piece.open,
      stage: "CONTACTING",
      version: 1,
    });
    const text = JSON.stringify(live);
    for (const personal of [
      "山田",
      "花子",
      "09011112222",
      "090-1111-2222",
      "車いす",
    ])
      expect(text).not.toContain(personal);

    // The status page needs the code and the same contact (typed differently is fine).
    const applications = server.services.domain.applications;
    expect(
      await applications.status(
        result.code.toLowerCase(),
        "０９０ー１１１１ー２２２２"
      )
    ).toMatchObject({ code: result.code, status: "received" });
    expect(await applications.status(result.code, "090-9999-0000")).toBeNull();
    expect(await applications.status("ZZZZZZZZ", "090-1111-2222")).toBeNull();
    const confirmation = await applications.confirmation(result.code);
    expect(confirmation).toMatchObject({
      code: result.code,
      status: "received",
      activity: { id: taskId },
    });
    expect(JSON.stringify(confirmation)).not.toMatch(/山田|09011112222|車いす/);
    // A seeded resident's code is not an application: nothing to confirm.
    expect(
      await applications.confirmation(resident.publicCode.slice(0, 4))
    ).toBeNull();
  });

  it("refuses the same contact on the same piece again, however it is typed", async () => {
    await refusedWithoutWrites(
      () => apply({ contact: "+81 90 1111 2222", name: "別の名前" }),
      "conflict",
      (d) => expect(d).toEqual({ reason: "duplicate" })
    );
    // The same person may still apply for another piece.
    await expect(
      apply({ shiftId: piece.race, contact: "090-1111-2222" })
    ).resolves.toMatchObject({ code: expect.any(String) });
  });

  it("stops taking applications at the configured cap per seat", async () => {
    const capped = createApplicationService(
      { prisma, bus: server.services.bus },
      { applicationsPerSeat: 1 }
    );
    await capped.apply({
      shiftId: piece.capped,
      name: "一人目",
      contact: "first@example.jp",
      consent: "yes",
    });
    await refusedWithoutWrites(
      () =>
        capped.apply({
          shiftId: piece.capped,
          name: "二人目",
          contact: "second@example.jp",
          consent: "yes",
        }),
      "conflict",
      (d) => expect(d).toEqual({ reason: "cap" })
    );
  });

  it("lets only one of two simultaneous identical submissions through", async () => {
    const before = await counts();
    const attempt = () =>
      apply({ shiftId: piece.race, contact: "race@example.jp" });
    const results = await Promise.allSettled([attempt(), attempt(), attempt()]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter(
      (r): r is PromiseRejectedResult => r.status === "rejected"
    );
    expect(ok).toHaveLength(1);
    expect(refused.map((r) => (r.reason as AppError).details)).toEqual([
      { reason: "duplicate" },
      { reason: "duplicate" },
    ]);
    const after = await counts();
    expect(after.residents - before.residents).toBe(1);
    expect(after.matches - before.matches).toBe(1);
    expect(after.consents - before.consents).toBe(1);
  });
});
