import { describe, expect, it } from "vitest";
import { accountKey, current, LoginThrottle, lockoutAfter, recordFailure, type LoginThrottlePolicy, type ThrottleState } from "./login-throttle.ts";

const policy: LoginThrottlePolicy = { maxFailures: 3, baseLockoutMs: 1_000, maxLockoutMs: 5_000, resetAfterMs: 60_000 };

describe("lockoutAfter", () => {
  it.each([
    [0, 0],
    [2, 0],
    [3, 1_000],
    [4, 2_000],
    [5, 4_000],
    [6, 5_000],
    [100, 5_000],
  ])("after %i failures: %i ms", (failures, ms) => expect(lockoutAfter(failures, policy)).toBe(ms));
});

describe("recordFailure / current (pure)", () => {
  it("locks after maxFailures, progressively, and forgets after a quiet resetAfterMs", () => {
    let state: ThrottleState | undefined;
    const fail = (now: number) => (state = recordFailure(state, policy, now)).lockedUntil;
    expect([fail(0), fail(0), fail(0)]).toEqual([0, 0, 1_000]);
    expect(fail(1_000)).toBe(3_000);
    expect(fail(3_000)).toBe(7_000);
    expect(fail(7_000)).toBe(12_000); // capped at 5 s
    expect(current(state, policy, 7_000 + 59_999).failures).toBe(6);
    expect(current(state, policy, 7_000 + 60_000).failures).toBe(0);
    expect(recordFailure(state, policy, 7_000 + 60_000)).toEqual({ failures: 1, lastFailureAt: 67_000, lockedUntil: 0 });
  });
});

describe("LoginThrottle", () => {
  const check = async (throttle: LoginThrottle, email: string, success: boolean) => {
    const admitted = await throttle.acquire(email);
    if ("retryAfterMs" in admitted) return admitted.retryAfterMs;
    admitted.release(success);
    return "checked";
  };

  it("locks an account after N failures; a success clears; keys ignore case; other accounts are untouched", async () => {
    let now = 0;
    const throttle = new LoginThrottle(policy, () => now);
    expect(await check(throttle, "Ann@Example.jp", false)).toBe("checked");
    expect(await check(throttle, " ann@example.jp ", true)).toBe("checked");
    expect(throttle.size).toBe(0);
    for (let i = 0; i < 3; i++) expect(await check(throttle, "ann@example.jp", false)).toBe("checked");
    expect(await check(throttle, "ANN@example.jp", true)).toBe(1_000);
    expect(await check(throttle, "bob@example.jp", true)).toBe("checked");
    now = 1_000;
    expect(await check(throttle, "ann@example.jp", true)).toBe("checked");
  });

  it("fifty parallel wrong guesses get N checks; the rest are refused by the lockout", async () => {
    const throttle = new LoginThrottle(policy, () => 0);
    let checks = 0;
    const answers = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const admitted = await throttle.acquire("ann@example.jp");
        if ("retryAfterMs" in admitted) return "refused";
        checks++;
        await new Promise((resolve) => setTimeout(resolve, 5)); // Argon2 takes a while
        admitted.release(false);
        return "wrong";
      }),
    );
    expect(checks).toBe(policy.maxFailures);
    expect(answers.filter((a) => a === "refused")).toHaveLength(50 - policy.maxFailures);
  });

  it("fifty parallel correct logins all go through", async () => {
    const throttle = new LoginThrottle(policy, () => 0);
    const answers = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const admitted = await throttle.acquire("ann@example.jp");
        if ("retryAfterMs" in admitted) return "refused";
        await new Promise((resolve) => setTimeout(resolve, 1));
        admitted.release(true);
        return "ok";
      }),
    );
    expect(answers.every((a) => a === "ok")).toBe(true);
    expect(throttle.size).toBe(0);
  });

  it("an error (null) neither counts nor clears", async () => {
    const throttle = new LoginThrottle(policy, () => 0);
    for (let i = 0; i < 2; i++) expect(await check(throttle, "ann@example.jp", false)).toBe("checked");
    const admitted = await throttle.acquire("ann@example.jp");
    if ("retryAfterMs" in admitted) throw new Error("not expected");
    admitted.release(null);
    expect(await check(throttle, "ann@example.jp", false)).toBe("checked");
    expect(await check(throttle, "ann@example.jp", true)).toBe(1_000);
  });

  it("prunes what carries nothing and stays bounded under a spray of made-up accounts", async () => {
    let now = 0;
    const throttle = new LoginThrottle(policy, () => now, 100);
    for (let i = 0; i < 1_000; i++) await check(throttle, `nobody-${i}@example.jp`, false);
    expect(throttle.size).toBeLessThanOrEqual(100);
    now = 10 * 60_000;
    throttle.prune();
    expect(throttle.size).toBe(0);
  });

  it("normalizes keys like the User table", () => expect(accountKey("  Ann@Example.JP ")).toBe("ann@example.jp"));
});

describe("LoginThrottle after a lockout", () => {
  it("lets one check through at a time once the lockout has run out, and locks longer on a failure", async () => {
    let now = 0;
    const throttle = new LoginThrottle(policy, () => now);
    for (let i = 0; i < 3; i++) {
      const admitted = await throttle.acquire("ann@example.jp");
      if (!("retryAfterMs" in admitted)) admitted.release(false);
    }
    now = 1_000;
    const first = await throttle.acquire("ann@example.jp");
    expect("release" in first).toBe(true);
    let secondSettled = false;
    const second = throttle.acquire("ann@example.jp").then((r) => ((secondSettled = true), r));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(secondSettled).toBe(false); // waits for the first
    if ("release" in first) first.release(false);
    expect(await second).toEqual({ retryAfterMs: 2_000 });
  });
});
