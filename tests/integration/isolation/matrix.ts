/**
 * The isolation matrix (issue 5): every REST route, every Remix route module, every client
 * Socket.IO event and the /yjs/ document upgrade × target entity × caller → expected outcome.
 * tests/integration/isolation.test.ts runs it against a real server and fails when a route,
 * page or event exists that this table does not name, or the table names one that is gone
 * (docs/decisions/035-isolation-matrix.md).
 *
 * ## Callers
 * `anonymous`; the four roles of organization A (the "own" organization: it registered the target
 * residents and owns the target tasks, resources and matches); the four roles of organization B
 * (another organization of the same workspace; R1 consented to B, R2 did not); `otherWorkspace`
 * (the ADMIN of an organization in a second workspace); `resident` (resident@tsunagu.example,
 * linked to R1). Fixtures: ./fixtures.ts.
 *
 * ## Outcomes
 * - `allow`: the request got past authorization. For reads: 2xx. For **writes** the requests are
 *   *probes* that must not change data, so an allowed write answers the entry's `passed` signature
 *   instead: e.g. `409 conflict` for a deliberately stale `expectedVersion`, or `400` from a check
 *   that runs only after authorization (an unknown area id, the registering organization as a
 *   consent target), or `200` from an idempotent no-op (erasing an erased resident, revoking a
 *   revoked consent, setting a role to the role it has). Such a 409/400 means "allowed past
 *   authorization, then stopped", never "denied". Every write case, allowed or not, also checks
 *   that the database did not change.
 * - `deny`: HTTP 401 (no session) / 403 (no permission, or not a member of the workspace) / 404
 *   (the entity is not visible to the caller, so its existence is not revealed); 302 for pages =
 *   redirect to /login. Socket acks: `unauthenticated` / `forbidden` / `not_found`. /yjs/: close
 *   codes 4401 / 4403 / 4404.
 * - `projected`: 2xx, and the entry's `view` of the answer is exactly `sees`. For residents the
 *   view is the personal field keys that appear (`R1.name`, …), so "which personal fields may
 *   appear" is asserted exactly, absent ones included; for lists it also names which fixture
 *   entities are listed.
 * - `redirect`: pages only; a 3xx to the given location.
 *
 * ## Adding a route
 * Add its entry here with every caller's outcome (the type makes a missing caller a compile
 * error). A route the table does not know fails the completeness test with its name.
 */
import { RESIDENT_FIELD_KEYS, RESIDENT_PERSONAL_FIELDS, type ResidentPersonalField } from "../../../app/lib/resident-fields.ts";
import type { Fixtures } from "./fixtures.ts";

export const CALLERS = [
  "anonymous",
  "A.ADMIN",
  "A.COORDINATOR",
  "A.MEMBER",
  "A.VIEWER",
  "B.ADMIN",
  "B.COORDINATOR",
  "B.MEMBER",
  "B.VIEWER",
  "otherWorkspace",
  "resident",
] as const;
export type CallerKey = (typeof CALLERS)[number];

export type Outcome =
  | { kind: "allow" }
  /** HTTP status, socket refusal code or /yjs/ close code. */
  | { kind: "deny"; as: 302 | 401 | 403 | 404 | "unauthenticated" | "forbidden" | "not_found" | 4401 | 4403 | 4404 }
  | { kind: "projected"; sees: readonly string[] }
  | { kind: "redirect"; to: RegExp };

export const allow: Outcome = { kind: "allow" };
export const deny = (as: Extract<Outcome, { kind: "deny" }>["as"]): Outcome => ({ kind: "deny", as });
export const projected = (sees: readonly string[]): Outcome => ({ kind: "projected", sees: [...sees].sort() });
export const redirect = (to: RegExp): Outcome => ({ kind: "redirect", to });

const GROUPS = {
  "A.*": ["A.ADMIN", "A.COORDINATOR", "A.MEMBER", "A.VIEWER"],
  "B.*": ["B.ADMIN", "B.COORDINATOR", "B.MEMBER", "B.VIEWER"],
  "W1.*": ["A.ADMIN", "A.COORDINATOR", "A.MEMBER", "A.VIEWER", "B.ADMIN", "B.COORDINATOR", "B.MEMBER", "B.VIEWER"],
  "A.MEMBER+": ["A.ADMIN", "A.COORDINATOR", "A.MEMBER"],
  "B.MEMBER+": ["B.ADMIN", "B.COORDINATOR", "B.MEMBER"],
  "A.COORD+": ["A.ADMIN", "A.COORDINATOR"],
  "B.COORD+": ["B.ADMIN", "B.COORDINATOR"],
  "*.VIEWER": ["A.VIEWER", "B.VIEWER"],
  "*.MEMBER+": ["A.ADMIN", "A.COORDINATOR", "A.MEMBER", "B.ADMIN", "B.COORDINATOR", "B.MEMBER"],
  signedIn: CALLERS.filter((c) => c !== "anonymous"),
} as const satisfies Record<string, readonly CallerKey[]>;
type Who = CallerKey | keyof typeof GROUPS;

/** Every caller's outcome: `fallback`, then each `[who, outcome]` in order (later wins). */
export function rules(fallback: Outcome, ...pairs: Array<[Who | Who[], Outcome]>): Record<CallerKey, Outcome> {
  const result = Object.fromEntries(CALLERS.map((c) => [c, fallback])) as Record<CallerKey, Outcome>;
  for (const [who, outcome] of pairs) {
    for (const w of Array.isArray(who) ? who : [who]) {
      for (const caller of w in GROUPS ? GROUPS[w as keyof typeof GROUPS] : [w as CallerKey]) result[caller] = outcome;
    }
  }
  return result;
}

/** Members of W1 get `ok`; everyone signed in elsewhere 403 (not a member); anonymous 401. */
const inW1 = (ok: Outcome, ...more: Array<[Who | Who[], Outcome]>) => rules(deny(403), ["anonymous", deny(401)], ["W1.*", ok], ...more);
/** The W2 user gets `ok`; W1's people and the resident 403; anonymous 401. */
const inW2 = (ok: Outcome) => rules(deny(403), ["anonymous", deny(401)], ["otherWorkspace", ok]);
/** Resident-scoped routes answer 404 outside the resident's workspace. */
const hidden = (...pairs: Array<[Who | Who[], Outcome]>) => rules(deny(404), ["anonymous", deny(401)], ...pairs);

// ───────────── Views: what a "projected" answer shows ─────────────

const ALL_FIELDS = RESIDENT_PERSONAL_FIELDS;
const NAME_CONTACT: ResidentPersonalField[] = ["name", "contact"];
/** The output keys of some personal fields. */
export function keysOf(fields: readonly ResidentPersonalField[]): string[] {
  return fields.flatMap((f) => RESIDENT_FIELD_KEYS[f]).sort();
}
/** Keys that carry personal data in any answer (a resident's; `area` objects excepted). */
export const PERSONAL_KEYS = ["name", "nameKana", "displayName", "email", "phone", "address", "birthYear", "notes", "location", "homeLat", "homeLng", "specialCare"];

/** The personal keys anywhere in `value` (not inside `area`, whose `name` is a place). */
export function personalKeys(value: unknown, found = new Set<string>()): string[] {
  if (Array.isArray(value)) value.forEach((v) => personalKeys(v, found));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (PERSONAL_KEYS.includes(key)) found.add(key);
      if (key !== "area") personalKeys(v, found);
    }
  }
  return [...found].sort();
}

/** Fixture names of the ids that appear (for lists: which of our entities the caller sees). */
function namesOf(fx: Fixtures, ids: unknown[], candidates: Array<keyof Fixtures>): string[] {
  const set = new Set(ids);
  return candidates.filter((name) => set.has(fx[name])).map(String);
}
const idsOf = (body: any): unknown[] => (body?.items ?? []).map((i: { id: unknown }) => i.id);

const residentView = (body: unknown) => personalKeys(body);
/** `R1`, `R1.email` …: which fixture residents a list shows, and each one's personal keys. */
function residentListView(body: any, fx: Fixtures): string[] {
  const out: string[] = [];
  for (const name of ["R1", "R2", "RX", "RW2"] as const) {
    const item = (body?.items ?? []).find((i: { id: string }) => i.id === fx[name]);
    if (item) out.push(name, ...personalKeys(item).map((k) => `${name}.${k}`));
  }
  return out.sort();
}
const withPrefix = (name: string, fields: readonly ResidentPersonalField[]) => [name, ...keysOf(fields).map((k) => `${name}.${k}`)];
/** The mosaic's residents are pseudonyms for everyone: any personal key in them shows up here. */
const mosaicView = (body: any) =>
  personalKeys((body?.pieces ?? []).flatMap((p: { matches?: Array<{ resident: unknown }> }) => (p.matches ?? []).map((m) => m.resident))).map((k) => `personal:${k}`);
/** A match card's resident is a pseudonym for everyone: any personal key in it shows up here. */
const matchView = (body: any) => personalKeys(body?.resident ?? {}).map((k) => `personal:${k}`);
function matchListView(body: any, fx: Fixtures): string[] {
  const personal = personalKeys((body?.items ?? []).map((m: { resident: unknown }) => m.resident)).map((k) => `personal:${k}`);
  return [...namesOf(fx, idsOf(body), ["matchA1", "matchA2", "matchAorg", "matchB1", "matchB2", "matchW2"]), ...personal].sort();
}

// ───────────── HTTP (REST and pages) ─────────────

export interface HttpCase {
  /** What is targeted, for people reading a failure. */
  target: string;
  path: (fx: Fixtures) => string;
  body?: (fx: Fixtures) => unknown;
  /** For pages: a form body (POST). */
  form?: (fx: Fixtures) => Record<string, string>;
  expect: Record<CallerKey, Outcome>;
  /** For `projected` outcomes: what the answer shows, compared with `sees`. */
  view?: (body: any, fx: Fixtures) => string[];
}

