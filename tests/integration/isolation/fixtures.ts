import { hashPassword } from "../../../server/auth/password.ts";
import type { PrismaClient } from "../../../server/db/client.ts";
import { CALLERS, type CallerKey } from "./matrix.ts";

/**
 * The isolation matrix's world, created in the test's own copy of the seeded database:
 *
 * - W1 is the demo workspace (みどり区). In it the test adds two organizations of its own, A (the
 *   "own" organization of every target) and B (the "other organization of the same workspace"),
 *   each with one user per role, and an organization E that only receives a consent.
 * - W2 is a second workspace with organizations C (its user, ADMIN) and D, an area, a task, a
 *   resource, a resident and a match, so "other workspace" is a real place with real ids.
 * - Residents of A: R1 (consent to B for name + contact, consent to E, one revoked consent to B;
 *   linked to resident@tsunagu.example), R2 (no consent), RX (already erased).
 *
 * Own organizations instead of the seed's: the expected outcomes then depend only on what this
 * file creates, not on the demo data other people keep improving.
 */
export const PASSWORD = "tsunagu-demo";
export const RESIDENT_EMAIL = "resident@tsunagu.example";

export const EMAILS: Record<Exclude<CallerKey, "anonymous">, string> = {
  "A.ADMIN": "iso-a-admin@tsunagu.example",
  "A.COORDINATOR": "iso-a-coordinator@tsunagu.example",
  "A.MEMBER": "iso-a-member@tsunagu.example",
  "A.VIEWER": "iso-a-viewer@tsunagu.example",
  "B.ADMIN": "iso-b-admin@tsunagu.example",
  "B.COORDINATOR": "iso-b-coordinator@tsunagu.example",
  "B.MEMBER": "iso-b-member@tsunagu.example",
  "B.VIEWER": "iso-b-viewer@tsunagu.example",
  otherWorkspace: "iso-w2-admin@tsunagu.example",
  resident: RESIDENT_EMAIL,
};

/** The user the login probes sign in as (never one of the callers: its sessions do not matter). */
export const PROBE_EMAIL = "iso-probe@tsunagu.example";

/** Every id a case may target, by a stable name. */
export interface Fixtures {
  W1: string;
  W1slug: string;
  W2: string;
  W2slug: string;
  orgA: string;
  orgB: string;
  orgC: string;
  orgD: string;
  orgE: string;
  areaW1: string;
  areaW2: string;
  /** A's PLATFORM task, A's ORG task, B's PLATFORM task, W2's task. */
  taskA: string;
  taskAorg: string;
  taskB: string;
  taskW2: string;
  /** A's PUBLIC open task and a PUBLIC closed one (the public pages and the resident's apply form). */
  taskPublic: string;
  taskPublicClosed: string;
  shiftPublic: string;
  shiftPublicClosed: string;
  shiftA: string;
  shiftAorg: string;
  shiftB: string;
  shiftW2: string;
  resourceA: string;
  resourceAorg: string;
  resourceW2: string;
  R1: string;
  R2: string;
  RX: string;
  RW2: string;
  RW2X: string;
  /** R1 → B (name, contact), active. */
  consentR1B: string;
  /** R1 → E (address), active. */
  consentR1E: string;
  /** R1 → B, revoked (superseded). The revoke probes target it: revoking twice changes nothing. */
  consentR1Bold: string;
  /** RW2 → D, revoked. */
  consentW2: string;
  /** Cards: A's task × R1, A's task × R2, A's ORG task × R1, B's task × R1, B's task × R2, W2. */
  matchA1: string;
  matchA2: string;
  matchAorg: string;
  matchB1: string;
  matchB2: string;
  matchW2: string;
  /** R1 at A's piece (shiftA), attendance not recorded. */
  participationA1: string;
  /** A named version of the W1 area's chart, and one of the W2 area's. */
  chartVersionW1: string;
  chartVersionW2: string;
  /** Memberships: A's only ADMIN, A's MEMBER, W2's only ADMIN. */
  membershipAadmin: string;
  membershipAmember: string;
  membershipW2admin: string;
  userIds: Record<Exclude<CallerKey, "anonymous">, string>;
}

const DAY = 86_400_000;
const polygon = (lat: number, lng: number) => ({
  type: "Polygon",
  coordinates: [[[lng - 0.01, lat - 0.01], [lng + 0.01, lat - 0.01], [lng + 0.01, lat + 0.01], [lng - 0.01, lat + 0.01], [lng - 0.01, lat - 0.01]]],
});

