import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConnectionRegistry, type LiveConnection } from "./connections.ts";

function connection(userId: string, sessionId: string, expiresAt?: number) {
  const closed: string[] = [];
  const live: LiveConnection = { userId, sessionId, expiresAt, close: (reason) => closed.push(reason) };
  return { live, closed };
}

describe("ConnectionRegistry: session expiry", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it("closes a session's connections at its expiry with session_expired, and nobody else's", () => {
    const registry = new ConnectionRegistry();
    const a = connection("ann", "s1", 5_000);
    const b = connection("ann", "s1", 5_000);
    const other = connection("ann", "s2", 9_000);
    registry.add(a.live);
    registry.add(b.live);
    registry.add(other.live);
    expect(registry.armedExpiries).toBe(2);
    vi.advanceTimersByTime(4_999);
    expect(a.closed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect([a.closed, b.closed, other.closed]).toEqual([["session_expired"], ["session_expired"], []]);
    expect(registry.count()).toBe(1);
    expect(registry.armedExpiries).toBe(1);
  });

  it("an expiry learned after registering arms the timer; one for a session without connections is not kept", () => {
    const registry = new ConnectionRegistry();
    registry.noteSessionExpiry("nobody", 1_000);
    expect(registry.armedExpiries).toBe(0);
    const a = connection("ann", "s1");
    registry.add(a.live);
    registry.noteSessionExpiry("s1", 2_000);
    vi.advanceTimersByTime(2_000);
    expect(a.closed).toEqual(["session_expired"]);
  });

  it("the timer goes with the session's last connection", () => {
    const registry = new ConnectionRegistry();
    const a = connection("ann", "s1", 1_000);
    const unregister = registry.add(a.live);
    unregister();
    expect(registry.armedExpiries).toBe(0);
    vi.advanceTimersByTime(5_000);
    expect(a.closed).toEqual([]);
  });

  it("an already expired session closes on the next tick; a logout clears the timer", () => {
    vi.setSystemTime(10_000);
    const registry = new ConnectionRegistry();
    const late = connection("ann", "s1", 9_000);
    registry.add(late.live);
    vi.advanceTimersByTime(0);
    expect(late.closed).toEqual(["session_expired"]);
    const b = connection("bob", "s2", 20_000);
    registry.add(b.live);
    registry.closeSession("s2", "logged_out");
    expect(registry.armedExpiries).toBe(0);
    vi.advanceTimersByTime(20_000);
    expect(b.closed).toEqual(["logged_out"]);
  });

  it("sessions longer than setTimeout's 24.8-day limit re-arm instead of firing early", () => {
    const registry = new ConnectionRegistry();
    const days = 30 * 86_400_000;
    const a = connection("ann", "s1", days);
    registry.add(a.live);
    vi.advanceTimersByTime(2 ** 31 - 1);
    expect(a.closed).toEqual([]);
    vi.advanceTimersByTime(days - (2 ** 31 - 1));
    expect(a.closed).toEqual(["session_expired"]);
  });
});
