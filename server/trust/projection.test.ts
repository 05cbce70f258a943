import { describe, expect, it } from "vitest";
import type { MembershipLike, Role } from "../../app/lib/permissions.ts";
import { RESIDENT_FIELD_KEYS, RESIDENT_PERSONAL_FIELDS, type ResidentPersonalField } from "../../app/lib/resident-fields.ts";
import {
  allowedFields,
  basisLabel,
  basisOrganization,
  coarsenPoint,
  isConsentActive,
  NO_VIEWER,
  projectResident,
  type ConsentRecord,
  type ResidentRecord,
  type Viewer,
} from "./projection.ts";

const NOW = new Date("2026-11-24T01:00:00Z");
const DAY = 86_400_000;
const WS = "ws-1";
const SHAKYO = "org-shakyo"; // registering organization
const NPO = "org-npo";
const COMPANY = "org-company";

const resident: ResidentRecord = {
  id: "res-1",
  workspaceId: WS,
  registeredByOrgId: SHAKYO,
  userId: "user-resident",
  publicCode: "A012",
  displayName: "佐藤 和子",
  nameKana: "さとう かずこ",
  email: "kazuko@example.jp",
  phone: "090-0000-1234",
  address: "みどり区北山町1-2-3",
  birthYear: 1961,
  homeLat: 35.51234,
  homeLng: 139.54321,
  notes: "火曜は通院",
  specialCare: "要介護1",
  status: "ACTIVE",
  deletedAt: null,
  homeArea: { id: "area-1", name: "北山地区", nameEn: "Kitayama" },
};

const member = (userId: string, organizationId: string, role: Role, workspaceId = WS): Viewer => ({
  userId,
  memberships: [{ organizationId, workspaceId, role } satisfies MembershipLike],
});

const consent = (over: Partial<ConsentRecord> = {}): ConsentRecord => ({
  id: "c-1",
  organizationId: NPO,
  fields: ["name", "contact"],
  includesSpecialCare: false,
  expiresAt: new Date(NOW.getTime() + 30 * DAY),
  revokedAt: null,
  ...over,
});

const ALL = [...RESIDENT_PERSONAL_FIELDS];
const NONE: ResidentPersonalField[] = [];