export async function createFixtures(prisma: PrismaClient): Promise<Fixtures> {
  const passwordHash = await hashPassword(PASSWORD);
  const w1 = await prisma.workspace.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
  const areaW1 = await prisma.area.findFirstOrThrow({ where: { workspaceId: w1.id }, orderBy: { code: "asc" } });

  const w2 = await prisma.workspace.create({
    data: { slug: "iso-other-ward", name: "あおば市(隔離テスト)", nameEn: "Aoba (isolation test)", municipality: "あおば市" },
  });
  const areaW2 = await prisma.area.create({
    data: { workspaceId: w2.id, code: "iso-w2", name: "あおば地区", polygon: polygon(35.6, 139.6), centerLat: 35.6, centerLng: 139.6 },
  });

  const org = (workspaceId: string, name: string) => prisma.organization.create({ data: { workspaceId, kind: "NPO", name } });
  const [orgA, orgB, orgE, orgC, orgD] = await Promise.all([
    org(w1.id, "隔離テスト団体A"),
    org(w1.id, "隔離テスト団体B"),
    org(w1.id, "隔離テスト団体E"),
    org(w2.id, "隔離テスト団体C"),
    org(w2.id, "隔離テスト団体D"),
  ]);

  const membershipOf: Record<string, { orgId: string; role: "ADMIN" | "COORDINATOR" | "MEMBER" | "VIEWER" }> = {
    "A.ADMIN": { orgId: orgA.id, role: "ADMIN" },
    "A.COORDINATOR": { orgId: orgA.id, role: "COORDINATOR" },
    "A.MEMBER": { orgId: orgA.id, role: "MEMBER" },
    "A.VIEWER": { orgId: orgA.id, role: "VIEWER" },
    "B.ADMIN": { orgId: orgB.id, role: "ADMIN" },
    "B.COORDINATOR": { orgId: orgB.id, role: "COORDINATOR" },
    "B.MEMBER": { orgId: orgB.id, role: "MEMBER" },
    "B.VIEWER": { orgId: orgB.id, role: "VIEWER" },
    otherWorkspace: { orgId: orgC.id, role: "ADMIN" },
  };
  const userIds = {} as Fixtures["userIds"];
  const membershipIds: Record<string, string> = {};
  for (const caller of CALLERS) {
    if (caller === "anonymous") continue;
    const email = EMAILS[caller];
    if (caller === "resident") {
      userIds[caller] = (await prisma.user.findUniqueOrThrow({ where: { email } })).id;
      continue;
    }
    const user = await prisma.user.create({ data: { email, displayName: `隔離 ${caller}`, passwordHash } });
    userIds[caller] = user.id;
    const m = membershipOf[caller];
    membershipIds[caller] = (await prisma.membership.create({ data: { userId: user.id, organizationId: m.orgId, role: m.role } })).id;
  }
  await prisma.user.create({ data: { email: PROBE_EMAIL, displayName: "隔離 probe", passwordHash } });

  const resident = (workspaceId: string, orgId: string, code: string, areaId: string, extra: Record<string, unknown> = {}) =>
    prisma.resident.create({
      data: {
        workspaceId,
        registeredByOrgId: orgId,
        publicCode: code,
        displayName: `隔離 住民 ${code}`,
        nameKana: "カクリ ジュウミン",
        email: `${code.toLowerCase()}@resident.example`,
        phone: "090-0000-0000",
        address: "みどり区 1-2-3",
        birthYear: 1955,
        homeAreaId: areaId,
        homeLat: 35.52,
        homeLng: 139.52,
        notes: "メモ",
        specialCare: "要配慮の記載",
        ...extra,
      },
    });
  // resident@tsunagu.example becomes R1's own login (it was the demo resident's).
  await prisma.resident.updateMany({ where: { userId: userIds.resident }, data: { userId: null } });
  const R1 = await resident(w1.id, orgA.id, "ISO1", areaW1.id, { userId: userIds.resident });
  const R2 = await resident(w1.id, orgA.id, "ISO2", areaW1.id);
  const RX = await resident(w1.id, orgA.id, "ISOX", areaW1.id, { deletedAt: new Date(), status: "LEFT" });
  const RW2 = await resident(w2.id, orgC.id, "ISOW2", areaW2.id);
  const RW2X = await resident(w2.id, orgC.id, "ISOW2X", areaW2.id, { deletedAt: new Date(), status: "LEFT" });

  const now = Date.now();
  const consent = (residentId: string, organizationId: string, fields: string[], revoked = false) =>
    prisma.consent.create({
      data: {
        residentId,
        organizationId,
        fields,
        purpose: "隔離テスト",
        expiresAt: new Date(now + 90 * DAY),
        revokedAt: revoked ? new Date(now - DAY) : null,
        grantedAt: new Date(now - 2 * DAY),
      },
    });
  const consentR1Bold = await consent(R1.id, orgB.id, ["name", "contact", "address"], true);
  const consentR1B = await consent(R1.id, orgB.id, ["name", "contact"]);
  const consentR1E = await consent(R1.id, orgE.id, ["address"]);
  const consentW2 = await consent(RW2.id, orgD.id, ["name"], true);

  const task = (workspaceId: string, ownerOrgId: string, title: string, visibility: "PUBLIC" | "PLATFORM" | "ORG", status: "OPEN" | "CLOSED" = "OPEN") =>
    prisma.task.create({ data: { workspaceId, ownerOrgId, title, description: "隔離テストの活動", category: "watch", visibility, status } });
  const [taskA, taskAorg, taskB, taskW2, taskPublic, taskPublicClosed] = await Promise.all([
    task(w1.id, orgA.id, "隔離A 見守り", "PLATFORM"),
    task(w1.id, orgA.id, "隔離A 団体内", "ORG"),
    task(w1.id, orgB.id, "隔離B 見守り", "PLATFORM"),
    task(w2.id, orgC.id, "隔離W2 見守り", "PLATFORM"),
    task(w1.id, orgA.id, "隔離A 公開", "PUBLIC"),
    task(w1.id, orgA.id, "隔離A 公開(締切)", "PUBLIC", "CLOSED"),
  ]);
  // Locations for the map's task layer (decision 070); the PUBLIC ones stay without (open data).
  await prisma.task.updateMany({ where: { id: { in: [taskA.id, taskAorg.id, taskB.id, taskW2.id] } }, data: { lat: 35.52, lng: 139.62 } });
  // Pieces far in the future and never overlapping (the booking rules), so matches may be added by hand.
  const shift = (taskId: string, day: number) =>
    prisma.shift.create({ data: { taskId, role: "見守り", startsAt: new Date(now + day * DAY), endsAt: new Date(now + day * DAY + 3_600_000) } });
  const shiftA = await shift(taskA.id, 100);
  const shiftAorg = await shift(taskAorg.id, 101);
  const shiftB = await shift(taskB.id, 102);
  const shiftW2 = await shift(taskW2.id, 103);
  const shiftPublic = await shift(taskPublic.id, 104);
  const shiftPublicClosed = await shift(taskPublicClosed.id, 105);

  const match = (workspaceId: string, shiftId: string, residentId: string) => prisma.match.create({ data: { workspaceId, shiftId, residentId } });
  const matchA1 = await match(w1.id, shiftA.id, R1.id);
  const matchA2 = await match(w1.id, shiftA.id, R2.id);
  const matchAorg = await match(w1.id, shiftAorg.id, R1.id);
  const matchB1 = await match(w1.id, shiftB.id, R1.id);
  const matchB2 = await match(w1.id, shiftB.id, R2.id);
  const matchW2 = await match(w2.id, shiftW2.id, RW2.id);
  // R1's participation at A's piece, attendance not recorded yet (the incentive probes: 409 not_attended).
  const participationA1 = await prisma.participation.create({ data: { residentId: R1.id, shiftId: shiftA.id, matchId: matchA1.id } });

  const resource = (workspaceId: string, ownerOrgId: string, name: string, visibility: "PUBLIC" | "ORG") =>
    prisma.resource.create({ data: { workspaceId, ownerOrgId, kind: "PLACE", category: "hub", name, lat: 35.5, lng: 139.5, visibility } });
  const [resourceA, resourceAorg, resourceW2] = await Promise.all([
    resource(w1.id, orgA.id, "隔離A 拠点", "PUBLIC"),
    resource(w1.id, orgA.id, "隔離A 団体内拠点", "ORG"),
    resource(w2.id, orgC.id, "隔離W2 拠点", "PUBLIC"),
  ]);

  const chartVersion = (workspaceId: string, areaId: string) =>
    prisma.chartVersion.create({ data: { workspaceId, areaId, name: "隔離テストの版", state: new Uint8Array([0, 0]), createdByName: "隔離" } });
  const [chartVersionW1, chartVersionW2] = await Promise.all([chartVersion(w1.id, areaW1.id), chartVersion(w2.id, areaW2.id)]);

  return {
    W1: w1.id,
    W1slug: w1.slug,
    W2: w2.id,
    W2slug: w2.slug,
    orgA: orgA.id,
    orgB: orgB.id,
    orgC: orgC.id,
    orgD: orgD.id,
    orgE: orgE.id,
    areaW1: areaW1.id,
    areaW2: areaW2.id,
    taskA: taskA.id,
    taskAorg: taskAorg.id,
    taskB: taskB.id,
    taskW2: taskW2.id,
    taskPublic: taskPublic.id,
    taskPublicClosed: taskPublicClosed.id,
    shiftPublic: shiftPublic.id,
    shiftPublicClosed: shiftPublicClosed.id,
    shiftA: shiftA.id,
    shiftAorg: shiftAorg.id,
    shiftB: shiftB.id,
    shiftW2: shiftW2.id,
    resourceA: resourceA.id,
    resourceAorg: resourceAorg.id,
    resourceW2: resourceW2.id,
    R1: R1.id,
    R2: R2.id,
    RX: RX.id,
    RW2: RW2.id,
    RW2X: RW2X.id,
    consentR1B: consentR1B.id,
    consentR1E: consentR1E.id,
    consentR1Bold: consentR1Bold.id,
    consentW2: consentW2.id,
    matchA1: matchA1.id,
    matchA2: matchA2.id,
    matchAorg: matchAorg.id,
    matchB1: matchB1.id,
    matchB2: matchB2.id,
    matchW2: matchW2.id,
    participationA1: participationA1.id,
    chartVersionW1: chartVersionW1.id,
    chartVersionW2: chartVersionW2.id,
    membershipAadmin: membershipIds["A.ADMIN"],
    membershipAmember: membershipIds["A.MEMBER"],
    membershipW2admin: membershipIds.otherWorkspace,
    userIds,
  };
}

