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
  /**
   * Calls `listener` each time the subscriber connection came back after losing Redis, once its
   * subscriptions are in place again. Whatever was published meanwhile is lost: listeners catch
   * up from the source of truth (PostgreSQL). Never called for the local bus.
   */
  onReconnect(listener: () => void): () => void;
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
    onReconnect() {
      return () => {};
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
  await connectAll([pub, sub]);

  // Connected: every "ready" from now on is a reconnection. ioredis subscribes again right after
  // emitting it; a PING sent after that is answered once those SUBSCRIBEs are in effect (one
  // connection, in order).
  const reconnectListeners = new Set<() => void>();
  sub.on("ready", () => {
    setImmediate(() => {
      sub
        .ping()
        .then(() => {
          for (const listener of reconnectListeners) listener();
        })
        .catch(onError);
    });
  });

  // Per channel: its handlers, and the SUBSCRIBE they all wait for (a second subscriber of a
  // channel must not return before the first one's subscription is in effect).
  const channels = new Map<string, { handlers: Set<(payload: Buffer) => void>; ready: Promise<unknown> }>();
  sub.on("messageBuffer", (channelBuffer: Buffer, message: Buffer) => {
    const entry = channels.get(channelBuffer.toString());
    if (!entry || message.length < ID_BYTES) return;
    if (message.subarray(0, ID_BYTES).toString() === instanceId) return;
    const payload = message.subarray(ID_BYTES);
    for (const handler of entry.handlers) {
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
      let entry = channels.get(channel);
      if (!entry) {
        const fresh = { handlers: new Set<(payload: Buffer) => void>(), ready: sub.subscribe(channel) };
        channels.set(channel, (entry = fresh));
        // Not subscribed: the next subscriber of this channel must try again.
        fresh.ready.catch(() => channels.get(channel) === fresh && channels.delete(channel));
      }
      const subscribed = entry;
      subscribed.handlers.add(handler);
      try {
        await subscribed.ready;
      } catch (error) {
        subscribed.handlers.delete(handler);
        throw error;
      }
      return async () => {
        subscribed.handlers.delete(handler);
        if (subscribed.handlers.size === 0 && channels.get(channel) === subscribed) {
          channels.delete(channel);
          await sub.unsubscribe(channel);
        }
      };
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    async close() {
      reconnectListeners.clear();
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}

/**
 * Connects every client or none: when Redis does not answer at boot, the clients are stopped
 * (ioredis would otherwise keep retrying in the background and hold the process open).
 */
async function connectAll(clients: Redis[]): Promise<void> {
  try {
    await Promise.all(clients.map((client) => client.connect()));
  } catch (error) {
    for (const client of clients) client.disconnect();
    throw error;
  }
}

/** Redis clients for Socket.IO's adapter: a publisher and a subscriber, as the adapter requires. */
export async function createRedisAdapterClients(url: string, onError: (error: unknown) => void) {
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const sub = pub.duplicate();
  pub.on("error", onError);
  sub.on("error", onError);
  await connectAll([pub, sub]);
  // The adapter publishes without looking at the result: while Redis is unreachable each
  // broadcast would be an unhandled rejection. The local part of a broadcast is delivered anyway.
  const publish = pub.publish.bind(pub) as (...args: unknown[]) => Promise<number>;
  (pub as unknown as { publish: typeof publish }).publish = (...args) => {
    const sent = publish(...args);
    sent.catch(onError);
    return sent;
  };
  return {
    pub,
    sub,
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
