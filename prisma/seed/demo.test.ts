import { describe, expect, it } from "vitest";
import { RESOURCE_CATEGORIES, TASK_CATEGORY_CODES } from "../../app/lib/categories.ts";
import { RESIDENT_PERSONAL_FIELDS } from "../../app/lib/resident-fields.ts";
import { buildDemoData, countRows, DEFAULT_SEED, HORIZON_DAYS } from "./generate.ts";
import { distanceM, pointInPolygon, polygonAreaKm2, signedRingArea, type GeoJsonPolygon } from "./geo.ts";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_RESIDENT_ID } from "./organizations.ts";
import { createRng, mulberry32 } from "./random.ts";
import { DAY_MS, jstCalendarDate, jstMinuteOfDay, jstWeekday, startOfJstDay } from "./time.ts";

// A fixed seed day (a Tuesday, 10:00 JST) so the assertions do not depend on the real clock.
const NOW = new Date("2026-11-24T01:00:00Z");
const data = buildDemoData({ now: NOW });
const day0 = data.day0.getTime();

const byId = <T extends { id?: string }>(rows: T[]) => new Map(rows.map((r) => [r.id!, r]));
const areas = byId(data.areas);
const residents = byId(data.residents);
const shifts = byId(data.shifts);
const tasks = byId(data.tasks);
const matches = byId(data.matches);
const orgs = byId(data.organizations);
const polygonOf = (areaId: string) => areas.get(areaId)!.polygon as unknown as GeoJsonPolygon;
const ms = (value: unknown) => new Date(value as string | Date).getTime();

describe("PRNG", () => {
  it("mulberry32 repeats its sequence for a seed and differs between seeds", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });

  it("int() stays within its inclusive bounds", () => {
    const rng = createRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(rng.int(1, 3));
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });
});

describe("determinism", () => {
  it("builds identical data for the same seed and seed day", () => {
    expect(buildDemoData({ now: NOW })).toEqual(data);
  });

  it("depends only on the JST day of `now`, not on the time of day", () => {
    const earlyMorning = buildDemoData({ now: new Date("2026-11-23T15:30:00Z") }); // 00:30 JST on the 24th
    const lateEvening = buildDemoData({ now: new Date("2026-11-24T14:59:00Z") }); // 23:59 JST
    expect(earlyMorning).toEqual(data);
    expect(lateEvening).toEqual(data);
    expect(data.day0.toISOString()).toBe("2026-11-23T15:00:00.000Z");
  });

  it("changes when the PRNG seed changes (the check above can fail)", () => {
    const other = buildDemoData({ now: NOW, seed: DEFAULT_SEED + 1 });
    expect(other.residents.map((r) => r.displayName)).not.toEqual(data.residents.map((r) => r.displayName));
  });

  it("keeps the same ids on another day, with dates moved along", () => {
    const later = buildDemoData({ now: new Date(NOW.getTime() + 3 * DAY_MS) });
    expect(later.residents.map((r) => r.id)).toEqual(data.residents.map((r) => r.id));
    expect(later.tasks.map((t) => t.id)).toEqual(data.tasks.map((t) => t.id));
  });
});

describe("counts", () => {
  it("meets the minimums of the demo platform", () => {
    const counts = countRows(data);
    expect(counts.areas).toBe(4);
    expect(counts.organizations).toBeGreaterThanOrEqual(8);
    expect(counts.users).toBeGreaterThanOrEqual(12);
    expect(counts.users).toBeLessThanOrEqual(16);
    expect(counts.skills).toBeGreaterThanOrEqual(15);
    expect(counts.residents).toBeGreaterThanOrEqual(300);
    expect(counts.tasks).toBeGreaterThanOrEqual(40);
    expect(counts.shifts).toBeGreaterThanOrEqual(150);
    expect(counts.shifts).toBeLessThanOrEqual(250);
    expect(counts.resources).toBeGreaterThanOrEqual(80);
    expect(counts.matches).toBeGreaterThanOrEqual(30);
    expect(counts.consents).toBeGreaterThanOrEqual(10);
    expect(counts.participations).toBeGreaterThanOrEqual(10);
    expect(counts.incentiveEntries).toBeGreaterThanOrEqual(10);
    expect(counts.availabilityExceptions).toBeGreaterThan(0);
    expect(data.workspace.version).toBe(0);
  });

  it("covers every organization kind, role, task category and match stage", () => {
    expect(new Set(data.organizations.map((o) => o.kind))).toEqual(
      new Set(["MUNICIPALITY", "SHAKYO", "NPO", "COMPANY", "UNIVERSITY", "NEIGHBORHOOD", "OTHER"]),
    );
    expect(new Set(data.memberships.map((m) => m.role))).toEqual(new Set(["ADMIN", "COORDINATOR", "MEMBER", "VIEWER"]));
    expect(new Set(data.tasks.map((t) => t.category))).toEqual(new Set(TASK_CATEGORY_CODES));
    expect(new Set(data.matches.map((m) => m.stage))).toEqual(
      new Set(["SUGGESTED", "CONTACTING", "ARRANGING", "CONFIRMED", "ACTIVE", "COMPLETED", "DECLINED", "WITHDRAWN"]),
    );
    expect(new Set(data.tasks.map((t) => t.visibility))).toEqual(new Set(["PUBLIC", "PLATFORM", "ORG"]));
    expect(data.tasks.filter((t) => t.visibility === "PUBLIC").length).toBeGreaterThan(data.tasks.length / 2);
    expect(data.tasks.filter((t) => t.status === "OPEN").length).toBeGreaterThan(data.tasks.length * 0.8);
  });
});

