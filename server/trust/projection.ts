/**
 * Field-level projection of a resident: the ONE place that decides which personal fields a viewer
 * sees (docs/decisions/020-resident-projection.md). Pure: no I/O, time comes in as `now`.
 *
 * Rules, first match per field, unioned over the viewer's memberships in the resident's workspace:
 * 1. A resident whose data was erased (`deletedAt`) shows no personal field to anyone.
 * 2. The resident themself (Resident.userId === viewer) sees every field.
 * 3. COORDINATOR/ADMIN of the registering organization (`read:resident:own`) see every field,
 *    要配慮個人情報 included: they collected it and act on it (the 社協's own case work).
 * 4. MEMBER of the registering organization (`read:resident-contact:own`) sees name and contact.
 * 5. MEMBER and above of another organization (`read:consented-resident:own`) see the fields named
 *    in an active consent (not revoked, not expired) granted to that organization; specialCare only
 *    when that consent also carries `includesSpecialCare`.
 * 6. VIEWER has none of these permissions: never a personal field.
 * Everyone gets the pseudonym card (`publicCode`, label, age band, area) and, when the resident has
 * a home position, its ~500 m grid cell centre; the exact position only with the "location" field.
 */
import { ageBand, ageBandLabel } from "../../app/lib/people.ts";
import { can, type MembershipLike } from "../../app/lib/permissions.ts";
import { RESIDENT_PERSONAL_FIELDS, SPECIAL_CARE_FIELD, type ResidentPersonalField } from "../../app/lib/resident-fields.ts";

export interface Viewer {
  /** null: nobody in particular (a workspace-room card, a match list). */
  userId: string | null;
  memberships: readonly MembershipLike[];
}

/** The viewer of surfaces shared with a whole room: sees the pseudonym card only. */
export const NO_VIEWER: Viewer = Object.freeze({ userId: null, memberships: [] });

export interface ResidentRecord {
  id: string;
  workspaceId: string;
  registeredByOrgId: string;
  userId: string | null;
  publicCode: string;
  displayName: string;
  nameKana: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  birthYear: number | null;
  homeLat: number | null;
  homeLng: number | null;
  notes: string | null;
  specialCare: string | null;
  status: string;
  deletedAt: Date | null;
  homeArea: { id: string; name: string; nameEn: string | null } | null;
}

