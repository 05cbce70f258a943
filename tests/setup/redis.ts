import { Redis } from "ioredis";

/**
 * The Redis the multi-instance tests use: TEST_REDIS_URL, else the machine's default port.
 * A user's fresh machine has no Redis: those tests are then skipped, visibly (the runner prints
 * "N skipped"). CI sets REQUIRE_REDIS=1, which turns a missing Redis into a failure instead.
 */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export async function redisAvailable(url = TEST_REDIS_URL): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    if (process.env.REQUIRE_REDIS === "1") throw new Error(`REQUIRE_REDIS=1 but Redis at ${url} does not answer`);
    console.warn(`[tests] Redis at ${url} does not answer: multi-instance tests are skipped`);
    return false;
  } finally {
    client.disconnect();
  }
}