describe("ids and uniqueness", () => {
  it("gives every row a unique explicit id", () => {
    const all = [
      data.areas, data.organizations, data.users, data.memberships, data.skills, data.residents,
      data.availabilityWindows, data.availabilityExceptions, data.resources, data.tasks, data.shifts,
      data.matches, data.matchEvents, data.participations, data.incentiveEntries, data.consents,
      data.jointUseNotices,
    ].flat() as { id?: string }[];
    const ids = all.map((row) => row.id);
    expect(ids.every((id) => typeof id === "string" && id.startsWith("seed-"))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("has unique public codes like A012 and unique lower-case emails", () => {
    const codes = data.residents.map((r) => r.publicCode);
    expect(codes.every((c) => /^[A-H]\d{3}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
    const emails = data.users.map((u) => u.email);
    expect(emails.every((e) => e === e.toLowerCase())).toBe(true);
    expect(new Set(emails).size).toBe(emails.length);
    const residentEmails = data.residents.flatMap((r) => (r.email ? [r.email] : []));
    expect(new Set(residentEmails).size).toBe(residentEmails.length);
    expect(residentEmails.every((e) => /@(example\.jp|tsunagu\.example)$/.test(e))).toBe(true);
    expect(data.residents.every((r) => !r.phone || /^0[89]0-0000-\d{4}$/.test(r.phone))).toBe(true);
  });

  it("wires every relation to an existing row", () => {
    const users = byId(data.users);
    const skills = byId(data.skills);
    for (const m of data.memberships) {
      expect(users.has(m.userId)).toBe(true);
      expect(orgs.has(m.organizationId)).toBe(true);
    }
    for (const r of data.residents) {
      expect(orgs.has(r.registeredByOrgId)).toBe(true);
      expect(areas.has(r.homeAreaId!)).toBe(true);
      if (r.userId) expect(users.has(r.userId)).toBe(true);
    }
    for (const rs of data.residentSkills) {
      expect(residents.has(rs.residentId)).toBe(true);
      expect(skills.has(rs.skillId)).toBe(true);
    }
    for (const t of data.tasks) expect(orgs.has(t.ownerOrgId)).toBe(true);
    for (const s of data.shifts) expect(tasks.has(s.taskId)).toBe(true);
    for (const ss of data.shiftSkills) {
      expect(shifts.has(ss.shiftId)).toBe(true);
      expect(skills.has(ss.skillId)).toBe(true);
    }
    for (const m of data.matches) {
      expect(shifts.has(m.shiftId)).toBe(true);
      expect(residents.has(m.residentId)).toBe(true);
    }
    for (const e of data.matchEvents) {
      expect(matches.has(e.matchId)).toBe(true);
      if (e.actorUserId) expect(users.has(e.actorUserId)).toBe(true);
    }
    const participations = byId(data.participations);
    for (const p of data.participations) {
      expect(shifts.has(p.shiftId)).toBe(true);
      expect(residents.has(p.residentId)).toBe(true);
      if (p.matchId) expect(matches.has(p.matchId)).toBe(true);
    }
    for (const i of data.incentiveEntries) expect(participations.has(i.participationId)).toBe(true);
    for (const c of data.consents) {
      expect(residents.has(c.residentId)).toBe(true);
      expect(orgs.has(c.organizationId)).toBe(true);
    }
    for (const r of data.resources) if (r.ownerOrgId) expect(orgs.has(r.ownerOrgId)).toBe(true);
  });

  it("respects the composite unique keys", () => {
    const pairs = (rows: string[]) => new Set(rows).size === rows.length;
    expect(pairs(data.matches.map((m) => `${m.shiftId}|${m.residentId}`))).toBe(true);
    expect(pairs(data.participations.map((p) => `${p.residentId}|${p.shiftId}`))).toBe(true);
    expect(pairs(data.residentSkills.map((s) => `${s.residentId}|${s.skillId}`))).toBe(true);
    expect(pairs(data.shiftSkills.map((s) => `${s.shiftId}|${s.skillId}`))).toBe(true);
    expect(pairs(data.memberships.map((m) => `${m.userId}|${m.organizationId}`))).toBe(true);
    expect(pairs(data.organizations.map((o) => o.name))).toBe(true);
  });
});

describe("areas", () => {
  it("are closed counter-clockwise GeoJSON polygons in [lng, lat] order of a few km²", () => {
    for (const area of data.areas) {
      const polygon = area.polygon as unknown as GeoJsonPolygon;
      expect(polygon.type).toBe("Polygon");
      const ring = polygon.coordinates[0];
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      for (const [lng, lat] of ring) {
        expect(lng).toBeGreaterThan(139.4);
        expect(lng).toBeLessThan(139.6);
        expect(lat).toBeGreaterThan(35.45);
        expect(lat).toBeLessThan(35.6);
      }
      expect(signedRingArea(ring)).toBeGreaterThan(0);
      const km2 = polygonAreaKm2(polygon);
      expect(km2).toBeGreaterThan(1);
      expect(km2).toBeLessThan(10);
      expect(pointInPolygon(area.centerLng, area.centerLat, polygon)).toBe(true);
      expect(area.population).toBeGreaterThan(0);
      expect(area.households).toBeGreaterThan(0);
    }
  });

  it("are adjacent (share boundary vertices) and do not overlap", () => {
    const vertexSets = data.areas.map(
      (a) => new Set((a.polygon as unknown as GeoJsonPolygon).coordinates[0].map((p) => p.join(","))),
    );
    let sharedEdges = 0;
    for (let i = 0; i < vertexSets.length; i++) {
      for (let j = i + 1; j < vertexSets.length; j++) {
        const shared = [...vertexSets[i]].filter((v) => vertexSets[j].has(v)).length;
        if (shared >= 2) sharedEdges++;
      }
    }
    expect(sharedEdges).toBeGreaterThanOrEqual(4); // a 2 × 2 block: 4 shared edges (+ the centre)
    for (const a of data.areas) {
      const inside = data.areas.filter((b) => pointInPolygon(a.centerLng, a.centerLat, polygonOf(b.id!)));
      expect(inside.map((b) => b.id)).toEqual([a.id]);
    }
  });
});

describe("residents", () => {
  it("each have weekly availability with valid, non-overlapping windows", () => {
    const windows = new Map<string, typeof data.availabilityWindows>();
    for (const w of data.availabilityWindows) windows.set(w.residentId, [...(windows.get(w.residentId) ?? []), w]);
    for (const r of data.residents) {
      const mine = windows.get(r.id!) ?? [];
      expect(mine.length, r.id).toBeGreaterThan(0);
      for (const w of mine) {
        expect(Number.isInteger(w.weekday) && w.weekday >= 0 && w.weekday <= 6).toBe(true);
        expect(w.startMinute).toBeGreaterThanOrEqual(0);
        expect(w.endMinute).toBeLessThanOrEqual(1440);
        expect(w.startMinute).toBeLessThan(w.endMinute);
      }
      for (const a of mine) {
        for (const b of mine) {
          if (a !== b && a.weekday === b.weekday) {
            expect(a.startMinute < b.endMinute && b.startMinute < a.endMinute, `${r.id} overlaps`).toBe(false);
          }
        }
      }
    }
  });

  it("live inside their home area and look like people", () => {
    const year = new Date(day0 + 9 * 3_600_000).getUTCFullYear();
    for (const r of data.residents) {
      expect(pointInPolygon(r.homeLng!, r.homeLat!, polygonOf(r.homeAreaId!)), r.id).toBe(true);
      expect(r.travelDistanceM).toBeGreaterThanOrEqual(500);
      expect(r.travelDistanceM).toBeLessThanOrEqual(5000);
      const age = year - r.birthYear!;
      expect(age).toBeGreaterThanOrEqual(15);
      expect(age).toBeLessThanOrEqual(89);
      expect(r.displayName).toMatch(/\S+ \S+/);
      expect(r.address).toMatch(/^みどり区.+\d丁目\d+-\d+/);
      expect((r.interests as string[]).every((c) => (TASK_CATEGORY_CODES as readonly string[]).includes(c))).toBe(true);
    }
  });

  it("skew older, as volunteer registers do, with some students and workers", () => {
    const year = new Date(day0 + 9 * 3_600_000).getUTCFullYear();
    const ages = data.residents.map((r) => year - r.birthYear!);
    const share = (lo: number, hi: number) => ages.filter((a) => a >= lo && a <= hi).length / ages.length;
    expect(share(60, 79)).toBeGreaterThan(0.35);
    expect(share(15, 24)).toBeGreaterThan(0.05);
    expect(share(25, 59)).toBeGreaterThan(0.2);
    expect(data.residents.filter((r) => r.style === "PER_EVENT").length).toBeGreaterThan(10);
    expect(data.residents.filter((r) => r.specialCare).length).toBeGreaterThan(0);
    expect(data.residents.filter((r) => r.weeklyHourCap).length).toBeGreaterThan(30);
    expect(new Set(data.residents.map((r) => r.registeredByOrgId)).size).toBeGreaterThanOrEqual(6);
  });

  it("have skill levels 1–3", () => {
    for (const s of data.residentSkills) expect([1, 2, 3]).toContain(s.level);
  });

  it("have exceptions within the horizon", () => {
    for (const e of data.availabilityExceptions) {
      const d = ms(e.date);
      expect(d % DAY_MS).toBe(0); // a calendar date at UTC midnight
      expect(d).toBeGreaterThan(jstCalendarDate(day0).getTime());
      expect(d).toBeLessThanOrEqual(jstCalendarDate(day0 + HORIZON_DAYS * DAY_MS).getTime());
    }
  });
});

describe("tasks and shifts", () => {
  it("place non-remote tasks inside their area and leave remote ones without a location", () => {
    for (const t of data.tasks) {
      if (t.isRemote) {
        expect(t.lat ?? null).toBeNull();
        expect(t.locationName ?? null).toBeNull();
      } else {
        expect(pointInPolygon(t.lng!, t.lat!, polygonOf(t.areaId!)), t.id).toBe(true);
        expect(t.locationName).toBeTruthy();
      }
    }
    expect(data.tasks.some((t) => t.isRemote)).toBe(true);
    expect(data.tasks.some((t) => t.recurrence)).toBe(true);
    expect(data.tasks.some((t) => !t.recurrence)).toBe(true);
  });

  it("have valid pieces: endsAt > startsAt, headcount ≥ 1, within the horizon", () => {
    for (const s of data.shifts) {
      expect(ms(s.endsAt), s.id).toBeGreaterThan(ms(s.startsAt));
      expect(s.headcount).toBeGreaterThanOrEqual(1);
      expect(s.headcount).toBeLessThanOrEqual(4);
      expect(ms(s.startsAt)).toBeLessThan(day0 + HORIZON_DAYS * DAY_MS);
      expect(ms(s.startsAt)).toBeGreaterThan(day0 - 60 * DAY_MS);
      // Pieces start at plausible local hours (JST).
      const minute = jstMinuteOfDay(ms(s.startsAt));
      expect(minute).toBeGreaterThanOrEqual(7 * 60);
      expect(minute).toBeLessThanOrEqual(21 * 60);
    }
    const upcoming = data.shifts.filter((s) => ms(s.startsAt) >= day0);
    expect(upcoming.length).toBeGreaterThan(data.shifts.length * 0.6);
    expect(data.shiftSkills.length).toBeGreaterThan(0);
  });

  it("lay recurring pieces on the weekday their recurrence text names", () => {
    const task = data.tasks.find((t) => t.id === "seed-task-shokudo-higashidai")!;
    expect(task.recurrence).toBe("毎週水曜 15:00–19:30");
    const pieces = data.shifts.filter((s) => s.taskId === task.id);
    expect(pieces.every((s) => jstWeekday(ms(s.startsAt)) === 3)).toBe(true);
    expect(new Set(pieces.map((s) => s.role)).size).toBeGreaterThan(1); // a mosaic: several roles
  });

  it("offer a mix of incentives with amounts matching their kinds", () => {
    for (const t of data.tasks) {
      const kinds = t.incentiveKinds as string[];
      expect(kinds.includes("TRANSPORT_FEE")).toBe(t.transportFeeYen != null);
      expect(kinds.includes("THANKS_MONEY")).toBe(t.thanksYen != null);
      expect(kinds.includes("LOCAL_POINTS")).toBe(t.localPoints != null);
    }
    const all = new Set(data.tasks.flatMap((t) => t.incentiveKinds as string[]));
    expect(all).toEqual(new Set(["TRANSPORT_FEE", "THANKS_MONEY", "LOCAL_POINTS", "CERTIFICATE"]));
  });
});

describe("resources", () => {
  it("use known categories and sit inside their area", () => {
    const codes = new Set(RESOURCE_CATEGORIES.map((c) => c.code as string));
    for (const r of data.resources) {
      expect(codes.has(r.category), r.category).toBe(true);
      expect(pointInPolygon(r.lng, r.lat, polygonOf(r.areaId!)), r.id).toBe(true);
    }
    expect(new Set(data.resources.map((r) => r.kind))).toEqual(new Set(["PLACE", "ACTIVITY", "SERVICE", "ORGANIZATION"]));
    expect(data.resources.filter((r) => r.visibility === "PUBLIC").length).toBeGreaterThan(data.resources.length * 0.8);
  });
});

describe("matches, participations and consents", () => {
  const shiftOf = (id: string) => shifts.get(id)!;

  it("propose residents who can actually do the piece", () => {
    const windows = data.availabilityWindows;
    const heldSkills = new Set(data.residentSkills.map((s) => `${s.residentId}|${s.skillId}`));
    for (const m of data.matches) {
      const s = shiftOf(m.shiftId);
      const r = residents.get(m.residentId)!;
      const t = tasks.get(s.taskId)!;
      const weekday = jstWeekday(ms(s.startsAt));
      const start = jstMinuteOfDay(ms(s.startsAt));
      const end = jstMinuteOfDay(ms(s.endsAt));
      expect(
        windows.some((w) => w.residentId === r.id && w.weekday === weekday && w.startMinute <= start && w.endMinute >= end),
        `${m.id} availability`,
      ).toBe(true);
      for (const ss of data.shiftSkills.filter((x) => x.shiftId === s.id)) {
        expect(heldSkills.has(`${r.id}|${ss.skillId}`), `${m.id} skills`).toBe(true);
      }
      if (!t.isRemote) expect(distanceM(r.homeLat!, r.homeLng!, t.lat!, t.lng!)).toBeLessThanOrEqual(r.travelDistanceM!);
      expect(m.explanationJa).toBeTruthy();
      expect(m.explanationEn).toBeTruthy();
      expect(m.score).toBeGreaterThan(0);
      expect(m.score).toBeLessThanOrEqual(1);
    }
  });

  it("keep a history that ends in the card's stage, all before the seed day", () => {
    for (const m of data.matches) {
      const events = data.matchEvents.filter((e) => e.matchId === m.id && e.kind !== "pinned");
      expect(events[0].kind).toBe("created");
      expect(events[events.length - 1].toStage).toBe(m.stage);
      for (let i = 1; i < events.length; i++) {
        expect(events[i].fromStage).toBe(events[i - 1].toStage);
        expect(ms(events[i].createdAt)).toBeGreaterThanOrEqual(ms(events[i - 1].createdAt));
      }
      expect(ms(m.stageChangedAt)).toBe(ms(events[events.length - 1].createdAt));
    }
    for (const e of data.matchEvents) expect(ms(e.createdAt)).toBeLessThanOrEqual(day0);
  });

  it("complete only past pieces, each with its participation", () => {
    for (const m of data.matches) {
      const s = shiftOf(m.shiftId);
      if (m.stage === "COMPLETED") {
        expect(ms(s.endsAt)).toBeLessThanOrEqual(day0);
        expect(data.participations.some((p) => p.matchId === m.id && p.attended)).toBe(true);
      } else {
        expect(ms(s.startsAt)).toBeGreaterThanOrEqual(day0);
      }
    }
  });

  it("record past participations with ratings 1–5 and non-negative incentives", () => {
    for (const p of data.participations) {
      expect(ms(shiftOf(p.shiftId).endsAt)).toBeLessThanOrEqual(day0);
      if (p.rating != null) expect([1, 2, 3, 4, 5]).toContain(p.rating);
      if (p.attended) expect(p.minutes).toBeGreaterThan(0);
    }
    expect(data.participations.some((p) => p.rating != null)).toBe(true);
    for (const i of data.incentiveEntries) {
      expect(i.amount).toBeGreaterThanOrEqual(0);
      expect(ms(i.issuedAt)).toBeLessThanOrEqual(day0);
    }
  });

  it("tell a consistent story: registered before taking part, pieces posted before cards", () => {
    const founded = ms(data.workspace.createdAt);
    for (const r of data.residents) expect(ms(r.createdAt)).toBeGreaterThanOrEqual(founded);
    for (const m of data.matches) {
      expect(ms(m.createdAt)).toBeGreaterThan(ms(residents.get(m.residentId)!.createdAt));
      expect(ms(m.createdAt)).toBeGreaterThan(ms(shiftOf(m.shiftId).createdAt));
    }
    for (const p of data.participations) {
      expect(ms(p.checkInAt ?? p.createdAt)).toBeGreaterThan(ms(residents.get(p.residentId)!.createdAt));
    }
    for (const c of data.consents) expect(ms(c.grantedAt)).toBeGreaterThan(ms(residents.get(c.residentId)!.createdAt));
    for (const t of data.tasks) expect(ms(t.createdAt)).toBeGreaterThanOrEqual(founded);
  });

  it("share only named personal fields with another organization", () => {
    for (const c of data.consents) {
      const fields = c.fields as string[];
      expect(fields.every((f) => (RESIDENT_PERSONAL_FIELDS as readonly string[]).includes(f))).toBe(true);
      expect(c.includesSpecialCare).toBe(fields.includes("specialCare"));
      expect(c.organizationId).not.toBe(residents.get(c.residentId)!.registeredByOrgId);
      expect(c.purpose.length).toBeGreaterThan(5);
    }
    expect(data.consents.some((c) => c.includesSpecialCare)).toBe(true);
    expect(data.consents.some((c) => c.revokedAt)).toBe(true);
    expect(data.consents.some((c) => c.expiresAt && ms(c.expiresAt) < day0)).toBe(true);
  });

  it("publishes one 共同利用 notice among existing organizations, without 要配慮個人情報", () => {
    expect(data.jointUseNotices).toHaveLength(1);
    for (const n of data.jointUseNotices) {
      const members = n.organizationIds as string[];
      expect(members).toContain(n.managerOrgId);
      expect(members.every((id) => orgs.has(id))).toBe(true);
      expect(n.fields as string[]).not.toContain("specialCare");
      expect((n.fields as string[]).every((f) => (RESIDENT_PERSONAL_FIELDS as readonly string[]).includes(f))).toBe(true);
      expect(ms(n.publishedAt)).toBeLessThan(day0);
    }
  });
});

describe("demo accounts", () => {
  it("include the documented coordinator at the 社協", () => {
    const coordinator = DEMO_ACCOUNTS.find((a) => a.email === "coordinator@tsunagu.example")!;
    expect(coordinator.role).toBe("COORDINATOR");
    expect(orgs.get(coordinator.organizationId!)!.kind).toBe("SHAKYO");
    expect(DEMO_PASSWORD).toBe("tsunagu-demo");
  });

  it("are all users, with a membership each except the resident", () => {
    expect(data.users.map((u) => u.email).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.email).sort());
    for (const a of DEMO_ACCOUNTS) {
      const membership = data.memberships.find((m) => m.userId === a.userId);
      if (a.role) expect(membership?.role).toBe(a.role);
      else expect(membership).toBeUndefined();
      expect(a.descriptionJa).toBeTruthy();
    }
    for (const email of ["admin", "npo", "member", "viewer", "university", "company", "jichikai", "resident"]) {
      expect(DEMO_ACCOUNTS.some((a) => a.email === `${email}@tsunagu.example`)).toBe(true);
    }
  });

  it("link the resident account to a resident with cards of their own", () => {
    const account = DEMO_ACCOUNTS.find((a) => a.email === "resident@tsunagu.example")!;
    expect(account.residentId).toBe(DEMO_RESIDENT_ID);
    expect(residents.get(DEMO_RESIDENT_ID)!.userId).toBe(account.userId);
    expect(data.matches.filter((m) => m.residentId === DEMO_RESIDENT_ID).length).toBeGreaterThanOrEqual(2);
  });
});

describe("time helpers", () => {
  it("truncate to JST midnight", () => {
    expect(startOfJstDay(new Date("2026-11-24T14:59:59Z")).toISOString()).toBe("2026-11-23T15:00:00.000Z");
    expect(startOfJstDay(new Date("2026-11-24T15:00:00Z")).toISOString()).toBe("2026-11-24T15:00:00.000Z");
  });
});
