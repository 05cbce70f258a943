import { EventEmitter } from "node:events";
import type { DomainEvent } from "../../app/lib/realtime/events.ts";

export type { DomainEvent };

/**
 * In-process bus for domain events, emitted only after the transaction committed.
 * Subscribers (broadcast, the matching scheduler) must not throw into the writer: a failing
 * listener is logged and the others still run.
 */
export class DomainEventBus {
  private readonly emitter = new EventEmitter();
  constructor(private readonly onListenerError: (error: unknown, event: DomainEvent) => void = () => {}) {
    this.emitter.setMaxListeners(50);
  }

  publish(event: DomainEvent): void {
    for (const listener of this.emitter.listeners("event") as Array<(e: DomainEvent) => unknown>) {
      try {
        const result = listener(event);
        if (result instanceof Promise) result.catch((error) => this.onListenerError(error, event));
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }

  subscribe(listener: (event: DomainEvent) => unknown): () => void {
    this.emitter.on("event", listener);
    return () => this.emitter.off("event", listener);
  }
}
