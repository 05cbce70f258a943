import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import { createLocalClusterBus, createRedisAdapterClients, createRedisClusterBus, type ClusterBus } from "./cluster-bus.ts";

/**
 * Every Redis channel and key of one deployment, under one prefix (REDIS_PREFIX), so that two
 * deployments — or two test runs — can share a Redis without hearing each other.
 */
export interface ClusterNames {
  readonly prefix: string;
  /** Committed Yjs updates and awareness of one document. */
  yjs(docName: string): string;
  /** Logouts and membership changes: close the matching connections everywhere. */
  readonly revoke: string;
  /** Prefix of the presence and lock keys (server/realtime/presence/redis-store.ts). */
  readonly presence: string;
  /** Socket.IO adapter's channel prefix. */
  readonly socketIo: string;
  /** Prefix of the HTTP rate-limit buckets (server/http/redis-rate-limit.ts). */
  readonly rateLimits: string;
}

export function clusterNames(prefix: string): ClusterNames {
  return {
    prefix,
    yjs: (docName) => `${prefix}:yjs:${docName}`,
    revoke: `${prefix}:revoke`,
    presence: `${prefix}:presence`,
    socketIo: `${prefix}:socket.io`,
    rateLimits: `${prefix}:ratelimit`,
  };
}

/**
 * What the instance shares with the others: nothing in single-instance mode (REDIS_URL unset: no
 * Redis connection is attempted), or — in multi-instance mode — a message bus (Yjs fan-out,
 * revocation), Socket.IO's Redis adapter and a command connection (presence and locks, health).
 */
export interface Cluster {
  readonly mode: "single" | "redis";
  readonly bus: ClusterBus;
  readonly names: ClusterNames;
  /** Commands (presence and locks); null in single-instance mode. */
  readonly redis: Redis | null;
  /** Socket.IO's adapter; null in single-instance mode (Socket.IO's in-memory adapter). */
  readonly socketAdapter: ReturnType<typeof createAdapter> | null;
  /** PING with a bound; null in single-instance mode (there is no Redis to ask). */
  checkRedis(timeoutMs?: number): Promise<{ ok: boolean; latencyMs: number | null } | null>;
  /** Closes every Redis connection. Call after the transports closed. */
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** Unset → single-instance mode. */
  redisUrl: string | undefined;
  /** @default "tsunagu" */
  prefix?: string;
  logger: Logger;
}

/**
 * Connects to Redis when a URL is given. A Redis that does not answer at boot stops the boot (an
 * instance cut off from the others would serve stale documents and miss revocations); a Redis lost
 * later is reconnected by ioredis, and the instance keeps serving its own clients meanwhile.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const names = clusterNames(options.prefix ?? "tsunagu");
  if (!options.redisUrl) {
    return {
      mode: "single",
      bus: createLocalClusterBus(),
      names,
      redis: null,
      socketAdapter: null,
      checkRedis: async () => null,
      close: async () => {},
    };
  }
  const url = options.redisUrl;
  const logger = options.logger.child({ module: "cluster" });
  // ioredis reports every failed reconnection attempt: log the first of a streak, not each one.
  let failing = false;
  const onError = (error: unknown) => {
    if (failing) return;
    failing = true;
    logger.error({ err: error }, "Redis connection error (ioredis reconnects by itself)");
  };

  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true });
  redis.on("error", onError);
  redis.on("ready", () => {
    if (failing) logger.warn("Redis connection restored");
    failing = false;
  });
  let bus: ClusterBus | undefined;
  let adapterClients: Awaited<ReturnType<typeof createRedisAdapterClients>> | undefined;
  try {
    await redis.connect();
    bus = await createRedisClusterBus(url, onError);
    adapterClients = await createRedisAdapterClients(url, onError);
  } catch (error) {
    redis.disconnect();
    await bus?.close();
    throw new Error(`REDIS_URL is set but Redis does not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  const clients = adapterClients;
  const messageBus = bus;
  logger.info({ instanceId: bus.instanceId, prefix: names.prefix }, "multi-instance mode (Redis)");

  return {
    mode: "redis",
    bus: messageBus,
    names,
    redis,
    socketAdapter: createAdapter(clients.pub, clients.sub, { key: names.socketIo }),
    async checkRedis(timeoutMs = 1_000) {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        // Not queued behind a reconnection: a Redis that is down answers "down" at once.
        if (redis.status !== "ready") return { ok: false, latencyMs: null };
        await Promise.race([
          redis.ping(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error("Redis health check timed out")), timeoutMs);
          }),
        ]);
        return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
      } catch {
        return { ok: false, latencyMs: null };
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await Promise.allSettled([messageBus.close(), clients.close(), redis.quit()]);
    },
  };
}