/**
 * What a write could have changed, for the "a refused write changed nothing" check: both
 * workspaces' versions (every domain write bumps one in its transaction) and the version or
 * state of every fixture entity a write route targets.
 */
export async function snapshot(prisma: PrismaClient, fx: Fixtures) {
  const [workspaces, tasks, shifts, resources, matches, residents, consents, memberships, notices, passwords] = await Promise.all([
    prisma.workspace.findMany({ where: { id: { in: [fx.W1, fx.W2] } }, select: { id: true, version: true }, orderBy: { id: "asc" } }),
    Promise.all([prisma.task.count(), prisma.resident.count(), prisma.match.count(), prisma.consent.count(), prisma.user.count()]),
    prisma.shift.count(),
    prisma.resource.count(),
    prisma.match.findMany({ where: { id: { in: [fx.matchA1, fx.matchA2, fx.matchAorg, fx.matchB1, fx.matchB2, fx.matchW2] } }, select: { id: true, version: true, stage: true, pinned: true }, orderBy: { id: "asc" } }),
    prisma.resident.findMany({ where: { id: { in: [fx.R1, fx.R2, fx.RX, fx.RW2, fx.RW2X] } }, select: { id: true, version: true, deletedAt: true, userId: true }, orderBy: { id: "asc" } }),
    prisma.consent.findMany({ where: { resident: { id: { in: [fx.R1, fx.R2, fx.RW2] } } }, select: { id: true, revokedAt: true }, orderBy: { id: "asc" } }),
    prisma.membership.findMany({ where: { id: { in: [fx.membershipAadmin, fx.membershipAmember, fx.membershipW2admin] } }, select: { id: true, role: true }, orderBy: { id: "asc" } }),
    prisma.jointUseNotice.count(),
    prisma.user.findMany({ where: { id: { in: Object.values(fx.userIds) } }, select: { id: true, passwordHash: true }, orderBy: { id: "asc" } }),
  ]);
  const [taskVersions, shiftVersions, resourceVersions] = await Promise.all([
    prisma.task.findMany({ where: { id: { in: [fx.taskA, fx.taskAorg, fx.taskB, fx.taskW2] } }, select: { id: true, version: true }, orderBy: { id: "asc" } }),
    prisma.shift.findMany({ where: { id: { in: [fx.shiftA, fx.shiftAorg, fx.shiftB, fx.shiftW2] } }, select: { id: true, version: true }, orderBy: { id: "asc" } }),
    prisma.resource.findMany({ where: { id: { in: [fx.resourceA, fx.resourceAorg, fx.resourceW2] } }, select: { id: true, version: true }, orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ workspaces, tasks, shifts, resources, matches, residents, consents, memberships, notices, passwords, taskVersions, shiftVersions, resourceVersions });
}
