import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, startTestServer, type TestServer } from "../setup/test-server.ts";
import { chartDocs, openProvider, synced, waitFor, type TestProvider } from "./collab-helpers.ts";

/**
 * A meeting-sized crowd of stock y-websocket providers in one chart. The provider re-sends every
 * awareness update it hears, others' states included; the server must drop those echoes quietly
 * instead of closing the connection (found by bench:realtime with 10+ clients).
 */
describe("collab: a crowd of stock providers in one document", () => {
  let server: TestServer;
  let cookie: string;
  let docName: string;
  const providers: TestProvider[] = [];
  const CROWD = 16;

  beforeAll(async () => {
    server = await startTestServer();
    cookie = await login(server.url);
    docName = (await chartDocs(server.url, cookie))[0];
  });
  afterAll(async () => {
    providers.forEach((p) => p.destroy());
    await server?.stop();
  });

  it("keeps everyone connected, shows everyone to everyone, and converges", async () => {
    for (let i = 0; i < CROWD; i++) {
      const p = openProvider(server.url, docName, cookie);
      p.provider.awareness.setLocalStateField("cursor", { index: i });
      providers.push(p);
    }
    await synced(...providers);
    // Everyone sees everyone (their own state included): CROWD states on every client.
    await waitFor(() => providers.every((p) => p.provider.awareness.getStates().size >= CROWD), 10_000, "awareness of the whole crowd");

    // Cursor moves make every other provider echo: a burst the server must absorb.
    for (let round = 0; round < 5; round++) {
      providers.forEach((p, i) => p.provider.awareness.setLocalStateField("cursor", { index: i, round }));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    providers.forEach((p, i) => p.text.insert(0, `${i};`));
    await waitFor(() => providers.every((p) => p.text.toString().split(";").length === CROWD + 1), 10_000, "every edit everywhere");
    await synced(...providers);

    expect(providers.flatMap((p) => p.closes)).toEqual([]);
    const texts = new Set(providers.map((p) => p.text.toString()));
    expect(texts.size).toBe(1);
  });
});
