import { randomUUID } from "node:crypto";
import type { ClusterBus } from "./cluster-bus.ts";

/**
 * Several ClusterBuses in one process, connected like Redis pub/sub connects instances: a
 * message reaches the other buses' subscribers of its channel (never its publisher), a turn of the
 * event loop later. For unit tests of multi-instance behaviour without Redis; `partition()` drops
 * every message until `heal()`, which then tells each bus it reconnected.
 */
export class LoopbackCluster {
  private readonly subscribers = new Map<string, Set<{ instanceId: string; handler: (payload: Buffer) => void }>>();
  private readonly reconnectListeners = new Map<string, Set<() => void>>();
  private partitioned = false;
  /** Every message published, by channel (tests count them). */
  readonly published: Array<{ channel: string; instanceId: string; payload: Buffer }> = [];

  bus(): ClusterBus {
    const instanceId = randomUUID();
    const listeners = new Set<() => void>();
    this.reconnectListeners.set(instanceId, listeners);
    return {
      instanceId,
      mode: "redis",
      publish: async (channel, payload) => {
        if (this.partitioned) throw new Error("partitioned");
        const copy = Buffer.from(payload);
        this.published.push({ channel, instanceId, payload: copy });
        const targets = [...(this.subscribers.get(channel) ?? [])].filter((s) => s.instanceId !== instanceId);
        setImmediate(() => {
          if (this.partitioned) return;
          for (const target of targets) target.handler(copy);
        });
      },
      subscribe: async (channel, handler) => {
        const entry = { instanceId, handler };
        let set = this.subscribers.get(channel);
        if (!set) this.subscribers.set(channel, (set = new Set()));
        set.add(entry);
        return async () => {
          set.delete(entry);
          if (set.size === 0 && this.subscribers.get(channel) === set) this.subscribers.delete(channel);
        };
      },
      onReconnect: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: async () => {
        for (const set of this.subscribers.values()) for (const entry of [...set]) if (entry.instanceId === instanceId) set.delete(entry);
        this.reconnectListeners.delete(instanceId);
      },
    };
  }

  /** Subscribers of a channel across all buses. */
  subscriberCount(channel: string): number {
    return this.subscribers.get(channel)?.size ?? 0;
  }

  partition(): void {
    this.partitioned = true;
  }

  heal(): void {
    this.partitioned = false;
    for (const listeners of this.reconnectListeners.values()) for (const listener of listeners) listener();
  }
}
