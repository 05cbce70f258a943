import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "../db/client.ts";
import type { OrganizationKind, Role } from "../db/generated/enums.ts";
import { dummyPasswordHash, verifyPassword } from "./password.ts";

export interface SessionMembership {
  organizationId: string;
  organizationName: string;
  organizationKind: OrganizationKind;
  workspaceId: string;
  role: Role;
}

/** The authenticated caller, as every transport sees it. */
export interface SessionUser {
  id: string;
  /** Hash of the session token this user was authenticated with (null when built without one). */
  sessionId: string | null;
  /**
   * When that session ends (epoch ms); live connections opened with it are closed then
   * (ConnectionRegistry). Absent when built without a session.
   */
  sessionExpiresAt?: number;
  email: string;
  displayName: string;
  locale: string;
  memberships: SessionMembership[];
}

/** The user as sent to the browser: without the session id and expiry. */
export function publicUser(user: SessionUser): Omit<SessionUser, "sessionId" | "sessionExpiresAt"> {
  const { sessionId: _sessionId, sessionExpiresAt: _expiresAt, ...rest } = user;
  return rest;
}

/** The session id (primary key) of a cookie token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Database-backed sessions. The cookie holds a random 256-bit token; the table holds only its
 * hash, so a leaked database row cannot be replayed as a cookie.
 */
export class SessionStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly lifetimeMs: number,
  ) {}

  /** Checks credentials; returns a new session token or null. Same timing for unknown emails. */
  async login(email: string, password: string, userAgent?: string): Promise<{ token: string; user: SessionUser } | null> {
    const user = await this.prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !ok) return null;
    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(Date.now() + this.lifetimeMs);
    await this.prisma.session.create({
      data: {
        id: hashToken(token),
        userId: user.id,
        expiresAt,
        userAgent: userAgent?.slice(0, 300),
      },
    });
    const sessionUser = await this.loadUser(user.id, hashToken(token), expiresAt.getTime());
    if (!sessionUser) return null;
    return { token, user: sessionUser };
  }

  /** Deletes the session; returns its id so live connections made with it can be closed. */
  async logout(token: string): Promise<string> {
    const sessionId = hashToken(token);
    await this.prisma.session.deleteMany({ where: { id: sessionId } });
    return sessionId;
  }

  /** Resolves a token to its user, or null when unknown or expired. */
  async userForToken(token: string): Promise<SessionUser | null> {
    const session = await this.prisma.session.findUnique({ where: { id: hashToken(token) } });
    if (!session) return null;
    if (session.expiresAt.getTime() <= Date.now()) {
      await this.prisma.session.deleteMany({ where: { id: session.id } });
      return null;
    }
    return this.loadUser(session.userId, session.id, session.expiresAt.getTime());
  }

  /** The user a session id belongs to, without loading memberships (rate-limit keys). */
  async userIdForToken(token: string): Promise<string | null> {
    const session = await this.prisma.session.findUnique({ where: { id: hashToken(token) }, select: { userId: true, expiresAt: true } });
    return session && session.expiresAt.getTime() > Date.now() ? session.userId : null;
  }

  /** True when `password` is the user's current password (constant work whether or not the user exists). */
  async verifyUserPassword(userId: string, password: string): Promise<boolean> {
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    return Boolean(user) && ok;
  }

  /**
   * Stores a new password hash and deletes the user's other sessions in one transaction; returns
   * the ids of the deleted sessions so their live connections can be closed.
   */
  async changePassword(userId: string, passwordHash: string, keepSessionId: string | null): Promise<string[]> {
    return this.prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: userId }, data: { passwordHash } });
      const others = await tx.session.findMany({
        where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
        select: { id: true },
      });
      await tx.session.deleteMany({ where: { id: { in: others.map((s) => s.id) } } });
      return others.map((s) => s.id);
    });
  }

  /** Deletes every session of the user ("log out everywhere"); returns their ids. */
  async revokeAll(userId: string): Promise<string[]> {
    return this.prisma.$transaction(async (tx) => {
      const sessions = await tx.session.findMany({ where: { userId }, select: { id: true } });
      await tx.session.deleteMany({ where: { userId } });
      return sessions.map((s) => s.id);
    });
  }

  async loadUser(userId: string, sessionId: string | null = null, sessionExpiresAt?: number): Promise<SessionUser | null> {
    const user = await this.prisma.user.findUnique({
      where: { id: userId },
      include: { memberships: { include: { organization: true } } },
    });
    if (!user) return null;
    return {
      id: user.id,
      sessionId,
      ...(sessionExpiresAt !== undefined ? { sessionExpiresAt } : {}),
      email: user.email,
      displayName: user.displayName,
      locale: user.locale,
      memberships: user.memberships.map((m) => ({
        organizationId: m.organizationId,
        organizationName: m.organization.name,
        organizationKind: m.organization.kind,
        workspaceId: m.organization.workspaceId,
        role: m.role,
      })),
    };
  }

  /** Removes expired sessions; called periodically by the server. */
  async purgeExpired(): Promise<number> {
    const { count } = await this.prisma.session.deleteMany({ where: { expiresAt: { lte: new Date() } } });
    return count;
  }
}