export interface ConsentRecord {
  id: string;
  organizationId: string;
  fields: readonly string[];
  includesSpecialCare: boolean;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Why a field is visible; recorded with every audited read. */
export type AccessBasis =
  | { kind: "self" }
  | { kind: "registering"; organizationId: string }
  | { kind: "registering-contact"; organizationId: string }
  | { kind: "consent"; organizationId: string; consentId: string };

export interface PseudonymCard {
  id: string;
  publicCode: string;
  /** 「住民 #A012 · 60代 · 北山地区」 */
  label: string;
  /** "Resident #A012 · 60s · Kitayama" */
  labelEn: string;
  /** 10, 20, … 90 (years), or null when unknown. */
  ageBand: number | null;
  area: { id: string; name: string } | null;
}

export interface ProjectedResident extends PseudonymCard {
  /** self: own record; full: every field; partial: some fields; pseudonym: none. */
  access: "self" | "full" | "partial" | "pseudonym";
  /** The personal fields shown, in RESIDENT_PERSONAL_FIELDS order. */
  visibleFields: ResidentPersonalField[];
  status: string;
  deleted: boolean;
  /** Centre of the ~500 m grid cell of the home (null without a home position). */
  approximateLocation: { lat: number; lng: number } | null;
  // Personal fields: a key is present only when its field is visible.
  name?: string;
  nameKana?: string | null;
  email?: string | null;
  phone?: string | null;
  address?: string | null;
  birthYear?: number | null;
  notes?: string | null;
  /** The exact home position. */
  location?: { lat: number; lng: number } | null;
  specialCare?: string | null;
}

export interface Projection {
  resident: ProjectedResident;
  /** Same as resident.visibleFields: what an audit row records. */
  shown: ResidentPersonalField[];
  basis: AccessBasis[];
}

/** Active = not revoked and not expired at `now` (an expiry instant itself is already expired). */
export function isConsentActive(consent: Pick<ConsentRecord, "expiresAt" | "revokedAt">, now: Date): boolean {
  if (consent.revokedAt !== null) return false;
  return consent.expiresAt === null || consent.expiresAt.getTime() > now.getTime();
}

const ALL_FIELDS: readonly ResidentPersonalField[] = RESIDENT_PERSONAL_FIELDS;
const CONTACT_FIELDS: readonly ResidentPersonalField[] = ["name", "contact"];

function isPersonalField(value: string): value is ResidentPersonalField {
  return (RESIDENT_PERSONAL_FIELDS as readonly string[]).includes(value);
}

/** Which personal fields the viewer may see, and on what basis. */
export function allowedFields(
  viewer: Viewer,
  resident: Pick<ResidentRecord, "workspaceId" | "registeredByOrgId" | "userId" | "deletedAt">,
  consents: readonly ConsentRecord[],
  now: Date,
): { fields: ResidentPersonalField[]; basis: AccessBasis[] } {
  if (resident.deletedAt !== null) return { fields: [], basis: [] };
  if (viewer.userId !== null && resident.userId !== null && viewer.userId === resident.userId) {
    return { fields: [...ALL_FIELDS], basis: [{ kind: "self" }] };
  }
  const allowed = new Set<ResidentPersonalField>();
  const basis: AccessBasis[] = [];
  const ws = resident.workspaceId;
  for (const m of viewer.memberships) {
    if (m.workspaceId !== ws) continue;
    if (m.organizationId === resident.registeredByOrgId) {
      if (can([m], ws, "read:resident:own", resident.registeredByOrgId)) {
        ALL_FIELDS.forEach((f) => allowed.add(f));
        basis.push({ kind: "registering", organizationId: m.organizationId });
      } else if (can([m], ws, "read:resident-contact:own", resident.registeredByOrgId)) {
        CONTACT_FIELDS.forEach((f) => allowed.add(f));
        basis.push({ kind: "registering-contact", organizationId: m.organizationId });
      }
      continue;
    }
    if (!can([m], ws, "read:consented-resident:own", m.organizationId)) continue;
    for (const c of consents) {
      if (c.organizationId !== m.organizationId || !isConsentActive(c, now)) continue;
      let added = false;
      for (const f of c.fields) {
        if (!isPersonalField(f)) continue;
        if (f === SPECIAL_CARE_FIELD && !c.includesSpecialCare) continue;
        allowed.add(f);
        added = true;
      }
      if (added) basis.push({ kind: "consent", organizationId: m.organizationId, consentId: c.id });
    }
  }
  return { fields: ALL_FIELDS.filter((f) => allowed.has(f)), basis };
}

const M_PER_DEG_LAT = 111_320;
/** The grid cell of shared positions. @default 500 (metres) */
export const LOCATION_CELL_M = 500;

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Snaps a position to the centre of its ~`cellM` grid cell: rows of `cellM` metres of latitude,
 * and within a row, columns of `cellM` metres of longitude at the row's centre. Every point of a
 * cell gives the same centre, so the answer carries no more than the cell.
 */
export function coarsenPoint(lat: number, lng: number, cellM = LOCATION_CELL_M): { lat: number; lng: number } {
  const latStep = cellM / M_PER_DEG_LAT;
  const row = Math.floor(Math.max(-89, Math.min(89, lat)) / latStep);
  const centreLat = (row + 0.5) * latStep;
  const lngStep = cellM / (M_PER_DEG_LAT * Math.cos((centreLat * Math.PI) / 180));
  const col = Math.floor(lng / lngStep);
  return { lat: round6(centreLat), lng: round6((col + 0.5) * lngStep) };
}

/** The card every member may see: no personal field, only a code, an age band and an area. */
export function pseudonymCard(
  resident: Pick<ResidentRecord, "id" | "publicCode" | "birthYear" | "homeArea">,
  now: Date,
): PseudonymCard {
  const band = ageBand(resident.birthYear, now);
  const area = resident.homeArea;
  const ja = [`住民 #${resident.publicCode}`, ageBandLabel(band, "ja"), ...(area ? [area.name] : [])];
  const en = [`Resident #${resident.publicCode}`, ageBandLabel(band, "en"), ...(area ? [area.nameEn ?? area.name] : [])];
  return {
    id: resident.id,
    publicCode: resident.publicCode,
    label: ja.join(" · "),
    labelEn: en.join(" · "),
    ageBand: band,
    area: area ? { id: area.id, name: area.name } : null,
  };
}

/** What `viewer` sees of `resident`, given the resident's consents (any, active or not). */
export function projectResident(
  viewer: Viewer,
  resident: ResidentRecord,
  consents: readonly ConsentRecord[],
  now: Date,
): Projection {
  const { fields, basis } = allowedFields(viewer, resident, consents, now);
  const has = (f: ResidentPersonalField) => fields.includes(f);
  const exact = resident.homeLat !== null && resident.homeLng !== null ? { lat: resident.homeLat, lng: resident.homeLng } : null;
  const self = basis.some((b) => b.kind === "self");
  const out: ProjectedResident = {
    ...pseudonymCard(resident, now),
    access: self ? "self" : fields.length === ALL_FIELDS.length ? "full" : fields.length > 0 ? "partial" : "pseudonym",
    visibleFields: fields,
    status: resident.status,
    deleted: resident.deletedAt !== null,
    approximateLocation: exact ? coarsenPoint(exact.lat, exact.lng) : null,
  };
  if (has("name")) {
    out.name = resident.displayName;
    out.nameKana = resident.nameKana;
  }
  if (has("contact")) {
    out.email = resident.email;
    out.phone = resident.phone;
  }
  if (has("address")) out.address = resident.address;
  if (has("birthYear")) out.birthYear = resident.birthYear;
  if (has("notes")) out.notes = resident.notes;
  if (has("location")) out.location = exact;
  if (has("specialCare")) out.specialCare = resident.specialCare;
  return { resident: out, shown: fields, basis };
}

/** The Prisma `select` that loads a ResidentRecord. */
export const RESIDENT_RECORD_SELECT = {
  id: true,
  workspaceId: true,
  registeredByOrgId: true,
  userId: true,
  publicCode: true,
  displayName: true,
  nameKana: true,
  email: true,
  phone: true,
  address: true,
  birthYear: true,
  homeLat: true,
  homeLng: true,
  notes: true,
  specialCare: true,
  status: true,
  deletedAt: true,
  homeArea: { select: { id: true, name: true, nameEn: true } },
} as const;

/** The Prisma `select` that loads a ConsentRecord. */
export const CONSENT_RECORD_SELECT = {
  id: true,
  organizationId: true,
  fields: true,
  includesSpecialCare: true,
  expiresAt: true,
  revokedAt: true,
} as const;

/** How a basis is written into AuditLog.basis. */
export function basisLabel(basis: readonly AccessBasis[]): string {
  return basis
    .map((b) => (b.kind === "consent" ? `consent:${b.consentId}` : b.kind))
    .filter((v, i, all) => all.indexOf(v) === i)
    .join(",");
}

/** The organization an access went through (for AuditLog.organizationId); null for the resident. */
export function basisOrganization(basis: readonly AccessBasis[]): string | null {
  for (const b of basis) if (b.kind !== "self") return b.organizationId;
  return null;
}
