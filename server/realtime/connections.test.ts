import { describe, expect, it } from "vitest";
import { ConnectionRegistry, decodeRevocation, encodeRevocation, type LiveConnection, type Revocation } from "./connections.ts";

function connection(userId: string, sessionId: string) {
  const closed: string[] = [];
  const live: LiveConnection = { userId, sessionId, close: (reason) => closed.push(reason) };
  return { live, closed };
}

/** Two instances' registries, wired the way app-server wires them through the cluster bus. */
function pair() {
  const published: Revocation[] = [];
  let b: ConnectionRegistry;
  const a = new ConnectionRegistry((revocation) => {
    published.push(revocation);
    b.applyRemote(decodeRevocation(encodeRevocation(revocation))!);
  });
  b = new ConnectionRegistry((revocation) => published.push(revocation));
  return { a, b, published };
}

describe("ConnectionRegistry across instances", () => {
  it("a logout on one instance closes that session's connections on the other, and only those", () => {
    const { a, b, published } = pair();
    const onA = connection("ann", "s1");
    const onB = connection("ann", "s1");
    const otherSession = connection("ann", "s2");
    a.add(onA.live);
    b.add(onB.live);
    b.add(otherSession.live);
    expect(a.closeSession("s1", "logged_out")).toBe(1);
    expect(onA.closed).toEqual(["logged_out"]);
    expect(onB.closed).toEqual(["logged_out"]);
    expect(otherSession.closed).toEqual([]);
    // Published once, by the instance where it happened; applying it publishes nothing.
    expect(published).toEqual([{ scope: "session", id: "s1", reason: "logged_out" }]);
    expect(b.count()).toBe(1);
  });

  it("a membership change closes every connection of the user everywhere", () => {
    const { a, b } = pair();
    const one = connection("bob", "s1");
    const two = connection("bob", "s2");
    b.add(one.live);
    b.add(two.live);
    expect(a.closeUser("bob", "membership_changed")).toBe(0);
    expect([...one.closed, ...two.closed]).toEqual(["membership_changed", "membership_changed"]);
    expect(b.count()).toBe(0);
  });

  it("lists the sessions of its connections (checked again after a lost Redis)", () => {
    const registry = new ConnectionRegistry();
    const unregister = registry.add(connection("ann", "s1").live);
    registry.add(connection("bob", "s2").live);
    expect([...registry.sessionIds()].sort()).toEqual(["s1", "s2"]);
    unregister();
    expect([...registry.sessionIds()]).toEqual(["s2"]);
  });

  it("decodes only well-formed revocations", () => {
    for (const junk of ["", "null", "{}", '{"scope":"all","id":"x","reason":"logged_out"}', '{"scope":"user","id":"","reason":"logged_out"}', "\u0000"]) {
      expect(decodeRevocation(Buffer.from(junk))).toBeNull();
    }
  });
});
