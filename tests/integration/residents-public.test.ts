import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localWeekdayHour, parseActivityFilters } from "../../app/features/residents/filters.ts";
import type { PrismaClient } from "../../server/db/client.ts";
import { AppError } from "../../server/http/errors.ts";
import { startTestServer, type TestServer } from "../setup/test-server.ts";

/**
 * The residents' public queries (server/domain/public-activities.ts) against the seeded database:
 * only PUBLIC, OPEN activities with open pieces; every filter holds for what it returns; "nearest
 * first" is ordered; free seats are headcount minus bookings; and no resident's personal data is
 * anywhere in the answers.
 */
describe("public activities for residents", () => {
  let server: TestServer;
  let prisma: PrismaClient;
  const list = (query: string) => server.services.domain.publicActivities.list(parseActivityFilters(new URLSearchParams(query)));

  beforeAll(async () => {
    server = await startTestServer();
    prisma = server.services.prisma;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("lists exactly the public open activities that have an open piece", async () => {
    const { items } = await list("");
    const now = new Date();
    const shifts = await prisma.shift.findMany({
      where: { startsAt: { gt: now }, task: { visibility: "PUBLIC", status: "OPEN" } },
      select: { taskId: true, headcount: true, _count: { select: { matches: { where: { stage: { in: ["CONFIRMED", "ACTIVE", "COMPLETED"] } } } } } },
    });
    const expected = new Set(shifts.filter((s) => s._count.matches < s.headcount).map((s) => s.taskId));
    expect(expected.size).toBeGreaterThan(5);
    expect(new Set(items.map((i) => i.id))).toEqual(expected);
    // Soonest piece first without a starting point.
    const starts = items.map((i) => new Date(i.nextPiece!.startsAt).getTime());
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  });

  it("applies each filter to what it returns", async () => {
    const food = await list("category=food");
    expect(food.items.length).toBeGreaterThan(0);
    expect(food.items.every((i) => i.category === "food")).toBe(true);

    const online = await list("online=1");
    expect(online.items.length).toBeGreaterThan(0);
    expect(online.items.every((i) => i.isRemote)).toBe(true);

    const certificate = await list("incentive=CERTIFICATE");
    expect(certificate.items.every((i) => i.incentives.kinds.includes("CERTIFICATE"))).toBe(true);

    const saturdays = await list("weekday=6");
    expect(saturdays.items.length).toBeGreaterThan(0);
    for (const i of saturdays.items) expect(localWeekdayHour(new Date(i.nextPiece!.startsAt), "Asia/Tokyo").weekday).toBe(6);

    const evenings = await list("time=eveningWeekend");
    for (const i of evenings.items) {
      const { weekday, hour } = localWeekdayHour(new Date(i.nextPiece!.startsAt), "Asia/Tokyo");
      expect(hour >= 17 || weekday === 0 || weekday === 6).toBe(true);
    }
    const mornings = await list("time=morning");
    for (const i of mornings.items) expect(localWeekdayHour(new Date(i.nextPiece!.startsAt), "Asia/Tokyo").hour).toBeLessThan(12);

    const short = await list("short=1");
    for (const i of short.items) expect(new Date(i.nextPiece!.endsAt).getTime() - new Date(i.nextPiece!.startsAt).getTime()).toBeLessThanOrEqual(3 * 3_600_000);
    expect(short.items.length).toBeLessThanOrEqual((await list("")).items.length);
  });

  it("orders nearest first from an area, a place name or coordinates, remote activities last", async () => {
    for (const query of ["area=seed-area-kitayama", "near=みどり中央駅", "near=Higashidai", "lat=35.51&lng=139.52"]) {
      const { items, origin } = await list(query);
      expect(origin, query).not.toBeNull();
      const placed = items.filter((i) => i.distanceM !== null);
      expect(placed.length).toBeGreaterThan(3);
      const distances = placed.map((i) => i.distanceM!);
      expect([...distances].sort((a, b) => a - b)).toEqual(distances);
      const firstRemote = items.findIndex((i) => i.distanceM === null);
      if (firstRemote >= 0) expect(items.slice(firstRemote).every((i) => i.distanceM === null)).toBe(true);
    }
    expect((await list("near=みどり中央駅")).origin).toMatchObject({ kind: "place", label: "みどり中央駅 北口広場" });
    expect((await list("near=存在しない駅名")).originNotFound).toBe(true);
  });

  it("shows a public activity with its free seats, and nothing that is not public", async () => {
    const { items } = await list("");
    const detail = await server.services.domain.publicActivities.get(items[0].id);
    expect(detail.pieces.length).toBeGreaterThan(0);
    for (const piece of detail.pieces) {
      const filled = await prisma.match.count({ where: { shiftId: piece.id, stage: { in: ["CONFIRMED", "ACTIVE", "COMPLETED"] } } });
      const row = await prisma.shift.findUniqueOrThrow({ where: { id: piece.id } });
      expect(piece.freeSeats).toBe(row.headcount - filled);
      expect(piece.freeSeats).toBeGreaterThan(0);
    }
    for (const visibility of ["PLATFORM", "ORG"] as const) {
      const hidden = await prisma.task.findFirstOrThrow({ where: { visibility } });
      await expect(server.services.domain.publicActivities.get(hidden.id)).rejects.toBeInstanceOf(AppError);
    }
  });

  it("carries no resident's personal data", async () => {
    const residents = await prisma.resident.findMany({ take: 400, select: { displayName: true, email: true, phone: true, address: true, nameKana: true } });
    const values = residents.flatMap((r) => [r.displayName, r.email, r.phone, r.address, r.nameKana]).filter((v): v is string => !!v && v.length >= 3);
    expect(values.length).toBeGreaterThan(100);
    const { items } = await list("");
    const pages = [JSON.stringify(items)];
    for (const item of items.slice(0, 10)) pages.push(JSON.stringify(await server.services.domain.publicActivities.get(item.id)));
    const text = pages.join("\n");
    const leaked = values.filter((v) => text.includes(v));
    expect(leaked).toEqual([]);
  });
});
