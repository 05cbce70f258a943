import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

/**
 * Messages between server instances. With REDIS_URL set, every instance publishes here what its
 * own clients did (a Yjs update that is already durable, a revocation), and every other instance
 * applies it for its own clients. Without REDIS_URL the bus is local and delivers nothing: one
 * process has nobody to tell.
 */
export interface ClusterBus {
  /** This instance's id; messages it published come back with it and are ignored. */
  readonly instanceId: string;
  readonly mode: "single" | "redis";
  publish(channel: string, payload: Buffer): Promise<void>;
  /** Subscribes to a channel; the handler never sees this instance's own messages. */
  subscribe(channel: string, handler: (payload: Buffer) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export function createLocalClusterBus(): ClusterBus {
  return {
    instanceId: randomUUID(),
    mode: "single",
    async publish() {},
    async subscribe() {
      return async () => {};
    },
    async close() {},
  };
}

const ID_BYTES = 36; // a UUID in ASCII, prefixed to every payload

/**
 * Redis pub/sub. Payloads are binary (Yjs updates) and prefixed with the publishing instance's id,
 * so an instance can skip its own messages without a second round trip.
 */
export async function createRedisClusterBus(url: string, onError: (error: unknown) => void): Promise<ClusterBus> {
  const instanceId = randomUUID();
  const options = { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true };
  const pub = new Redis(url, options);
  const sub = new Redis(url, options);
  pub.on("error", onError);
  sub.on("error", onError);
  await Promise.all([pub.connect(), sub.connect()]);

  const handlers = new Map<string, Set<(payload: Buffer) => void>>();
  sub.on("messageBuffer", (channelBuffer: Buffer, message: Buffer) => {
    const set = handlers.get(channelBuffer.toString());
    if (!set || message.length < ID_BYTES) return;
    if (message.subarray(0, ID_BYTES).toString() === instanceId) return;
    const payload = message.subarray(ID_BYTES);
    for (const handler of set) {
      try {
        handler(payload);
      } catch (error) {
        onError(error);
      }
    }
  });

  return {
    instanceId,
    mode: "redis",
    async publish(channel, payload) {
      await pub.publish(channel, Buffer.concat([Buffer.from(instanceId), payload]));
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        handlers.set(channel, (set = new Set()));
        await sub.subscribe(channel);
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (set.size === 0 && handlers.get(channel) === set) {
          handlers.delete(channel);
          await sub.unsubscribe(channel);
        }
      };
    },
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}

/** Redis clients for Socket.IO's adapter: a publisher and a subscriber, as the adapter requires. */
export async function createRedisAdapterClients(url: string, onError: (error: unknown) => void) {
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const sub = pub.duplicate();
  pub.on("error", onError);
  sub.on("error", onError);
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    pub,
    sub,
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
