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
  email: string;
  displayName: string;
  locale: string;
  memberships: SessionMembership[];
}

/** The user as sent to the browser: without the session id. */
export function publicUser(user: SessionUser): Omit<SessionUser, "sessionId"> {
  const { sessionId: _sessionId, ...rest } = user;
  return rest;
}

function hashToken(token: string): string {
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
    await this.prisma.session.create({
      data: {
        id: hashToken(token),
        userId: user.id,
        expiresAt: new Date(Date.now() + this.lifetimeMs),
        userAgent: userAgent?.slice(0, 300),
      },
    });
    const sessionUser = await this.loadUser(user.id, hashToken(token));
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
    return this.loadUser(session.userId, session.id);
  }

  async loadUser(userId: string, sessionId: string | null = null): Promise<SessionUser | null> {
    const user = await this.prisma.user.findUnique({
      where: { id: userId },
      include: { memberships: { include: { organization: true } } },
    });
    if (!user) return null;
    return {
      id: user.id,
      sessionId,
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
