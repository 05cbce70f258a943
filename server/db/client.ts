import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";

export type { PrismaClient };
export { Prisma } from "./generated/client.ts";

/**
 * Prisma Client 7 on the pure-JS `pg` driver adapter (no native engine: works offline).
 * Connection errors surface per query, so the server stays up while the database is down.
 */
export function createPrisma(connectionString: string, options: { max?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}
