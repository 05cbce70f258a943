import { z } from "zod";
import { MatchStageMoveSchema } from "../schemas.ts";

/**
 * zod schemas for every client → server Socket.IO payload, parsed at the edge by the server and
 * usable by the browser to check what it sends. Every object is strict: an unknown key is a
 * refusal (`{ ok: false, code: "invalid" }`), not silently ignored.
 */
const id = z.string().min(1).max(64);

/** A board someone is looking at: `kanban`, `map`, `chart:<areaId>`… */
export const BoardSchema = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9-]{0,31}(:[A-Za-z0-9_-]{1,64})?$/, "board must look like `kanban` or `chart:<id>`");

/** What a soft lock is about: `match:<id>`, `resource:<id>`, `task:<id>`, `shift:<id>`, `area:<id>`. */
export const LOCK_TARGET_KINDS = ["match", "resource", "task", "shift", "area"] as const;
export const LockTargetSchema = z
  .string()
  .max(100)
  .regex(new RegExp(`^(${LOCK_TARGET_KINDS.join("|")}):[A-Za-z0-9_-]{1,64}$`), "target must look like `match:<id>`");
export const LockKindSchema = z.enum(["dragging", "editing"]);

export const WorkspaceRefSchema = z.object({ workspaceId: id }).strict();
export const PresenceJoinSchema = z.object({ workspaceId: id, board: BoardSchema }).strict();
export const LockAcquireSchema = z.object({ workspaceId: id, target: LockTargetSchema, kind: LockKindSchema }).strict();
export const LockReleaseSchema = z.object({ workspaceId: id, target: LockTargetSchema }).strict();
/** A map viewport shared in meeting mode: centre and zoom. */
export const MeetingViewportSchema = z
  .object({ lat: z.number().min(-85).max(85), lng: z.number().min(-180).max(180), zoom: z.number().min(0).max(22) })
  .strict();
/**
 * Meeting mode (docs/map.md, docs/chart.md): the facilitator's client sends its viewport on a board
 * (`map`), or the section it is in on a chart (`chart:<areaId>`, `view: null`, `section`: a fixed
 * section id, `h-<n>` for another heading, `action-plan` or `figures`). A share is on while it
 * carries a view or a section; neither ends it. Not stored: relayed to the room.
 */
export const MeetingViewSchema = z
  .object({
    workspaceId: id,
    board: BoardSchema,
    view: MeetingViewportSchema.nullable(),
    section: z.string().max(64).regex(/^[A-Za-z0-9_-]*$/).optional(),
  })
  .strict();

/**
 * Commands: writes sent over Socket.IO. Each goes through the same domain service as its REST
 * twin and answers `{ ok: true, entity }` or `{ ok: false, code, … }` (conflict carries `current`).
 * To add one: its schema here, its entity type in `CommandEntities` (events.ts), and its handler in
 * server/realtime/socket/commands.ts (a missing handler is a type error there).
 */
export const commandSchemas = {
  "match:move": MatchStageMoveSchema.extend({ matchId: id }).strict(),
} as const;

/** Every client → server event and its payload schema: the server registers exactly these. */
export const clientPayloadSchemas = {
  "workspace:join": WorkspaceRefSchema,
  "workspace:leave": WorkspaceRefSchema,
  "presence:join": PresenceJoinSchema,
  "presence:leave": WorkspaceRefSchema,
  "lock:acquire": LockAcquireSchema,
  "lock:release": LockReleaseSchema,
  "meeting:view": MeetingViewSchema,
  ...commandSchemas,
} as const;

export type CommandName = keyof typeof commandSchemas;
export type ClientEventName = keyof typeof clientPayloadSchemas;
export type ClientPayload<E extends ClientEventName> = z.infer<(typeof clientPayloadSchemas)[E]>;
export type LockKind = z.infer<typeof LockKindSchema>;

export function isClientEventName(name: unknown): name is ClientEventName {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(clientPayloadSchemas, name);
}