describe("allowedFields: who sees which personal fields", () => {
  const cases: Array<{ name: string; viewer: Viewer; consents?: ConsentRecord[]; resident?: Partial<ResidentRecord>; expected: ResidentPersonalField[] }> = [
    { name: "the resident themself sees everything", viewer: { userId: "user-resident", memberships: [] }, expected: ALL },
    { name: "registering COORDINATOR sees everything, special care included", viewer: member("u", SHAKYO, "COORDINATOR"), expected: ALL },
    { name: "registering ADMIN sees everything", viewer: member("u", SHAKYO, "ADMIN"), expected: ALL },
    { name: "registering MEMBER sees name and contact", viewer: member("u", SHAKYO, "MEMBER"), expected: ["name", "contact"] },
    { name: "registering VIEWER sees nothing", viewer: member("u", SHAKYO, "VIEWER"), expected: NONE },
    { name: "another organization without consent sees nothing", viewer: member("u", NPO, "COORDINATOR"), expected: NONE },
    { name: "another organization sees the consented fields", viewer: member("u", NPO, "COORDINATOR"), consents: [consent()], expected: ["name", "contact"] },
    { name: "a MEMBER of the consented organization sees them too", viewer: member("u", NPO, "MEMBER"), consents: [consent()], expected: ["name", "contact"] },
    { name: "a VIEWER of the consented organization sees nothing", viewer: member("u", NPO, "VIEWER"), consents: [consent()], expected: NONE },
    { name: "a consent to another organization does not help", viewer: member("u", COMPANY, "COORDINATOR"), consents: [consent()], expected: NONE },
    {
      name: "an expired consent shows nothing",
      viewer: member("u", NPO, "COORDINATOR"),
      consents: [consent({ expiresAt: new Date(NOW.getTime() - 1) })],
      expected: NONE,
    },
    { name: "a consent expiring right now is expired", viewer: member("u", NPO, "COORDINATOR"), consents: [consent({ expiresAt: NOW })], expected: NONE },
    {
      name: "a revoked consent shows nothing",
      viewer: member("u", NPO, "COORDINATOR"),
      consents: [consent({ revokedAt: new Date(NOW.getTime() - DAY) })],
      expected: NONE,
    },
    {
      name: "special care named without its own flag stays hidden",
      viewer: member("u", NPO, "COORDINATOR"),
      consents: [consent({ fields: ["name", "specialCare"] })],
      expected: ["name"],
    },
    {
      name: "special care with its own flag is shown",
      viewer: member("u", NPO, "COORDINATOR"),
      consents: [consent({ fields: ["name", "specialCare"], includesSpecialCare: true })],
      expected: ["name", "specialCare"],
    },
    {
      name: "the flag alone does not show special care",
      viewer: member("u", NPO, "COORDINATOR"),
      consents: [consent({ fields: ["name"], includesSpecialCare: true })],
      expected: ["name"],
    },
    {
      name: "unknown field names in a consent are ignored",
      viewer: member("u", NPO, "COORDINATOR"),
      consents: [consent({ fields: ["name", "bankAccount"] })],
      expected: ["name"],
    },
    {
      name: "two active consents add up, in canonical order",
      viewer: member("u", NPO, "COORDINATOR"),
      consents: [consent({ fields: ["location"] }), consent({ id: "c-2", fields: ["birthYear", "name"] })],
      expected: ["name", "birthYear", "location"],
    },
    {
      name: "a membership in another workspace counts for nothing",
      viewer: member("u", SHAKYO, "COORDINATOR", "ws-other"),
      expected: NONE,
    },
    {
      name: "several memberships: the union (MEMBER of registering + COORDINATOR with consent)",
      viewer: {
        userId: "u",
        memberships: [
          { organizationId: SHAKYO, workspaceId: WS, role: "MEMBER" },
          { organizationId: NPO, workspaceId: WS, role: "COORDINATOR" },
        ],
      },
      consents: [consent({ fields: ["address"] })],
      expected: ["name", "contact", "address"],
    },
    { name: "nobody in particular sees nothing", viewer: NO_VIEWER, consents: [consent()], expected: NONE },
    { name: "a resident without a login is not 'self' for a null user", viewer: NO_VIEWER, resident: { userId: null }, expected: NONE },
    {
      name: "an erased resident shows nothing, even to the registering coordinator",
      viewer: member("u", SHAKYO, "COORDINATOR"),
      resident: { deletedAt: new Date(NOW.getTime() - DAY) },
      expected: NONE,
    },
  ];
  it.each(cases)("$name", ({ viewer, consents = [], resident: over = {}, expected }) => {
    expect(allowedFields(viewer, { ...resident, ...over }, consents, NOW).fields).toEqual(expected);
  });
});