export interface HttpEntry {
  /** `METHOD /path/:param` exactly as registered on express, or `METHOD routes/<id>` for pages. */
  route: string;
  /** How an allowed write probe answers (see the header); default: any 2xx. */
  passed?: { status: number; code?: string; message?: RegExp };
  /**
   * `fresh`: the case logs the caller in again and spends that session (logout).
   * `last`: runs after every other case (it ends all of the caller's sessions).
   */
  session?: "fresh" | "last";
  cases: HttpCase[];
}

const STALE = 999_999;
/** A password the policy accepts; sent as both current and new, so nothing changes (400 "unchanged"). */
export const PROBE_PASSWORD = "Isolation-matrix-probe-2026!";
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export const REST: HttpEntry[] = [
  {
    route: "GET /healthz",
    cases: [{ target: "server", path: () => "/healthz", expect: rules(allow) }],
  },
  // ── authentication ──
  {
    route: "POST /api/auth/login",
    cases: [
      {
        target: "the probe user's credentials",
        path: () => "/api/auth/login",
        body: () => ({ email: "iso-probe@tsunagu.example", password: "tsunagu-demo" }),
        expect: rules(allow),
      },
    ],
  },
  {
    route: "POST /api/auth/logout",
    session: "fresh",
    cases: [{ target: "own session", path: () => "/api/auth/logout", body: () => ({}), expect: rules(allow) }],
  },
  {
    route: "POST /api/auth/logout-all",
    session: "last",
    cases: [{ target: "own sessions", path: () => "/api/auth/logout-all", body: () => ({}), expect: rules(allow, ["anonymous", deny(401)]) }],
  },
  {
    route: "POST /api/auth/password",
    passed: { status: 400, code: "validation_failed", message: /現在のものと同じ|current one/ },
    cases: [
      {
        target: "own password (unchanged)",
        path: () => "/api/auth/password",
        body: () => ({ currentPassword: PROBE_PASSWORD, newPassword: PROBE_PASSWORD }),
        expect: rules(allow, ["anonymous", deny(401)]),
      },
    ],
  },
  {
    route: "GET /api/auth/me",
    cases: [{ target: "self", path: () => "/api/auth/me", expect: rules(allow, ["anonymous", deny(401)]) }],
  },
  // ── workspaces ──
  {
    route: "GET /api/v1/workspaces",
    cases: [
      {
        target: "own workspaces",
        path: () => "/api/v1/workspaces",
        view: (body, fx) => namesOf(fx, idsOf(body), ["W1", "W2"]),
        expect: rules(deny(401), ["W1.*", projected(["W1"])], ["otherWorkspace", projected(["W2"])], ["resident", projected([])]),
      },
    ],
  },
  ...["areas", "organizations", "joint-use-notices"].map(
    (what): HttpEntry => ({
      route: `GET /api/v1/workspaces/:workspaceId/${what}`,
      cases: [
        { target: "W1", path: (fx) => `/api/v1/workspaces/${fx.W1}/${what}`, expect: inW1(allow) },
        { target: "W2 (other workspace)", path: (fx) => `/api/v1/workspaces/${fx.W2}/${what}`, expect: inW2(allow) },
      ],
    }),
  ),
  {
    route: "GET /api/v1/workspaces/:workspaceId/changes",
    cases: [
      { target: "W1", path: (fx) => `/api/v1/workspaces/${fx.W1}/changes?since=0`, expect: inW1(allow) },
      { target: "W2 (other workspace)", path: (fx) => `/api/v1/workspaces/${fx.W2}/changes?since=0`, expect: inW2(allow) },
    ],
  },
  {
    route: "GET /api/v1/changes",
    cases: [
      { target: "W1", path: (fx) => `/api/v1/changes?since=0&workspaceId=${fx.W1}`, expect: inW1(allow) },
      { target: "W2 (other workspace)", path: (fx) => `/api/v1/changes?since=0&workspaceId=${fx.W2}`, expect: inW2(allow) },
      {
        target: "the caller's only workspace",
        path: () => "/api/v1/changes?since=0",
        expect: rules(deny(401), ["W1.*", allow], ["otherWorkspace", allow], ["resident", deny(403)]),
      },
    ],
  },
  // ── tasks and pieces ──
  {
    route: "GET /api/v1/workspaces/:workspaceId/tasks",
    cases: [
      {
        target: "W1 (A's PLATFORM and ORG tasks, B's task)",
        path: (fx) => `/api/v1/workspaces/${fx.W1}/tasks?limit=500`,
        view: (body, fx) => namesOf(fx, idsOf(body), ["taskA", "taskAorg", "taskB", "taskW2"]),
        expect: inW1(deny(403), ["A.*", projected(["taskA", "taskAorg", "taskB"])], ["B.*", projected(["taskA", "taskB"])]),
      },
      {
        target: "W2 (other workspace)",
        path: (fx) => `/api/v1/workspaces/${fx.W2}/tasks?limit=500`,
        view: (body, fx) => namesOf(fx, idsOf(body), ["taskA", "taskAorg", "taskB", "taskW2"]),
        expect: inW2(projected(["taskW2"])),
      },
    ],
  },
  {
    route: "POST /api/v1/workspaces/:workspaceId/tasks",
    passed: { status: 400, code: "validation_failed", message: /areaId/ },
    cases: [
      {
        target: "W1, owner A",
        path: (fx) => `/api/v1/workspaces/${fx.W1}/tasks`,
        body: (fx) => ({ ownerOrgId: fx.orgA, title: "隔離プローブ", category: "watch", areaId: "iso-no-such-area" }),
        expect: inW1(deny(403), ["A.MEMBER+", allow]),
      },
      {
        target: "W1, owner B",
        path: (fx) => `/api/v1/workspaces/${fx.W1}/tasks`,
        body: (fx) => ({ ownerOrgId: fx.orgB, title: "隔離プローブ", category: "watch", areaId: "iso-no-such-area" }),
        expect: inW1(deny(403), ["B.MEMBER+", allow]),
      },
      {
        target: "W2, owner C",
        path: (fx) => `/api/v1/workspaces/${fx.W2}/tasks`,
        body: (fx) => ({ ownerOrgId: fx.orgC, title: "隔離プローブ", category: "watch", areaId: "iso-no-such-area" }),
        expect: inW2(allow),
      },
    ],
  },
  ...(["GET /api/v1/tasks/:taskId", "GET /api/v1/tasks/:taskId/shifts"] as const).map(
    (route): HttpEntry => ({
      route,
      cases: [
        { target: "A's PLATFORM task", path: (fx) => route.slice(4).replace(":taskId", fx.taskA), expect: inW1(allow) },
        { target: "A's ORG task", path: (fx) => route.slice(4).replace(":taskId", fx.taskAorg), expect: inW1(allow, ["B.*", deny(404)]) },
        { target: "W2's task", path: (fx) => route.slice(4).replace(":taskId", fx.taskW2), expect: inW2(allow) },
      ],
    }),
  ),
  {
    route: "PATCH /api/v1/tasks/:taskId",
    passed: { status: 409, code: "conflict" },
    cases: [
      { target: "A's PLATFORM task", path: (fx) => `/api/v1/tasks/${fx.taskA}`, body: () => ({ title: "x", expectedVersion: STALE }), expect: inW1(deny(403), ["A.MEMBER+", allow]) },
      {
        target: "A's ORG task",
        path: (fx) => `/api/v1/tasks/${fx.taskAorg}`,
        body: () => ({ title: "x", expectedVersion: STALE }),
        expect: inW1(deny(403), ["A.MEMBER+", allow], ["B.*", deny(404)]),
      },
      { target: "W2's task", path: (fx) => `/api/v1/tasks/${fx.taskW2}`, body: () => ({ title: "x", expectedVersion: STALE }), expect: inW2(allow) },
    ],
  },
  {
    route: "POST /api/v1/tasks/:taskId/shifts",
    passed: { status: 400, code: "validation_failed", message: /skill/ },
    cases: (
      [
        ["A's PLATFORM task", "taskA", inW1(deny(403), ["A.MEMBER+", allow])],
        ["A's ORG task", "taskAorg", inW1(deny(403), ["A.MEMBER+", allow], ["B.*", deny(404)])],
        ["W2's task", "taskW2", inW2(allow)],
      ] as const
    ).map(([target, task, expect]) => ({
      target,
      path: (fx: Fixtures) => `/api/v1/tasks/${fx[task]}/shifts`,
      body: () => ({ role: "見守り", startsAt: inDays(200), endsAt: inDays(200.05), requiredSkillIds: ["iso-no-such-skill"] }),
      expect,
    })),
  },
  {
    route: "GET /api/v1/shifts/:shiftId",
    cases: [
      { target: "a piece of A's PLATFORM task", path: (fx) => `/api/v1/shifts/${fx.shiftA}`, expect: inW1(allow) },
      { target: "a piece of A's ORG task", path: (fx) => `/api/v1/shifts/${fx.shiftAorg}`, expect: inW1(allow, ["B.*", deny(404)]) },
      { target: "a piece of W2's task", path: (fx) => `/api/v1/shifts/${fx.shiftW2}`, expect: inW2(allow) },
    ],
  },
  {
    route: "PATCH /api/v1/shifts/:shiftId",
    passed: { status: 409, code: "conflict" },
    cases: (
      [
        ["a piece of A's PLATFORM task", "shiftA", inW1(deny(403), ["A.MEMBER+", allow])],
        ["a piece of A's ORG task", "shiftAorg", inW1(deny(403), ["A.MEMBER+", allow], ["B.*", deny(404)])],
        ["a piece of W2's task", "shiftW2", inW2(allow)],
      ] as const
    ).map(([target, shift, expect]) => ({
      target,
      path: (fx: Fixtures) => `/api/v1/shifts/${fx[shift]}`,
      body: () => ({ role: "x", expectedVersion: STALE }),
      expect,
    })),
  },
  // ── availability (the resident and the registering organization's coordinators; 404 for everyone else) ──
  ...(["GET", "PUT"] as const).map(
    (method): HttpEntry => ({
      route: `${method} /api/v1/residents/:residentId/availability`,
      ...(method === "PUT" ? { passed: { status: 409, code: "conflict" } } : {}),
      cases: (
        [
          ["R1 (A's resident, consent to B; the resident's own record)", "R1", hidden(["A.COORD+", allow], ["resident", allow])],
          ["R2 (A's resident, no consent)", "R2", hidden(["A.COORD+", allow])],
          ["RW2 (other workspace)", "RW2", hidden(["otherWorkspace", allow])],
        ] as const
      ).map(([target, resident, expect]) => ({
        target,
        path: (fx: Fixtures) => `/api/v1/residents/${fx[resident]}/availability`,
        ...(method === "PUT" ? { body: () => ({ expectedVersion: STALE, windows: [] }) } : {}),
        expect,
      })),
    }),
  ),
  // ── resources ──
  {
    route: "GET /api/v1/workspaces/:workspaceId/resources",
    cases: [
      {
        target: "W1 (A's PUBLIC and ORG resources)",
        path: (fx) => `/api/v1/workspaces/${fx.W1}/resources?limit=500`,
        view: (body, fx) => namesOf(fx, idsOf(body), ["resourceA", "resourceAorg", "resourceW2"]),
        expect: inW1(deny(403), ["A.*", projected(["resourceA", "resourceAorg"])], ["B.*", projected(["resourceA"])]),
      },
      {
        target: "W2 (other workspace)",
        path: (fx) => `/api/v1/workspaces/${fx.W2}/resources?limit=500`,
        view: (body, fx) => namesOf(fx, idsOf(body), ["resourceA", "resourceAorg", "resourceW2"]),
        expect: inW2(projected(["resourceW2"])),
      },
    ],
  },
  // ── the map's task and resident-count layers (decision 070) ──
  {
    route: "GET /api/v1/workspaces/:workspaceId/map/tasks",
    cases: [
      {
        target: "W1 (A's PLATFORM and ORG tasks, B's PLATFORM task)",
        path: (fx) => `/api/v1/workspaces/${fx.W1}/map/tasks`,
        view: (body, fx) => [...namesOf(fx, idsOf(body), ["taskA", "taskAorg", "taskB", "taskW2"]), ...personalKeys(body).map((k) => `personal:${k}`)],
        expect: inW1(deny(403), ["A.*", projected(["taskA", "taskAorg", "taskB"])], ["B.*", projected(["taskA", "taskB"])]),
      },
      {
        target: "W1 by id (A's ORG task asked for by B)",
        path: (fx) => `/api/v1/workspaces/${fx.W1}/map/tasks?ids=${fx.taskAorg},${fx.taskW2}`,
        view: (body, fx) => namesOf(fx, idsOf(body), ["taskA", "taskAorg", "taskB", "taskW2"]),
        expect: inW1(deny(403), ["A.*", projected(["taskAorg"])], ["B.*", projected([])]),
      },
      {
        target: "W2 (other workspace)",
        path: (fx) => `/api/v1/workspaces/${fx.W2}/map/tasks`,
        view: (body, fx) => namesOf(fx, idsOf(body), ["taskA", "taskAorg", "taskB", "taskW2"]),
        expect: inW2(projected(["taskW2"])),
      },
    ],
  },
  // ── meeting mode's agenda (decision 076): the fixtures' matches are not stuck and their pieces
  // are months away, so members see none of them (which tasks each organization sees is
  // meeting-agenda.test.ts's); no personal field in any case ──
  {
    route: "GET /api/v1/workspaces/:workspaceId/meeting-agenda",
    cases: (["W1", "W2"] as const).map((ws) => ({
      target: `${ws}'s agenda`,
      path: (fx: Fixtures) => `/api/v1/workspaces/${fx[ws]}/meeting-agenda`,
      view: (body: any, fx: Fixtures) => [
        ...namesOf(
          fx,
          [...(body?.stuck ?? []), ...(body?.openSoon ?? [])].map((item: { taskId: unknown }) => item.taskId),
          ["taskA", "taskAorg", "taskB", "taskW2"],
        ),
        ...personalKeys(body).map((key) => `personal:${key}`),
      ],
      expect: ws === "W1" ? inW1(projected([])) : inW2(projected([])),
    })),
  },
  {
    route: "GET /api/v1/workspaces/:workspaceId/map/resident-counts",
    cases: (["W1", "W2"] as const).map((ws) => ({
      target: `${ws}'s areas`,
      path: (fx: Fixtures) => `/api/v1/workspaces/${fx[ws]}/map/resident-counts`,
      // Anything but the area and a suppressed count shows up here: a key of any other kind, or an exact count under 5.
      view: (body: any) => [
        ...new Set(
          (body?.items ?? []).flatMap((i: Record<string, unknown>) => [
            ...Object.keys(i).filter((k) => !["areaId", "name", "nameEn", "lat", "lng", "value", "suppressed"].includes(k)),
            ...(typeof i.value === "number" && i.value < 5 ? ["exact-under-5"] : []),
            ...(i.suppressed === true && i.value !== null ? ["suppressed-with-value"] : []),
          ]),
        ),
      ] as string[],
      expect: ws === "W1" ? inW1(projected([])) : inW2(projected([])),
    })),
  },
  {
    route: "POST /api/v1/workspaces/:workspaceId/resources",
    passed: { status: 400, code: "validation_failed", message: /areaId/ },
    cases: (
      [
        ["W1, owner A", "W1", "orgA", inW1(deny(403), ["A.MEMBER+", allow])],
        ["W2, owner C", "W2", "orgC", inW2(allow)],
      ] as const
    ).map(([target, ws, owner, expect]) => ({
      target,
      path: (fx: Fixtures) => `/api/v1/workspaces/${fx[ws]}/resources`,
      body: (fx: Fixtures) => ({ ownerOrgId: fx[owner], kind: "PLACE", category: "hub", name: "隔離プローブ", lat: 35.5, lng: 139.5, areaId: "iso-no-such-area" }),
      expect,
    })),
  },
  {
    route: "GET /api/v1/resources/:resourceId",
    cases: [
      { target: "A's PUBLIC resource", path: (fx) => `/api/v1/resources/${fx.resourceA}`, expect: inW1(allow) },
      { target: "A's ORG resource", path: (fx) => `/api/v1/resources/${fx.resourceAorg}`, expect: inW1(allow, ["B.*", deny(404)]) },
      { target: "W2's resource", path: (fx) => `/api/v1/resources/${fx.resourceW2}`, expect: inW2(allow) },
    ],
  },
  {
    route: "PATCH /api/v1/resources/:resourceId",
    passed: { status: 409, code: "conflict" },
    cases: (
      [
        ["A's PUBLIC resource", "resourceA", inW1(deny(403), ["A.MEMBER+", allow])],
        ["A's ORG resource", "resourceAorg", inW1(deny(403), ["A.MEMBER+", allow], ["B.*", deny(404)])],
        ["W2's resource", "resourceW2", inW2(allow)],
      ] as const
    ).map(([target, resource, expect]) => ({
      target,
      path: (fx: Fixtures) => `/api/v1/resources/${fx[resource]}`,
      body: () => ({ name: "x", expectedVersion: STALE }),
      expect,
    })),
  },
  // ── matches (kanban cards: the resident is a pseudonym for everyone) ──
  {
    route: "GET /api/v1/workspaces/:workspaceId/matches",
    cases: [
      {
        target: "W1 (cards of A's and B's tasks)",
        path: (fx) => `/api/v1/workspaces/${fx.W1}/matches?limit=500`,
        view: matchListView,
        expect: inW1(deny(403), ["A.*", projected(["matchA1", "matchA2", "matchAorg", "matchB1", "matchB2"])], [
          "B.*",
          projected(["matchA1", "matchA2", "matchB1", "matchB2"]),
        ]),
      },
      {
        target: "W2 (other workspace)",
        path: (fx) => `/api/v1/workspaces/${fx.W2}/matches?limit=500`,
        view: matchListView,
        expect: inW2(projected(["matchW2"])),
      },
    ],
  },
  {
    route: "GET /api/v1/matches/:matchId",
    cases: [
      { target: "card of A's PLATFORM task × R1", path: (fx) => `/api/v1/matches/${fx.matchA1}`, view: matchView, expect: inW1(projected([])) },
      { target: "card of A's ORG task × R1", path: (fx) => `/api/v1/matches/${fx.matchAorg}`, view: matchView, expect: inW1(projected([]), ["B.*", deny(404)]) },
      { target: "card in W2", path: (fx) => `/api/v1/matches/${fx.matchW2}`, view: matchView, expect: inW2(projected([])) },
    ],
  },
  ...(
    [
      ["POST /api/v1/matches/:matchId/stage", "stage", { stage: "DECLINED", expectedVersion: STALE }],
      ["POST /api/v1/matches/:matchId/pin", "pin", { pinned: true, expectedVersion: STALE }],
    ] as const
  ).map(
    ([route, verb, body]): HttpEntry => ({
      route,
      passed: { status: 409, code: "conflict" },
      cases: [
        {
          target: "card of A's PLATFORM task × R1",
          path: (fx) => `/api/v1/matches/${fx.matchA1}/${verb}`,
          body: () => body,
          expect: inW1(deny(403), ["A.COORD+", allow], ["B.COORD+", allow]),
        },
        {
          target: "card of A's ORG task × R1",
          path: (fx) => `/api/v1/matches/${fx.matchAorg}/${verb}`,
          body: () => body,
          // pin checks the card's visibility before the workspace: 404 for everyone outside A.
          expect: inW1(deny(403), ["A.COORD+", allow], ["B.*", deny(404)], ...(verb === "pin" ? [[["otherWorkspace", "resident"], deny(404)] as [Who[], Outcome]] : [])),
        },
        { target: "card in W2", path: (fx) => `/api/v1/matches/${fx.matchW2}/${verb}`, body: () => body, expect: inW2(allow) },
      ],
    }),
  ),
  // Card detail actions (decisions 032, 033): coordinators of an organization involved in the card
  // (the task's, the registering one, the one it was handed to). Notes probe with blank text (400
  // after authorization), hand-off and outcome with a stale version (409).
  ...(
    [
      ["POST /api/v1/matches/:matchId/notes", "notes", () => ({ text: "   " }), { status: 400, code: "validation_failed", message: /空|empty/ }],
      ["POST /api/v1/matches/:matchId/handoff", "handoff", (fx: Fixtures) => ({ organizationId: fx.orgB, expectedVersion: STALE }), { status: 409, code: "conflict" }],
      ["POST /api/v1/matches/:matchId/outcome", "outcome", () => ({ attended: true, expectedVersion: STALE }), { status: 409, code: "conflict" }],
    ] as const
  ).map(
    ([route, verb, body, passed]): HttpEntry => ({
      route,
      passed,
      cases: [
        { target: "card of A's PLATFORM task × R1 (A's resident)", path: (fx) => `/api/v1/matches/${fx.matchA1}/${verb}`, body, expect: inW1(deny(403), ["A.COORD+", allow]) },
        { target: "card of B's task × R1 (A's resident)", path: (fx) => `/api/v1/matches/${fx.matchB1}/${verb}`, body, expect: inW1(deny(403), ["A.COORD+", allow], ["B.COORD+", allow]) },
        {
          target: "card of A's ORG task × R1",
          path: (fx) => `/api/v1/matches/${fx.matchAorg}/${verb}`,
          body,
          expect: inW1(deny(403), ["A.COORD+", allow], ["B.*", deny(404)], [["otherWorkspace", "resident"], deny(404)]),
        },
        { target: "card in W2", path: (fx) => `/api/v1/matches/${fx.matchW2}/${verb}`, body, expect: inW2(allow) },
      ],
    }),
  ),
  // The mosaic view of a task (decision 034): residents as pseudonyms only.
  {
    route: "GET /api/v1/tasks/:taskId/mosaic",
    cases: [
      { target: "A's PLATFORM task", path: (fx) => `/api/v1/tasks/${fx.taskA}/mosaic`, view: mosaicView, expect: inW1(projected([])) },
      {
        target: "A's ORG task",
        path: (fx) => `/api/v1/tasks/${fx.taskAorg}/mosaic`,
        view: mosaicView,
        expect: inW1(projected([]), ["B.*", deny(404)], [["otherWorkspace", "resident"], deny(404)]),
      },
      { target: "W2's task", path: (fx) => `/api/v1/tasks/${fx.taskW2}/mosaic`, view: mosaicView, expect: inW2(projected([])) },
    ],
  },
  {
    // Probes name the card at a stale version: 409 after authorization, nothing confirmed.
    route: "POST /api/v1/tasks/:taskId/confirm-team",
    passed: { status: 409, code: "conflict" },
    cases: [
      {
        target: "A's PLATFORM task",
        path: (fx) => `/api/v1/tasks/${fx.taskA}/confirm-team`,
        body: (fx) => ({ picks: [{ matchId: fx.matchA1, expectedVersion: STALE }] }),
        expect: inW1(deny(403), ["A.COORD+", allow], ["B.COORD+", allow]),
      },
      {
        target: "A's ORG task",
        path: (fx) => `/api/v1/tasks/${fx.taskAorg}/confirm-team`,
        body: (fx) => ({ picks: [{ matchId: fx.matchAorg, expectedVersion: STALE }] }),
        expect: inW1(deny(403), ["A.COORD+", allow], ["B.*", deny(404)], [["otherWorkspace", "resident"], deny(404)]),
      },
      { target: "W2's task", path: (fx) => `/api/v1/tasks/${fx.taskW2}/confirm-team`, body: (fx) => ({ picks: [{ matchId: fx.matchW2, expectedVersion: STALE }] }), expect: inW2(allow) },
    ],
  },
  {
    // Probes add a pair that exists already: 409 after every permission and consent check.
    route: "POST /api/v1/workspaces/:workspaceId/matches",
    passed: { status: 409, code: "conflict" },
    cases: (
      [
        ["A's task × R1 (A's resident)", "W1", "shiftA", "R1", inW1(deny(403), ["A.COORD+", allow])],
        ["B's task × R1 (consent to B)", "W1", "shiftB", "R1", inW1(deny(403), ["A.COORD+", allow], ["B.COORD+", allow])],
        ["B's task × R2 (no consent to B)", "W1", "shiftB", "R2", inW1(deny(403), ["A.COORD+", allow])],
        ["A's ORG task × R1", "W1", "shiftAorg", "R1", inW1(deny(403), ["A.COORD+", allow], ["B.COORD+", deny(404)])],
        ["W2's task × W2's resident", "W2", "shiftW2", "RW2", inW2(allow)],
      ] as const
    ).map(([target, ws, shift, resident, expect]) => ({
      target,
      path: (fx: Fixtures) => `/api/v1/workspaces/${fx[ws]}/matches`,
      body: (fx: Fixtures) => ({ shiftId: fx[shift], residentId: fx[resident] }),
      expect,
    })),
  },
  {
    // 代理登録: coordinators of an organization of the workspace; the probe names an unknown area.
    route: "POST /api/v1/workspaces/:workspaceId/residents",
    passed: { status: 400, code: "validation_failed", message: /homeAreaId/ },
    cases: (
      [
        ["W1", inW1(deny(403), ["A.COORD+", allow], ["B.COORD+", allow])],
        ["W2 (other workspace)", inW2(allow)],
      ] as const
    ).map(([target, expect]) => ({
      target,
      path: (fx: Fixtures) => `/api/v1/workspaces/${target === "W1" ? fx.W1 : fx.W2}/residents`,
      body: () => ({
        name: "隔離 代理",
        homeAreaId: "iso-no-such-area",
        windows: [{ weekday: 1, startMinute: 540, endMinute: 600 }],
        consent: { obtainedBy: "paper", purpose: "isolation probe", expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
      }),
      expect,
    })),
  },
  // ── memberships (an organization's ADMIN; 404 outside the workspace) ──
  {
    route: "GET /api/v1/organizations/:organizationId/memberships",
    cases: [
      { target: "organization A", path: (fx) => `/api/v1/organizations/${fx.orgA}/memberships`, expect: hidden(["W1.*", deny(403)], ["A.ADMIN", allow]) },
      { target: "organization C (other workspace)", path: (fx) => `/api/v1/organizations/${fx.orgC}/memberships`, expect: hidden(["otherWorkspace", allow]) },
    ],
  },
  {
    // The role it already has: answered without a write.
    route: "PATCH /api/v1/memberships/:membershipId",
    passed: { status: 200 },
    cases: [
      {
        target: "A's MEMBER (role unchanged)",
        path: (fx) => `/api/v1/memberships/${fx.membershipAmember}`,
        body: () => ({ role: "MEMBER" }),
        expect: hidden(["W1.*", deny(403)], ["A.ADMIN", allow]),
      },
      {
        target: "W2's ADMIN (role unchanged)",
        path: (fx) => `/api/v1/memberships/${fx.membershipW2admin}`,
        body: () => ({ role: "ADMIN" }),
        expect: hidden(["otherWorkspace", allow]),
      },
    ],
  },
  {
    // An organization's last ADMIN: 409 after authorization, so nothing is removed.
    route: "DELETE /api/v1/memberships/:membershipId",
    passed: { status: 409, code: "conflict" },
    cases: [
      { target: "A's only ADMIN", path: (fx) => `/api/v1/memberships/${fx.membershipAadmin}`, expect: hidden(["W1.*", deny(403)], ["A.ADMIN", allow]) },
      { target: "W2's only ADMIN", path: (fx) => `/api/v1/memberships/${fx.membershipW2admin}`, expect: hidden(["otherWorkspace", allow]) },
    ],
  },
  // ── residents (the projection, docs/decisions/020) ──
  {
    route: "GET /api/v1/workspaces/:workspaceId/residents",
    cases: [
      {
        target: "W1, residents registered by A",
        path: (fx) => `/api/v1/workspaces/${fx.W1}/residents?limit=500&registeredByOrgId=${fx.orgA}`,
        view: residentListView,
        expect: inW1(
          deny(403),
          ["A.COORD+", projected([...withPrefix("R1", ALL_FIELDS), ...withPrefix("R2", ALL_FIELDS)])],
          ["A.MEMBER", projected([...withPrefix("R1", NAME_CONTACT), ...withPrefix("R2", NAME_CONTACT)])],
          ["B.MEMBER+", projected([...withPrefix("R1", NAME_CONTACT), "R2"])],
          ["*.VIEWER", projected(["R1", "R2"])],
        ),
      },
      {
        target: "W2, residents registered by C",
        path: (fx) => `/api/v1/workspaces/${fx.W2}/residents?limit=500&registeredByOrgId=${fx.orgC}`,
        view: residentListView,
        expect: inW2(projected(withPrefix("RW2", ALL_FIELDS))),
      },
    ],
  },
  {
    route: "GET /api/v1/me/resident",
    cases: [{ target: "own record", path: () => "/api/v1/me/resident", view: residentView, expect: hidden(["resident", projected(keysOf(ALL_FIELDS))]) }],
  },
  ...(
    [
      ["GET /api/v1/residents/:residentId", (fx: Fixtures, r: "R1" | "R2" | "RW2") => `/api/v1/residents/${fx[r]}`],
      [
        "GET /api/v1/matches/:matchId/resident",
        (fx: Fixtures, r: "R1" | "R2" | "RW2") => `/api/v1/matches/${fx[r === "R1" ? "matchA1" : r === "R2" ? "matchA2" : "matchW2"]}/resident`,
      ],
    ] as const
  ).map(
    ([route, path]): HttpEntry => ({
      route,
      cases: [
        {
          target: route.includes("matches") ? "card of A's task × R1 (consent to B; the resident's own)" : "R1 (A's resident, consent to B; the resident's own)",
          path: (fx) => path(fx, "R1"),
          view: residentView,
          expect: hidden(
            ["A.COORD+", projected(keysOf(ALL_FIELDS))],
            ["A.MEMBER", projected(keysOf(NAME_CONTACT))],
            ["B.MEMBER+", projected(keysOf(NAME_CONTACT))],
            ["*.VIEWER", projected([])],
            // A resident has no membership: the card route is staff-only; the record route is theirs.
            ["resident", route.includes("matches") ? deny(404) : projected(keysOf(ALL_FIELDS))],
          ),
        },
        {
          target: route.includes("matches") ? "card of A's task × R2 (no consent)" : "R2 (A's resident, no consent)",
          path: (fx) => path(fx, "R2"),
          view: residentView,
          expect: hidden(
            ["A.COORD+", projected(keysOf(ALL_FIELDS))],
            ["A.MEMBER", projected(keysOf(NAME_CONTACT))],
            ["B.*", projected([])],
            ["A.VIEWER", projected([])],
          ),
        },
        {
          target: route.includes("matches") ? "card in W2" : "RW2 (other workspace)",
          path: (fx) => path(fx, "RW2"),
          view: residentView,
          expect: hidden(["otherWorkspace", projected(keysOf(ALL_FIELDS))]),
        },
      ],
    }),
  ),
  {
    // Erasing an erased resident is idempotent: 200 without a write.
    route: "DELETE /api/v1/residents/:residentId",
    passed: { status: 200 },
    cases: [
      { target: "RX (A's resident, already erased)", path: (fx) => `/api/v1/residents/${fx.RX}`, expect: hidden(["W1.*", deny(403)], ["A.COORD+", allow]) },
      { target: "RW2X (other workspace, already erased)", path: (fx) => `/api/v1/residents/${fx.RW2X}`, expect: hidden(["otherWorkspace", allow]) },
    ],
  },
  // ── consents ──
  {
    route: "GET /api/v1/residents/:residentId/consents",
    cases: (
      [
        [
          "R1's consents (to B, to B revoked, to E)",
          "R1",
          hidden(
            ["W1.*", projected([])],
            ["A.COORD+", projected(["consentR1B", "consentR1Bold", "consentR1E"])],
            ["resident", projected(["consentR1B", "consentR1Bold", "consentR1E"])],
            ["B.MEMBER+", projected(["consentR1B", "consentR1Bold"])],
          ),
        ],
        ["R2's consents (none)", "R2", hidden(["W1.*", projected([])])],
        ["RW2's consents (other workspace)", "RW2", hidden(["otherWorkspace", projected(["consentW2"])])],
      ] as const
    ).map(([target, resident, expect]) => ({
      target,
      path: (fx: Fixtures) => `/api/v1/residents/${fx[resident]}/consents`,
      view: (body: any, fx: Fixtures) => namesOf(fx, idsOf(body), ["consentR1B", "consentR1Bold", "consentR1E", "consentW2"]),
      expect,
    })),
  },
  {
    // The registering organization as the target: refused (400) only after the permission check.
    route: "POST /api/v1/residents/:residentId/consents",
    passed: { status: 400, code: "validation_failed" },
    cases: (
      [
        ["R1 (the resident's own)", "R1", "orgA", hidden(["W1.*", deny(403)], ["A.COORD+", allow], ["resident", allow])],
        ["R2", "R2", "orgA", hidden(["W1.*", deny(403)], ["A.COORD+", allow])],
        ["RW2 (other workspace)", "RW2", "orgC", hidden(["otherWorkspace", allow])],
      ] as const
    ).map(([target, resident, org, expect]) => ({
      target,
      path: (fx: Fixtures) => `/api/v1/residents/${fx[resident]}/consents`,
      body: (fx: Fixtures) => ({ organizationId: fx[org], fields: ["name"], purpose: "隔離プローブ", expiresAt: inDays(30) }),
      expect,
    })),
  },
  {
    // Revoking a revoked consent changes nothing (200).
    route: "POST /api/v1/consents/:consentId/revoke",
    passed: { status: 200 },
    cases: [
      {
        target: "R1's revoked consent to B",
        path: (fx) => `/api/v1/consents/${fx.consentR1Bold}/revoke`,
        body: () => ({}),
        expect: hidden(["W1.*", deny(403)], ["A.COORD+", allow], ["B.COORD+", allow], ["resident", allow]),
      },
      { target: "RW2's revoked consent to D", path: (fx) => `/api/v1/consents/${fx.consentW2}/revoke`, body: () => ({}), expect: hidden(["otherWorkspace", allow]) },
    ],
  },
  // ── audit ──
  {
    route: "GET /api/v1/residents/:residentId/audit",
    cases: [
      {
        target: "R1 (rows exist; the resident sees them without ip/basis)",
        path: (fx) => `/api/v1/residents/${fx.R1}/audit`,
        view: (body) => (body?.items?.length ? [...new Set(body.items.flatMap((i: object) => Object.keys(i).filter((k) => k === "ip" || k === "basis")))] as string[] : ["no rows"]),
        expect: hidden(["W1.*", deny(403)], ["A.COORD+", projected(["basis", "ip"])], ["resident", projected([])]),
      },
      { target: "R2", path: (fx) => `/api/v1/residents/${fx.R2}/audit`, expect: hidden(["W1.*", deny(403)], ["A.COORD+", allow]) },
      { target: "RW2 (other workspace)", path: (fx) => `/api/v1/residents/${fx.RW2}/audit`, expect: hidden(["otherWorkspace", allow]) },
    ],
  },
  {
    route: "GET /api/v1/organizations/:organizationId/audit",
    cases: [
      { target: "organization A", path: (fx) => `/api/v1/organizations/${fx.orgA}/audit`, expect: hidden(["W1.*", deny(403)], ["A.COORD+", allow]) },
      { target: "organization C (other workspace)", path: (fx) => `/api/v1/organizations/${fx.orgC}/audit`, expect: hidden(["otherWorkspace", allow]) },
    ],
  },
  {
    // An organization id that is not in the workspace: 400 after the permission check.
    route: "POST /api/v1/workspaces/:workspaceId/joint-use-notices",
    passed: { status: 400, code: "validation_failed" },
    cases: (
      [
        ["W1, managed by A", "W1", "orgA", inW1(deny(403), ["A.COORD+", allow])],
        ["W1, managed by B", "W1", "orgB", inW1(deny(403), ["B.COORD+", allow])],
        ["W2, managed by C", "W2", "orgC", inW2(allow)],
      ] as const
    ).map(([target, ws, org, expect]) => ({
      target,
      path: (fx: Fixtures) => `/api/v1/workspaces/${fx[ws]}/joint-use-notices`,
      body: (fx: Fixtures) => ({ managerOrgId: fx[org], organizationIds: [fx[org], "iso-no-such-org"], fields: ["name"], purpose: "隔離プローブ" }),
      expect,
    })),
  },
  // ── outcomes (issue 9): any member; counts unsuppressed only for the caller's own organization ──
  {
    route: "GET /api/v1/workspaces/:workspaceId/kpis",
    cases: [
      { target: "W1", path: (fx) => `/api/v1/workspaces/${fx.W1}/kpis`, expect: inW1(allow) },
      { target: "W2 (other workspace)", path: (fx) => `/api/v1/workspaces/${fx.W2}/kpis`, expect: inW2(allow) },
      {
        target: "W1 filtered by organization A (scope: own for A, shared for B)",
        path: (fx) => `/api/v1/workspaces/${fx.W1}/kpis?organizationId=${fx.orgA}`,
        view: (body) => [String(body?.report?.scope)],
        expect: inW1(deny(403), ["A.*", projected(["own-organization"])], ["B.*", projected(["shared"])]),
      },
    ],
  },
  // ── community chart (issue 7): any member reads; members that are not only VIEWERs name versions ──
  ...(["figures", "chart/versions"] as const).map(
    (what): HttpEntry => ({
      route: `GET /api/v1/workspaces/:workspaceId/areas/:areaId/${what}`,
      cases: [
        { target: "W1's area", path: (fx) => `/api/v1/workspaces/${fx.W1}/areas/${fx.areaW1}/${what}`, expect: inW1(allow) },
        { target: "W2's area", path: (fx) => `/api/v1/workspaces/${fx.W2}/areas/${fx.areaW2}/${what}`, expect: inW2(allow) },
        { target: "W2's area under W1", path: (fx) => `/api/v1/workspaces/${fx.W1}/areas/${fx.areaW2}/${what}`, expect: inW1(deny(404)) },
      ],
    }),
  ),
  {
    // An empty name: 400 from the validation that runs after authorization; nothing is stored.
    route: "POST /api/v1/workspaces/:workspaceId/areas/:areaId/chart/versions",
    passed: { status: 400, code: "validation_failed" },
    cases: [
      {
        target: "W1's area",
        path: (fx) => `/api/v1/workspaces/${fx.W1}/areas/${fx.areaW1}/chart/versions`,
        body: () => ({ name: "" }),
        expect: inW1(allow, ["*.VIEWER", deny(403)]),
      },
      { target: "W2's area", path: (fx) => `/api/v1/workspaces/${fx.W2}/areas/${fx.areaW2}/chart/versions`, body: () => ({ name: "" }), expect: inW2(allow) },
      {
        target: "W2's area under W1",
        path: (fx) => `/api/v1/workspaces/${fx.W1}/areas/${fx.areaW2}/chart/versions`,
        body: () => ({ name: "" }),
        expect: inW1(deny(404)),
      },
    ],
  },
  {
    route: "GET /api/v1/workspaces/:workspaceId/areas/:areaId/chart/versions/:versionId",
    cases: [
      { target: "a version of W1's chart", path: (fx) => `/api/v1/workspaces/${fx.W1}/areas/${fx.areaW1}/chart/versions/${fx.chartVersionW1}`, expect: inW1(allow) },
      { target: "a version of W2's chart", path: (fx) => `/api/v1/workspaces/${fx.W2}/areas/${fx.areaW2}/chart/versions/${fx.chartVersionW2}`, expect: inW2(allow) },
      {
        target: "W2's version under W1's area",
        path: (fx) => `/api/v1/workspaces/${fx.W1}/areas/${fx.areaW1}/chart/versions/${fx.chartVersionW2}`,
        expect: inW1(deny(404)),
      },
    ],
  },
  // ── open data (no login) ──
  {
    route: "GET /api/v1/open-data/activities.geojson",
    cases: [{ target: "public activities", path: () => "/api/v1/open-data/activities.geojson", expect: rules(allow) }],
  },
  {
    route: "GET /api/v1/open-data/activities.csv",
    cases: [{ target: "public activities", path: () => "/api/v1/open-data/activities.csv", expect: rules(allow) }],
  },
  {
    route: "GET /api/v1/open-data/places.geojson",
    cases: [{ target: "public places", path: () => "/api/v1/open-data/places.geojson", expect: rules(allow) }],
  },
  {
    route: "GET /api/v1/open-data/places.csv",
    cases: [{ target: "public places", path: () => "/api/v1/open-data/places.csv", expect: rules(allow) }],
  },
  // ── check-in, incentive ledger, certificate, monthly report (issue 9) ──
  // The check-in code is the capability: an unknown one finds nothing, for everyone alike.
  {
    route: "POST /api/v1/check-in/:code",
    cases: [
      {
        target: "an unknown check-in code",
        path: () => "/api/v1/check-in/ZZZZZZ",
        body: () => ({ referenceCode: "ZZZZZZZZ", action: "in", key: "iso-probe-check-in-0001" }),
        expect: rules(deny(404)),
      },
    ],
  },
  // The poster and roster: coordinators and admins of the piece's organizer only.
  {
    route: "GET /api/v1/shifts/:shiftId/check-in",
    cases: [
      { target: "a piece of A's PLATFORM task", path: (fx) => `/api/v1/shifts/${fx.shiftA}/check-in`, expect: inW1(deny(403), ["A.COORD+", allow]) },
      { target: "a piece of A's ORG task", path: (fx) => `/api/v1/shifts/${fx.shiftAorg}/check-in`, expect: inW1(deny(403), ["B.*", deny(404)], ["A.COORD+", allow]) },
      { target: "a piece of W2's task", path: (fx) => `/api/v1/shifts/${fx.shiftW2}/check-in`, expect: inW2(allow) },
    ],
  },
  {
    // The piece is 100 days ahead: an allowed probe is refused as outside the check-in window (409), nothing written.
    route: "POST /api/v1/shifts/:shiftId/check-in",
    passed: { status: 409, code: "conflict" },
    cases: (
      [
        ["a piece of A's PLATFORM task", "shiftA", inW1(deny(403), ["A.COORD+", allow])],
        ["a piece of W2's task", "shiftW2", inW2(allow)],
      ] as const
    ).map(([target, shift, expect]) => ({
      target,
      path: (fx: Fixtures) => `/api/v1/shifts/${fx[shift]}/check-in`,
      body: (fx: Fixtures) => ({ residentId: shift === "shiftA" ? fx.R1 : fx.RW2, action: "in", key: "iso-probe-coordinator-0001" }),
      expect,
    })),
  },
  {
    // The participation has no attendance yet: an allowed probe is refused (409 not_attended), nothing written.
    route: "POST /api/v1/participations/:participationId/incentives",
    passed: { status: 409, code: "conflict" },
    cases: [
      {
        target: "R1's participation at A's piece",
        path: (fx) => `/api/v1/participations/${fx.participationA1}/incentives`,
        body: () => ({ kind: "TRANSPORT_FEE", amount: 500 }),
        expect: rules(deny(403), ["anonymous", deny(401)], ["A.COORD+", allow]),
      },
    ],
  },
  ...["incentives", "incentives.csv"].map(
    (what): HttpEntry => ({
      route: `GET /api/v1/workspaces/:workspaceId/${what}`,
      cases: [
        { target: "W1", path: (fx) => `/api/v1/workspaces/${fx.W1}/${what}`, expect: inW1(deny(403), ["A.COORD+", allow], ["B.COORD+", allow]) },
        { target: "W1, organization A's ledger", path: (fx) => `/api/v1/workspaces/${fx.W1}/${what}?organizationId=${fx.orgA}`, expect: inW1(deny(403), ["A.COORD+", allow]) },
        { target: "W2 (other workspace)", path: (fx) => `/api/v1/workspaces/${fx.W2}/${what}`, expect: inW2(allow) },
      ],
    }),
  ),
  {
    route: "GET /api/v1/residents/:residentId/certificate",
    cases: [
      // The resident (R1's login) gets their own; anyone else's is refused, existing or not (decision 056).
      { target: "R1 (W1)", path: (fx) => `/api/v1/residents/${fx.R1}/certificate`, expect: hidden(["W1.*", deny(403)], ["A.COORD+", allow], ["B.COORD+", allow], ["resident", allow]) },
      { target: "R2 (W1)", path: (fx) => `/api/v1/residents/${fx.R2}/certificate`, expect: hidden(["W1.*", deny(403)], ["A.COORD+", allow], ["B.COORD+", allow], ["resident", deny(403)]) },
      { target: "RW2 (W2)", path: (fx) => `/api/v1/residents/${fx.RW2}/certificate`, expect: hidden(["otherWorkspace", allow], ["resident", deny(403)]) },
      { target: "an unknown resident id", path: () => "/api/v1/residents/no-such-resident/certificate", expect: hidden(["resident", deny(403)]) },
    ],
  },
  {
    // Only ever the caller's own: there is no id to ask for; 404 for accounts without a resident record.
    route: "GET /api/v1/me/certificate",
    cases: [{ target: "own certificate", path: () => "/api/v1/me/certificate", expect: hidden(["resident", allow]) }],
  },
  {
    route: "GET /api/v1/workspaces/:workspaceId/reports/:month",
    cases: [
      { target: "W1", path: (fx) => `/api/v1/workspaces/${fx.W1}/reports/2026-11`, expect: inW1(allow) },
      { target: "W2 (other workspace)", path: (fx) => `/api/v1/workspaces/${fx.W2}/reports/2026-11`, expect: inW2(allow) },
      {
        target: "W1 filtered by organization A (scope: own for A, shared for B)",
        path: (fx) => `/api/v1/workspaces/${fx.W1}/reports/2026-11?organizationId=${fx.orgA}`,
        view: (body) => [String(body?.kpis?.report?.scope)],
        expect: inW1(deny(403), ["A.*", projected(["own-organization"])], ["B.*", projected(["shared"])]),
      },
    ],
  },
];

/**
 * Registered on the express app but served by Remix: every page is its own entry in PAGES. Listed
 * here so that the completeness check knows the catch-all is accounted for.
 */
export const DELEGATED_TO_REMIX = ["ALL *"];

// ───────────── Remix pages (route modules of app/routes) ─────────────

const toLogin = deny(302);
const wsPage = (path: (fx: Fixtures) => string) => [
  { target: "W1", path: (fx: Fixtures) => path(fx).replace("SLUG", fx.W1slug), expect: rules(deny(403), ["anonymous", toLogin], ["W1.*", allow]) },
  { target: "W2 (other workspace)", path: (fx: Fixtures) => path(fx).replace("SLUG", fx.W2slug), expect: rules(deny(403), ["anonymous", toLogin], ["otherWorkspace", allow]) },
  { target: "no such workspace", path: (fx: Fixtures) => path(fx).replace("SLUG", "iso-no-such-ward"), expect: rules(deny(404), ["anonymous", toLogin]) },
];

export const PAGES: HttpEntry[] = [
  // 代理登録 page: coordinators and admins of an organization of the workspace.
  {
    route: "GET routes/w.$slug.residents.new",
    cases: [
      { target: "W1", path: (fx) => `/w/${fx.W1slug}/residents/new`, expect: rules(deny(403), ["anonymous", toLogin], ["A.COORD+", allow], ["B.COORD+", allow]) },
      { target: "W2 (other workspace)", path: (fx) => `/w/${fx.W2slug}/residents/new`, expect: rules(deny(403), ["anonymous", toLogin], ["otherWorkspace", allow]) },
    ],
  },
  {
    // The probe names an unknown area: refused by validation (400) after authorization, nothing written.
    route: "POST routes/w.$slug.residents.new",
    passed: { status: 400 },
    cases: [
      {
        target: "W1",
        path: (fx) => `/w/${fx.W1slug}/residents/new`,
        form: () => ({ name: "隔離 代理", homeAreaId: "iso-no-such-area", availability: "1:morning", obtainedBy: "paper", purpose: "isolation probe", expiresOn: "2099-01-01" }),
        expect: rules(deny(403), ["anonymous", toLogin], ["A.COORD+", allow], ["B.COORD+", allow]),
      },
    ],
  },
  { route: "GET routes/_index", cases: [{ target: "public home", path: () => "/", expect: rules(allow) }] },
  // Residents' display settings: cookies only, no session, no data (public on purpose).
  { route: "GET routes/activities.display", cases: [{ target: "nothing to show", path: () => "/activities/display", expect: rules(redirect(/^\/activities$/)) }] },
  {
    route: "POST routes/activities.display",
    cases: [{ target: "text size setting", path: () => "/activities/display", form: () => ({ text: "large", redirectTo: "/" }), expect: rules(redirect(/^\/$/)) }],
  },
  // The residents' public pages (no login): only PUBLIC tasks exist there, for everyone alike.
  {
    route: "GET routes/activities._index",
    cases: [
      {
        target: "public activity list",
        path: () => "/activities",
        // Whether the PUBLIC task is on the first page depends on the demo data; the others never are.
        view: (html: unknown) => (["隔離A 見守り", "隔離A 団体内", "隔離B 見守り", "隔離W2 見守り"] as const).filter((title) => String(html).includes(title)),
        expect: rules(projected([])),
      },
    ],
  },
  {
    route: "GET routes/activities.$taskId",
    cases: (
      [
        ["A's PUBLIC task", "taskPublic", allow],
        ["A's PLATFORM task", "taskA", deny(404)],
        ["A's ORG task", "taskAorg", deny(404)],
        ["W2's PLATFORM task", "taskW2", deny(404)],
      ] as const
    ).map(([target, task, outcome]) => ({ target, path: (fx: Fixtures) => `/activities/${fx[task]}`, expect: rules(outcome) })),
  },
  {
    route: "GET routes/apply.$shiftId",
    cases: (
      [
        ["a piece of A's PUBLIC task", "shiftPublic", allow],
        ["a piece of A's PLATFORM task", "shiftA", deny(404)],
        ["a piece of A's ORG task", "shiftAorg", deny(404)],
        ["a piece of W2's PLATFORM task", "shiftW2", deny(404)],
      ] as const
    ).map(([target, shift, outcome]) => ({ target, path: (fx: Fixtures) => `/apply/${fx[shift]}`, expect: rules(outcome) })),
  },
  {
    // A valid application to a closed PUBLIC task: 409 "closed" inside the transaction, nothing saved.
    route: "POST routes/apply.$shiftId",
    passed: { status: 409 },
    cases: (
      [
        ["a piece of A's closed PUBLIC task", "shiftPublicClosed", allow],
        ["a piece of A's PLATFORM task", "shiftA", deny(404)],
        ["a piece of A's ORG task", "shiftAorg", deny(404)],
        ["a piece of W2's PLATFORM task", "shiftW2", deny(404)],
      ] as const
    ).map(([target, shift, outcome]) => ({
      target,
      path: (fx: Fixtures) => `/apply/${fx[shift]}`,
      form: () => ({ name: "隔離 太郎", contact: "iso-apply@example.com", consent: "on" }),
      expect: rules(outcome),
    })),
  },
  // The reference code is the capability: without the right code (and contact) nothing is found.
  { route: "GET routes/apply.done.$code", cases: [{ target: "an unknown reference code", path: () => "/apply/done/ISO-NO-SUCH-CODE", expect: rules(deny(404)) }] },
  { route: "GET routes/apply.status", cases: [{ target: "status form", path: () => "/apply/status", expect: rules(allow) }] },
  {
    route: "POST routes/apply.status",
    cases: [
      {
        target: "an unknown code and contact",
        path: () => "/apply/status",
        form: () => ({ code: "ISO-NO-SUCH-CODE", contact: "iso-apply@example.com" }),
        expect: rules(deny(404)),
      },
    ],
  },
  // A resident's own page: anyone signed in may open it (staff without a resident record see an
  // empty page); answers to proposals only ever touch the caller's own matches.
  {
    route: "GET routes/me",
    cases: [{ target: "own page", path: () => "/me", expect: rules(allow, ["anonymous", redirect(/^\/login\?/)]) }],
  },
  {
    route: "GET routes/me_.certificate",
    cases: [{ target: "own certificate", path: () => "/me/certificate", expect: rules(deny(404), ["anonymous", redirect(/^\/login\?/)], ["resident", allow]) }],
  },
  {
    route: "POST routes/me",
    cases: [
      {
        target: "a proposal that is not the caller's",
        path: () => "/me",
        form: (fx: Fixtures) => ({ intent: "decline", matchId: fx.matchA2, version: "1" }),
        expect: rules(deny(404), ["anonymous", redirect(/^\/login\?/)]),
      },
    ],
  },
  // Registration is public; a signed-in caller is sent to their own page instead of the form.
  {
    route: "GET routes/register",
    cases: [{ target: "registration form", path: () => "/register", expect: rules(redirect(/^\/me$/), ["anonymous", allow]) }],
  },
  {
    // An incomplete form: refused by validation (400) before anything is written; a signed-in
    // caller is sent to their own page.
    route: "POST routes/register",
    passed: { status: 400 },
    cases: [
      {
        target: "an incomplete registration",
        path: () => "/register",
        form: () => ({ name: "隔離 花子" }),
        expect: rules(redirect(/^\/me$/), ["anonymous", allow]),
      },
    ],
  },
  { route: "GET routes/$", cases: [{ target: "unknown URL", path: () => "/iso-no-such-page", expect: rules(deny(404)) }] },
  {
    route: "GET routes/login",
    cases: [{ target: "login form", path: () => "/login", expect: rules(redirect(/^\/w(\/|$)/), ["anonymous", allow]) }],
  },
  {
    route: "POST routes/login",
    cases: [
      {
        target: "the probe user's credentials",
        path: () => "/login",
        form: () => ({ email: "iso-probe@tsunagu.example", password: "tsunagu-demo" }),
        expect: rules(redirect(/^\/w$/)),
      },
    ],
  },
  { route: "GET routes/logout", cases: [{ target: "changes nothing", path: () => "/logout", expect: rules(redirect(/^\/$/)) }] },
  {
    route: "POST routes/logout",
    session: "fresh",
    cases: [{ target: "own session", path: () => "/logout", form: () => ({}), expect: rules(redirect(/^\/$/)) }],
  },
  // The layout's loader alone (single fetch: `.data?_routes=`), then each page as a document.
  { route: "GET routes/w.$slug", cases: wsPage(() => `/w/SLUG.data?_routes=${encodeURIComponent("routes/w.$slug")}`) },
  { route: "GET routes/w.$slug._index", cases: wsPage(() => "/w/SLUG") },
  { route: "GET routes/w.$slug.board", cases: wsPage(() => "/w/SLUG/board") },
  {
    route: "GET routes/w.$slug.tasks.$taskId.mosaic",
    cases: [
      { target: "A's PLATFORM task", path: (fx) => `/w/${fx.W1slug}/tasks/${fx.taskA}/mosaic`, expect: rules(deny(403), ["anonymous", toLogin], ["W1.*", allow]) },
      { target: "A's ORG task", path: (fx) => `/w/${fx.W1slug}/tasks/${fx.taskAorg}/mosaic`, expect: rules(deny(403), ["anonymous", toLogin], ["W1.*", allow], ["B.*", deny(404)]) },
      { target: "W2's task in W2", path: (fx) => `/w/${fx.W2slug}/tasks/${fx.taskW2}/mosaic`, expect: rules(deny(403), ["anonymous", toLogin], ["otherWorkspace", allow]) },
      { target: "W2's task under W1's address", path: (fx) => `/w/${fx.W1slug}/tasks/${fx.taskW2}/mosaic`, expect: rules(deny(403), ["anonymous", toLogin], ["W1.*", deny(403)]) },
    ],
  },
  {
    // The probe confirms a card at a stale version: 409 after authorization, nothing written.
    route: "POST routes/w.$slug.tasks.$taskId.mosaic",
    passed: { status: 409 },
    cases: [
      {
        target: "A's PLATFORM task",
        path: (fx) => `/w/${fx.W1slug}/tasks/${fx.taskA}/mosaic`,
        form: (fx) => ({ picks: JSON.stringify([{ matchId: fx.matchA1, expectedVersion: STALE }]) }),
        expect: rules(deny(403), ["anonymous", toLogin], ["A.COORD+", allow], ["B.COORD+", allow]),
      },
      {
        target: "W2's task",
        path: (fx) => `/w/${fx.W2slug}/tasks/${fx.taskW2}/mosaic`,
        form: (fx) => ({ picks: JSON.stringify([{ matchId: fx.matchW2, expectedVersion: STALE }]) }),
        expect: rules(deny(403), ["anonymous", toLogin], ["otherWorkspace", allow]),
      },
    ],
  },
  { route: "GET routes/w.$slug.outcomes", cases: wsPage(() => "/w/SLUG/outcomes") },
  { route: "GET routes/w.$slug.reports.$month", cases: wsPage(() => "/w/SLUG/reports/2026-11") },
  // The ledger and certificates: coordinators and admins only (money and names).
  {
    route: "GET routes/w.$slug.incentives",
    cases: [
      { target: "W1", path: (fx) => `/w/${fx.W1slug}/incentives`, expect: rules(deny(403), ["anonymous", toLogin], ["A.COORD+", allow], ["B.COORD+", allow]) },
      { target: "W2 (other workspace)", path: (fx) => `/w/${fx.W2slug}/incentives`, expect: rules(deny(403), ["anonymous", toLogin], ["otherWorkspace", allow]) },
    ],
  },
  {
    route: "GET routes/w.$slug.residents.$residentId.certificate",
    cases: [
      { target: "R1 in W1", path: (fx) => `/w/${fx.W1slug}/residents/${fx.R1}/certificate`, expect: rules(deny(403), ["anonymous", toLogin], ["A.COORD+", allow], ["B.COORD+", allow]) },
      { target: "RW2 in W2", path: (fx) => `/w/${fx.W2slug}/residents/${fx.RW2}/certificate`, expect: rules(deny(403), ["anonymous", toLogin], ["otherWorkspace", allow]) },
    ],
  },
  // The check-in poster: coordinators and admins of the piece's organizer.
  {
    route: "GET routes/w.$slug.shifts.$shiftId.check-in",
    cases: [
      { target: "a piece of A's PLATFORM task", path: (fx) => `/w/${fx.W1slug}/shifts/${fx.shiftA}/check-in`, expect: rules(deny(403), ["anonymous", toLogin], ["A.COORD+", allow]) },
      { target: "a piece of W2's task", path: (fx) => `/w/${fx.W2slug}/shifts/${fx.shiftW2}/check-in`, expect: rules(deny(403), ["anonymous", toLogin], ["otherWorkspace", allow]) },
    ],
  },
  {
    // The piece is 100 days ahead: an allowed probe is refused as outside the check-in window (409), nothing written.
    route: "POST routes/w.$slug.shifts.$shiftId.check-in",
    passed: { status: 409 },
    cases: [
      {
        target: "a piece of A's PLATFORM task",
        path: (fx) => `/w/${fx.W1slug}/shifts/${fx.shiftA}/check-in`,
        form: (fx) => ({ residentId: fx.R1, action: "in", key: "iso-probe-page-check-in-01" }),
        expect: rules(deny(403), ["anonymous", toLogin], ["A.COORD+", allow]),
      },
    ],
  },
  // The resident's check-in page: the code is the capability.
  { route: "GET routes/c.$code", cases: [{ target: "an unknown check-in code", path: () => "/c/ZZZZZZ", expect: rules(deny(404)) }] },
  {
    route: "POST routes/c.$code",
    cases: [
      {
        target: "an unknown check-in code",
        path: () => "/c/ZZZZZZ",
        form: () => ({ referenceCode: "ZZZZZZZZ", action: "in", key: "iso-probe-page-code-0001" }),
        expect: rules(deny(404)),
      },
    ],
  },
  { route: "GET routes/open-data", cases: [{ target: "column documentation", path: () => "/open-data", expect: rules(allow) }] },
  { route: "GET routes/w.$slug.map", cases: wsPage(() => "/w/SLUG/map") },
  // Community chart pages: any member of the workspace; another workspace's area is not found.
  ...(
    [
      ["routes/w.$slug.areas.$areaId.chart", ""],
      ["routes/w.$slug.areas.$areaId.chart_.print", "/print"],
      ["routes/w.$slug.areas.$areaId.chart[.md]", ".md"],
    ] as const
  ).map(
    ([id, suffix]): HttpEntry => ({
      route: `GET ${id}`,
      cases: [
        ...wsPage((fx) => `/w/SLUG/areas/${fx.areaW1}/chart${suffix}`).slice(0, 1),
        ...wsPage((fx) => `/w/SLUG/areas/${fx.areaW2}/chart${suffix}`).slice(1),
        {
          target: "W2's area under W1",
          path: (fx: Fixtures) => `/w/${fx.W1slug}/areas/${fx.areaW2}/chart${suffix}`,
          expect: rules(deny(403), ["anonymous", toLogin], ["W1.*", deny(404)]),
        },
        ...(suffix === ""
          ? [
              {
                target: "the first area (the navigation's link)",
                path: (fx: Fixtures) => `/w/${fx.W1slug}/areas/default/chart`,
                expect: rules(deny(403), ["anonymous", toLogin], ["W1.*", redirect(/^\/w\/[^/]+\/areas\/[^/]+\/chart$/)]),
              },
            ]
          : []),
      ],
    }),
  ),
  {
    route: "GET routes/w.$slug.areas.$areaId.chart_.versions.$versionId",
    cases: [
      ...wsPage((fx) => `/w/SLUG/areas/${fx.areaW1}/chart/versions/${fx.chartVersionW1}`).slice(0, 1),
      ...wsPage((fx) => `/w/SLUG/areas/${fx.areaW2}/chart/versions/${fx.chartVersionW2}`).slice(1),
      {
        target: "W2's version under W1's area",
        path: (fx: Fixtures) => `/w/${fx.W1slug}/areas/${fx.areaW1}/chart/versions/${fx.chartVersionW2}`,
        expect: rules(deny(403), ["anonymous", toLogin], ["W1.*", deny(404)]),
      },
    ],
  },

  {
    route: "GET routes/w._index",
    cases: [
      {
        target: "the caller's first workspace",
        path: () => "/w",
        expect: rules(toLogin, ["W1.*", redirect(/^\/w\/[^/]+$/)], ["otherWorkspace", redirect(/^\/w\/iso-other-ward$/)], ["resident", allow]),
      },
    ],
  },
];

// ───────────── Socket.IO client events ─────────────

export interface SocketCase {
  target: string;
  /** Group: cases of one target run in table order on one connection, after `workspace:join` of it. */
  payload: (fx: Fixtures, caller: CallerKey) => Record<string, unknown>;
  expect: Record<CallerKey, Outcome>;
}
export interface SocketEntry {
  event: string;
  /** The refusal code that means "allowed past authorization" for a command probe. */
  passed?: string;
  cases: SocketCase[];
}

const liveW1 = (ok: Outcome, ...more: Array<[Who | Who[], Outcome]>) =>
  rules(deny("forbidden"), ["anonymous", deny("unauthenticated")], ["W1.*", ok], ...more);
const liveW2 = (ok: Outcome) => rules(deny("forbidden"), ["anonymous", deny("unauthenticated")], ["otherWorkspace", ok]);
const connectedOk = rules(allow, ["anonymous", deny("unauthenticated")]);
/** A caller's own lock target, so callers never contend for one. */
export const lockTarget = (caller: CallerKey) => `task:iso-lock-${caller.replace(/[^A-Za-z0-9]/g, "-")}`;

/** In the order a session runs them: join, presence, locks, leave, then commands. */
export const SOCKET: SocketEntry[] = [
  {
    event: "workspace:join",
    cases: [
      { target: "W1", payload: (fx) => ({ workspaceId: fx.W1 }), expect: liveW1(allow) },
      { target: "W2", payload: (fx) => ({ workspaceId: fx.W2 }), expect: liveW2(allow) },
    ],
  },
  {
    event: "presence:join",
    cases: [
      { target: "W1", payload: (fx) => ({ workspaceId: fx.W1, board: "kanban" }), expect: liveW1(allow) },
      { target: "W2", payload: (fx) => ({ workspaceId: fx.W2, board: "kanban" }), expect: liveW2(allow) },
    ],
  },
  {
    event: "lock:acquire",
    cases: [
      { target: "W1", payload: (fx, c) => ({ workspaceId: fx.W1, target: lockTarget(c), kind: "editing" }), expect: liveW1(allow, ["*.VIEWER", deny("forbidden")]) },
      { target: "W2", payload: (fx, c) => ({ workspaceId: fx.W2, target: lockTarget(c), kind: "editing" }), expect: liveW2(allow) },
    ],
  },
  {
    // Releases only the connection's own lock: nothing to authorize beyond the session.
    event: "lock:release",
    cases: [
      { target: "W1", payload: (fx, c) => ({ workspaceId: fx.W1, target: lockTarget(c) }), expect: connectedOk },
      { target: "W2", payload: (fx, c) => ({ workspaceId: fx.W2, target: lockTarget(c) }), expect: connectedOk },
    ],
  },
  {
    // Meeting mode: relayed to the caller's workspace room only; a VIEWER follows, never leads.
    event: "meeting:view",
    cases: [
      { target: "W1", payload: (fx) => ({ workspaceId: fx.W1, board: "map", view: { lat: 35.5, lng: 139.6, zoom: 13 } }), expect: liveW1(allow, ["*.VIEWER", deny("forbidden")]) },
      { target: "W2", payload: (fx) => ({ workspaceId: fx.W2, board: "map", view: null }), expect: liveW2(allow) },
    ],
  },
  {
    event: "presence:leave",
    cases: [
      { target: "W1", payload: (fx) => ({ workspaceId: fx.W1 }), expect: connectedOk },
      { target: "W2", payload: (fx) => ({ workspaceId: fx.W2 }), expect: connectedOk },
    ],
  },
  {
    event: "workspace:leave",
    cases: [
      { target: "W1", payload: (fx) => ({ workspaceId: fx.W1 }), expect: connectedOk },
      { target: "W2", payload: (fx) => ({ workspaceId: fx.W2 }), expect: connectedOk },
    ],
  },
  {
    // Stale expectedVersion: `conflict` means the move was authorized (and changed nothing).
    event: "match:move",
    passed: "conflict",
    cases: [
      {
        target: "card of A's PLATFORM task",
        payload: (fx) => ({ matchId: fx.matchA1, stage: "DECLINED", expectedVersion: STALE }),
        expect: liveW1(deny("forbidden"), ["A.COORD+", allow], ["B.COORD+", allow]),
      },
      {
        target: "card of A's ORG task",
        payload: (fx) => ({ matchId: fx.matchAorg, stage: "DECLINED", expectedVersion: STALE }),
        expect: liveW1(deny("forbidden"), ["A.COORD+", allow], ["B.*", deny("not_found")]),
      },
      { target: "card in W2", payload: (fx) => ({ matchId: fx.matchW2, stage: "DECLINED", expectedVersion: STALE }), expect: liveW2(allow) },
    ],
  },
];

// ───────────── /yjs/ documents ─────────────

export interface DocCase {
  target: string;
  docName: (fx: Fixtures) => string;
  expect: Record<CallerKey, Outcome>;
}

/** `allow` = opened read-write; `projected(["read-only"])` = opened, writes refused; deny = close code. */
export const YJS: { route: string; cases: DocCase[] } = {
  route: "WS /yjs/:docName",
  cases: [
    {
      target: "chart of a W1 area",
      docName: (fx) => `chart:${fx.areaW1}`,
      expect: rules(deny(4403), ["anonymous", deny(4401)], ["*.MEMBER+", allow], ["*.VIEWER", projected(["read-only"])]),
    },
    { target: "chart of a W2 area", docName: (fx) => `chart:${fx.areaW2}`, expect: rules(deny(4403), ["anonymous", deny(4401)], ["otherWorkspace", allow]) },
    { target: "no such area", docName: () => "chart:iso-no-such-area", expect: rules(deny(4404), ["anonymous", deny(4401)]) },
  ],
};
