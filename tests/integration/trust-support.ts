import { getJson, login, sendJson, startTestServer, type TestServer } from "../setup/test-server.ts";

/** Shared helpers of the tests/integration/trust-*.test.ts files (the trust layer, issue 5). */
export const ORG = {
  shakyo: "seed-org-shakyo",
  npo: "seed-org-npo-food",
  company: "seed-org-supermarket",
  houkatsu: "seed-org-houkatsu",
  city: "seed-org-city",
} as const;

export const DEMO_RESIDENT_ID = "seed-res-001";

/** Keys that carry a resident's personal data, in any API or broadcast shape. */
export const PERSONAL_KEYS = [
  "name",
  "nameKana",
  "displayName",
  "email",
  "phone",
  "address",
  "birthYear",
  "notes",
  "location",
  "homeLat",
  "homeLng",
  "specialCare",
] as const;

export const CARD_KEYS = ["id", "publicCode", "label", "labelEn", "ageBand", "area"];

export type Sessions = Record<"coordinator" | "admin" | "member" | "npo" | "company" | "viewer" | "resident" | "city", string>;

export async function startTrustServer(): Promise<{ server: TestServer; as: Sessions; workspaceId: string }> {
  const server = await startTestServer();
  const emails: Record<keyof Sessions, string> = {
    coordinator: "coordinator@tsunagu.example",
    admin: "shakyo-admin@tsunagu.example",
    member: "member@tsunagu.example",
    npo: "npo@tsunagu.example",
    company: "company@tsunagu.example",
    viewer: "viewer@tsunagu.example",
    resident: "resident@tsunagu.example",
    city: "city@tsunagu.example",
  };
  const entries = await Promise.all(Object.entries(emails).map(async ([k, email]) => [k, await login(server.url, email)] as const));
  const as = Object.fromEntries(entries) as Sessions;
  const workspaceId: string = (await getJson(server.url, "/api/v1/workspaces", as.coordinator)).body.items[0].id;
  return { server, as, workspaceId };
}

/** Every resident of the workspace as `cookie` sees them (follows nextCursor). */
export async function allResidents(url: string, workspaceId: string, cookie: string, extra = ""): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: any } = await getJson(
      url,
      `/api/v1/workspaces/${workspaceId}/residents?limit=200${cursor ? `&cursor=${cursor}` : ""}${extra}`,
      cookie,
    );
    if (page.status !== 200) throw new Error(`residents: ${page.status} ${JSON.stringify(page.body)}`);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

export function grant(url: string, cookie: string, residentId: string, body: Record<string, unknown>) {
  return sendJson(url, "POST", `/api/v1/residents/${residentId}/consents`, { purpose: "見守り活動の連絡調整", expiresAt: inDays(30), ...body }, cookie);
}

export function revoke(url: string, cookie: string, consentId: string) {
  return sendJson(url, "POST", `/api/v1/consents/${consentId}/revoke`, {}, cookie);
}

/**
 * Every key name anywhere in a JSON value, except inside `area` objects (an area's `name` is a
 * public place name, not a person's).
 */
export function keysOf(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, found));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      found.add(key);
      if (key !== "area") keysOf(v, found);
    }
  }
  return found;
}

export function personalKeysIn(value: unknown): string[] {
  const keys = keysOf(value);
  return PERSONAL_KEYS.filter((k) => keys.has(k));
}
