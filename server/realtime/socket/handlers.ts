import type { Socket } from "socket.io";
import { colourFor } from "../../../app/lib/realtime/colours.ts";
import {
  rooms,
  type ClientAcks,
  type ClientEventName,
  type ClientPayload,
  type ClientToServerEvents,
  type CommandName,
  type LockHolder,
  type ServerToClientEvents,
} from "../../../app/lib/realtime/events.ts";
import { commandSchemas } from "../../../app/lib/realtime/payloads.ts";
import type { SessionUser } from "../../auth/sessions.ts";
import { requireWorkspaceMember } from "../../auth/require.ts";
import { AppError } from "../../http/errors.ts";
import type { AppServices } from "../../services.ts";
import type { PresenceHub } from "../presence/hub.ts";
import { MESSAGES, refusal } from "./acks.ts";
import { commandHandlers } from "./commands.ts";

export interface SocketData {
  user: SessionUser;
}

export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface HandlerContext {
  services: AppServices;
  hub: PresenceHub;
  socket: LiveSocket;
  /** The caller as last authorized (revalidated right after the handshake). */
  readonly user: SessionUser;
}

type Handler<E extends ClientEventName> = (ctx: HandlerContext, payload: ClientPayload<E>) => Promise<ClientAcks[E]>;
export type Handlers = { [E in ClientEventName]: Handler<E> };

/** Staff appear with their name, organization and colour: never an email, never a resident. */
function holderOf(user: SessionUser, workspaceId: string): LockHolder {
  const memberships = requireWorkspaceMember(user, workspaceId);
  const rank = { ADMIN: 0, COORDINATOR: 1, MEMBER: 2, VIEWER: 3 } as const;
  const primary = [...memberships].sort((a, b) => rank[a.role] - rank[b.role] || a.organizationName.localeCompare(b.organizationName))[0];
  return { userId: user.id, displayName: user.displayName, organizationName: primary.organizationName, colour: colourFor(user.id) };
}

/** Presence and locks need the room: joining it is where membership is checked. */
function requireJoined(ctx: HandlerContext, workspaceId: string): void {
  if (!ctx.socket.rooms.has(rooms.workspace(workspaceId))) throw new AppError("forbidden", MESSAGES.notJoined);
}

const sessionHandlers: Omit<Handlers, CommandName> = {
  async "workspace:join"(ctx, { workspaceId }) {
    requireWorkspaceMember(ctx.user, workspaceId);
    // Join before reading the version: an event committed in between arrives (a duplicate the
    // client drops) instead of being missed.
    await ctx.socket.join(rooms.workspace(workspaceId));
    const workspace = (await ctx.services.domain.workspaces.listForUser(ctx.user)).find((w) => w.id === workspaceId);
    if (!workspace) {
      await ctx.socket.leave(rooms.workspace(workspaceId));
      return refusal("not_found", "ワークスペースが見つかりません / Workspace not found");
    }
    return { ok: true, workspaceId, version: workspace.version };
  },

  async "workspace:leave"(ctx, { workspaceId }) {
    await ctx.hub.leave(workspaceId, ctx.socket.id);
    await ctx.socket.leave(rooms.workspace(workspaceId));
    return { ok: true };
  },

  async "presence:join"(ctx, { workspaceId, board }) {
    requireJoined(ctx, workspaceId);
    const { present, locks } = await ctx.hub.join(workspaceId, ctx.socket.id, holderOf(ctx.user, workspaceId), board);
    // With an asynchronous (remote) store the socket may have closed meanwhile: do not leave a ghost.
    if (!ctx.socket.connected) await ctx.hub.disconnect(ctx.socket.id);
    return { ok: true, workspaceId, present, locks };
  },

  async "presence:leave"(ctx, { workspaceId }) {
    await ctx.hub.leave(workspaceId, ctx.socket.id);
    return { ok: true };
  },

  async "lock:acquire"(ctx, { workspaceId, target, kind }) {
    requireJoined(ctx, workspaceId);
    const editor = ctx.user.memberships.some((m) => m.workspaceId === workspaceId && m.role !== "VIEWER");
    if (!editor) return refusal("forbidden", MESSAGES.readOnly);
    const result = await ctx.hub.acquire(workspaceId, ctx.socket.id, holderOf(ctx.user, workspaceId), target, kind);
    if (!ctx.socket.connected) await ctx.hub.disconnect(ctx.socket.id);
    if (result.ok) return { ok: true, lock: result.lock };
    if (result.reason === "limit_exceeded") return refusal("limit_exceeded", MESSAGES.lockLimit);
    return { ...refusal("locked", MESSAGES.locked), holder: result.lock.holder, kind: result.lock.kind, expiresAt: result.lock.expiresAt };
  },

  async "meeting:view"(ctx, { workspaceId, board, view, section }) {
    requireJoined(ctx, workspaceId);
    // Leading a meeting is for members who may edit; a VIEWER follows.
    const editor = ctx.user.memberships.some((m) => m.workspaceId === workspaceId && m.role !== "VIEWER");
    if (!editor) return refusal("forbidden", MESSAGES.readOnly);
    const shared = { workspaceId, board, view, ...(section ? { section } : {}), facilitator: holderOf(ctx.user, workspaceId), at: Date.now() };
    ctx.socket.to(rooms.workspace(workspaceId)).emit("meeting:view", shared);
    return { ok: true };
  },

  async "lock:release"(ctx, { workspaceId, target }) {
    const result = await ctx.hub.release(workspaceId, ctx.socket.id, target);
    if (result.ok) return { ok: true };
    return { ...refusal("locked", MESSAGES.locked), holder: result.lock.holder };
  },
};

function commandHandler<C extends CommandName>(name: C): Handler<C> {
  const run = commandHandlers[name];
  return async (ctx, payload) => ({ ok: true, entity: await run({ services: ctx.services, user: ctx.user }, payload) }) as ClientAcks[C];
}

/** Every client → server event's handler; thrown errors are turned into refusals by the caller. */
export const handlers: Handlers = {
  ...sessionHandlers,
  ...(Object.fromEntries(Object.keys(commandSchemas).map((name) => [name, commandHandler(name as CommandName)])) as Pick<
    Handlers,
    CommandName
  >),
};