describe("projectResident", () => {
  it("gives nobody-in-particular only the pseudonym card", () => {
    const { resident: view, shown } = projectResident(NO_VIEWER, resident, [], NOW);
    expect(shown).toEqual([]);
    expect(view).toEqual({
      id: "res-1",
      publicCode: "A012",
      label: "住民 #A012 · 60代 · 北山地区",
      labelEn: "Resident #A012 · 60s · Kitayama",
      ageBand: 60,
      area: { id: "area-1", name: "北山地区" },
      access: "pseudonym",
      visibleFields: [],
      status: "ACTIVE",
      deleted: false,
      approximateLocation: coarsenPoint(resident.homeLat!, resident.homeLng!),
    });
    // No personal value leaks through any key.
    const json = JSON.stringify(view);
    for (const value of [resident.displayName, resident.email, resident.phone, resident.address, resident.notes, resident.specialCare, "1961", "35.51234", "139.54321"]) {
      expect(json).not.toContain(String(value));
    }
  });

  it("shows exactly the keys of the visible fields", () => {
    for (const field of RESIDENT_PERSONAL_FIELDS) {
      const { resident: view } = projectResident(
        member("u", NPO, "COORDINATOR"),
        resident,
        [consent({ fields: [field], includesSpecialCare: field === "specialCare" })],
        NOW,
      );
      const cardKeys = Object.keys(projectResident(NO_VIEWER, resident, [], NOW).resident);
      const extra = Object.keys(view).filter((k) => !cardKeys.includes(k));
      expect(extra.sort(), field).toEqual([...RESIDENT_FIELD_KEYS[field]].sort());
      expect(view.access).toBe("partial");
    }
  });

  it("shows the exact location only with the location field", () => {
    const withLocation = projectResident(member("u", NPO, "COORDINATOR"), resident, [consent({ fields: ["location"] })], NOW).resident;
    expect(withLocation.location).toEqual({ lat: 35.51234, lng: 139.54321 });
    const without = projectResident(member("u", NPO, "COORDINATOR"), resident, [consent({ fields: ["address"] })], NOW).resident;
    expect(without).not.toHaveProperty("location");
    expect(without.approximateLocation).not.toEqual({ lat: 35.51234, lng: 139.54321 });
  });

  it("marks self and full access, and records the basis", () => {
    const self = projectResident({ userId: "user-resident", memberships: [] }, resident, [], NOW);
    expect(self.resident.access).toBe("self");
    expect(self.resident.specialCare).toBe("要介護1");
    expect(basisLabel(self.basis)).toBe("self");
    expect(basisOrganization(self.basis)).toBeNull();
    const full = projectResident(member("u", SHAKYO, "COORDINATOR"), resident, [], NOW);
    expect(full.resident.access).toBe("full");
    expect(basisOrganization(full.basis)).toBe(SHAKYO);
    const viaConsent = projectResident(member("u", NPO, "COORDINATOR"), resident, [consent({ id: "c-9" })], NOW);
    expect(basisLabel(viaConsent.basis)).toBe("consent:c-9");
    expect(basisOrganization(viaConsent.basis)).toBe(NPO);
  });

  it("labels unknown ages and residents without an area", () => {
    const card = projectResident(NO_VIEWER, { ...resident, birthYear: null, homeArea: null, homeLat: null, homeLng: null }, [], NOW).resident;
    expect(card.label).toBe("住民 #A012 · 年代不明");
    expect(card.labelEn).toBe("Resident #A012 · age unknown");
    expect(card.approximateLocation).toBeNull();
  });
});

describe("isConsentActive", () => {
  it.each([
    { expiresAt: null, revokedAt: null, active: true },
    { expiresAt: new Date(NOW.getTime() + 1), revokedAt: null, active: true },
    { expiresAt: NOW, revokedAt: null, active: false },
    { expiresAt: null, revokedAt: NOW, active: false },
  ])("expires $expiresAt, revoked $revokedAt → $active", ({ expiresAt, revokedAt, active }) => {
    expect(isConsentActive({ expiresAt, revokedAt }, NOW)).toBe(active);
  });
});

describe("coarsenPoint", () => {
  const metres = (a: { lat: number; lng: number }, b: { lat: number; lng: number }) => {
    const dLat = (a.lat - b.lat) * 111_320;
    const dLng = (a.lng - b.lng) * 111_320 * Math.cos((a.lat * Math.PI) / 180);
    return Math.hypot(dLat, dLng);
  };

  it.each([
    { lat: 35.51234, lng: 139.54321 },
    { lat: 35.0, lng: 139.0 },
    { lat: -33.8688, lng: 151.2093 },
    { lat: 43.0621, lng: 141.3544 },
    { lat: 26.2124, lng: 127.6809 },
  ])("moves $lat,$lng to its cell centre, at most ~354 m away, idempotently", (p) => {
    const c = coarsenPoint(p.lat, p.lng);
    expect(metres(p, c)).toBeLessThanOrEqual(Math.SQRT2 * 250 + 1);
    expect(coarsenPoint(c.lat, c.lng)).toEqual(c);
  });

  it("gives one answer for every point of a cell and another for the next cell", () => {
    const a = coarsenPoint(35.5121, 139.5431);
    expect(coarsenPoint(35.5122, 139.5432)).toEqual(a);
    const north = coarsenPoint(35.5121 + 600 / 111_320, 139.5431);
    expect(north).not.toEqual(a);
    expect(metres(a, north)).toBeGreaterThan(400);
  });

  it("honours another cell size", () => {
    const p = { lat: 35.51234, lng: 139.54321 };
    expect(metres(p, coarsenPoint(p.lat, p.lng, 100))).toBeLessThanOrEqual(Math.SQRT2 * 50 + 1);
  });
});
