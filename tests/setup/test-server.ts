import { startServer, type RunningServer, type StartServerOptions } from "../../server/app-server.ts";
import { parseEnv } from "../../server/env.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";

export const DEMO_PASSWORD = "tsunagu-demo";
export const COORDINATOR_EMAIL = "coordinator@tsunagu.example";

export interface TestServer extends RunningServer {
  database: TestDatabase;
  stop(): Promise<void>;
}

/**
 * The real server on a random port, against its own copy of the seeded database.
 * `remix: "none"` skips the web build for API-only tests.
 */
export async function startTestServer(
  options: {
    remix?: "build" | "none";
    env?: Record<string, string>;
    /** The live matching rerun is off unless a test asks for it: it bumps versions and writes matches. */
    matching?: StartServerOptions["matching"];
  } = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  const env = parseEnv({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", ...options.env });
  const server = await startServer({
    env,
    databaseUrl: database.url,
    remix: options.remix ?? "none",
    matching: options.matching ?? { enabled: false },
  });
  return {
    ...server,
    database,
    async stop() {
      await server.close();
      await database.drop();
    },
  };
}

/** Logs in through the JSON endpoint and returns the cookie header value to send back. */
export async function login(baseUrl: string, email = COORDINATOR_EMAIL, password = DEMO_PASSWORD): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login as ${email} failed: ${response.status} ${await response.text()}`);
  const setCookie = response.headers.get("set-cookie");
  if (!setCookie) throw new Error("login answered without a cookie");
  return setCookie.split(";")[0];
}

export async function getJson(baseUrl: string, path: string, cookie?: string) {
  const response = await fetch(`${baseUrl}${path}`, { headers: cookie ? { cookie } : {} });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

export async function sendJson(baseUrl: string, method: string, path: string, body: unknown, cookie?: string) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed as any, headers: response.headers };
}
