/**
 * The load generator: N clients (bench/lib/clients.ts) in one document, and a sender schedule of
 * R updates per second spread round-robin over the clients. Each update sets one new key
 * `<run>:<seq>` of the Y.Map "bench" to a small entry `{ t: sentAt, s: text }`; every other
 * client records when it received it.
 *
 * Timing. Senders and receivers live in this process, so one clock (`performance.now()`) serves
 * both ends. A receive time is taken in the WebSocket's "message" event, i.e. when the client's
 * socket delivered the frame, before the client handles it (see Inbox in clients.ts).
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { randomBytes } from "node:crypto";
import { clientFactory, Inbox, type BenchClient, type ClientKind } from "./clients.ts";
import { SampleBuffer, summarize, type Summary } from "./stats.ts";

export interface LoadOptions {
  clients: number;
  client: ClientKind;
  /** Total updates per second over all clients. */
  rate: number;
  durationS: number;
  warmupS: number;
  /** How long to wait after the last send for stragglers (receipts and saved messages). */
  drainS: number;
  /** Clients connecting at once while setting up. */
  connectBatch: number;
  /** Message types of the server's "saved" and "refused" messages, when `expectSaved`. */
  savedType: number;
  refusedType: number;
  /** See ClientHooks.awarenessEcho. */
  awarenessEcho: boolean;
  expectSaved: boolean;
  /** Length of the text carried by each update. */
  textLength: number;
  log: (message: string) => void;
  /** Called when the measured window starts and ends (after the warmup, until the last send). */
  onWindow?: (phase: "start" | "stop") => void;
}

export interface Target {
  wsBase: string;
  docName: string;
  cookie: string | null;
}

interface UpdateRecord {
  sender: number;
  sentAt: number;
  measured: boolean;
  received: number;
  receivers: Uint8Array;
  maxArrival: number;
  savedAt: number;
}

export interface LoadResult {
  clients: number;
  clientKind: ClientKind;
  updatesSent: number;
  measuredUpdates: number;
  /** Sends per second actually achieved in the measured window. */
  achievedRate: number;
  connectMs: number;
  /** Per update: max over the other clients of (receive − send). Measured updates only. */
  editToAll: Summary;
  /** Per update and receiving client: receive − send. */
  editToClient: Summary;
  /** Per update: time until its sender got the server's "saved" message. Null when not expected. */
  saved: Summary | null;
  receipts: { expected: number; received: number; duplicates: number; incompleteUpdates: number; foreign: number };
  savedMessages: { expected: number; matched: number; unmatched: number; refused: number } | null;
  convergence: { converged: boolean; lateJoiner: boolean; entries: number; detail: string | null };
  /** Connections the server closed after setup (the clients reconnect by themselves). */
  disconnects: Array<{ client: number; code: number; reason: string }>;
  loadGenerator: { cpuPercent: number; eventLoopUtilization: number; eventLoopDelayP99Ms: number; maxQueueingMs: number };
  /** Edit-to-all per second of the measured window: [second, median ms, max ms]. */
  timeline: Array<[number, number, number]>;
  /** The slowest measured updates: when they were sent (s into the window), for spotting periodic stalls. */
  slowest: Array<{ atS: number; editToAllMs: number; savedMs: number | null }>;
  /** WebSocket messages per second between the clients and the server in the measured window. */
  wire: { framesSentPerS: number; bytesSentPerS: number; framesReceivedPerS: number; bytesReceivedPerS: number };
}

/** y-protocols' Awareness renews a client's state when it is this old (outdatedTimeout / 2). */
const AWARENESS_RENEWAL_MS = 15_000;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function timelineOf(updates: UpdateRecord[], windowStart: number): Array<[number, number, number]> {
  const seconds = new Map<number, number[]>();
  for (const update of updates) {
    const second = Math.floor((update.sentAt - windowStart) / 1000);
    seconds.set(second, [...(seconds.get(second) ?? []), update.maxArrival]);
  }
  return [...seconds.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([second, values]) => {
      const summary = summarize(values);
      return [second, Math.round((summary.p50 ?? 0) * 10) / 10, Math.round((summary.max ?? 0) * 10) / 10];
    });
}

/** "3 × 4400 too many awareness entries, 1 × 1006" — the last close of each client of a batch. */
function describeCloses(batch: BenchClient[]): string {
  const counts = new Map<string, number>();
  for (const client of batch) {
    if (!client.lastClose) continue;
    const key = `${client.lastClose.code}${client.lastClose.reason ? ` ${client.lastClose.reason}` : ""}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts.size ? `closes so far: ${[...counts].map(([key, n]) => `${n} × ${key}`).join(", ")}` : "no connection was closed";
}

export async function runLoad(target: Target, options: LoadOptions): Promise<LoadResult> {
  const { log } = options;
  const keyPrefix = `${randomBytes(4).toString("hex")}:`;
  const inbox = new Inbox();

  const updates: UpdateRecord[] = [];
  const editToClient = new SampleBuffer();
  let duplicates = 0;
  let foreign = 0;
  let unmatchedSaved = 0;
  let refused = 0;
  let setupDone = false;
  let recording = true;
  const disconnects: LoadResult["disconnects"] = [];

  const makeClient = clientFactory(options.client, {
    inbox,
    wsBase: target.wsBase,
    docName: target.docName,
    cookie: target.cookie,
    savedType: options.savedType,
    refusedType: options.refusedType,
    awarenessEcho: options.awarenessEcho,
    onKey(client, key, at) {
      if (!recording) return; // the late joiner's initial sync is not an edit to time
      if (!key.startsWith(keyPrefix)) return void foreign++;
      const update = updates[Number(key.slice(keyPrefix.length))];
      if (!update) return void foreign++;
      if (update.receivers[client.index]) return void duplicates++;
      update.receivers[client.index] = 1;
      update.received++;
      const latency = at - update.sentAt;
      if (latency > update.maxArrival) update.maxArrival = latency;
      if (update.measured) editToClient.push(latency);
    },
    onSaved(client, upTo) {
      // `saved n` covers every update-bearing message up to n on this connection; a `saved`
      // without a number is taken to answer the oldest pending edit.
      const pending = client.pendingSaves;
      let matched = 0;
      while (pending.length > 0 && (upTo === null ? matched === 0 : pending[0].conn === client.connection && pending[0].msg <= upTo)) {
        updates[(pending.shift() as { seq: number }).seq].savedAt = inbox.current;
        matched++;
      }
      if (matched === 0) unmatchedSaved++; // e.g. the answer to the sync step 2 sent on connecting
    },
    onRefused(client, msg) {
      refused++;
      const index = client.pendingSaves.findIndex((p) => p.conn === client.connection && p.msg === msg);
      if (index !== -1) client.pendingSaves.splice(index, 1);
    },
    onClose(client, code, reason) {
      // The late joiner (index N) reports through the convergence check instead.
      if (setupDone && client.index < options.clients) disconnects.push({ client: client.index, code, reason });
    },
  });

  const waitSynced = async (batch: BenchClient[], timeoutMs: number) => {
    const deadline = performance.now() + timeoutMs;
    while (batch.some((c) => !c.synced)) {
      const refused = batch.find((c) => !c.synced && (c.refusal || c.gaveUp));
      const close = refused && (refused.refusal ?? refused.lastClose);
      if (refused && close) {
        throw new Error(
          `the server closed the connection of client ${refused.index} with ${close.code} "${close.reason}"` +
            `${refused.refusal ? "" : " after it had synced"} (${describeCloses(batch)})`,
        );
      }
      if (performance.now() > deadline) {
        throw new Error(`${batch.filter((c) => !c.synced).length} clients did not sync within ${timeoutMs / 1000} s (${describeCloses(batch)})`);
      }
      await delay(10);
    }
  };

  const clients: BenchClient[] = [];
  let presenceTimers: NodeJS.Timeout[] = [];
  try {
    // ── Connect ──
    const connectStarted = performance.now();
    for (let i = 0; i < options.clients; i += options.connectBatch) {
      const batch: BenchClient[] = [];
      for (let j = i; j < Math.min(options.clients, i + options.connectBatch); j++) {
        const client = makeClient(j);
        clients.push(client);
        batch.push(client);
        client.connect();
      }
      await waitSynced(batch, 30_000);
    }
    const connectMs = performance.now() - connectStarted;
    log(`${options.clients} ${options.client} clients connected and synced (${Math.round(connectMs)} ms)`);
    await delay(1_000); // let the awareness fan-out of the last joiners settle
    setupDone = true;
    // Each client moves its cursor once at a random moment of the next 15 s. Besides being what
    // people do, this spreads the awareness renewals (every 15 s after a client's last change):
    // clients that all joined within a second would otherwise renew in the same second, a
    // synchronized burst of N × N awareness frames that real documents do not see.
    presenceTimers = clients.map((client) => setTimeout(() => client.movePresence(), Math.random() * AWARENESS_RENEWAL_MS));

    // ── Send ──
    const interval = 1000 / options.rate;
    const total = Math.round((options.warmupS + options.durationS) * options.rate);
    const warmupCount = Math.round(options.warmupS * options.rate);
    const text = "x".repeat(options.textLength);
    const send = (seq: number) => {
      const client = clients[seq % clients.length];
      const sentAt = performance.now();
      updates[seq] = {
        sender: client.index,
        sentAt,
        measured: seq >= warmupCount,
        received: 0,
        receivers: new Uint8Array(clients.length),
        maxArrival: -Infinity,
        savedAt: NaN,
      };
      const msg = client.edit(`${keyPrefix}${seq}`, { t: sentAt, s: `${text}${seq}` });
      if (options.expectSaved) client.pendingSaves.push({ seq, msg, conn: client.connection });
    };

    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    let elu = performance.eventLoopUtilization();
    let cpu = process.cpuUsage();
    let windowStart = 0;
    let measuring = false;
    let wireStart = { ...inbox.wire };
    const startWindow = () => {
      measuring = true;
      windowStart = performance.now();
      elu = performance.eventLoopUtilization();
      cpu = process.cpuUsage();
      loopDelay.enable();
      inbox.tracking = true;
      wireStart = { ...inbox.wire };
      options.onWindow?.("start");
    };
    const t0 = performance.now() + 20;
    await new Promise<void>((resolve) => {
      let next = 0;
      const tick = () => {
        const now = performance.now();
        while (next < total && t0 + next * interval <= now) {
          if (next === warmupCount && !measuring) startWindow();
          send(next++);
        }
        if (next >= total) return resolve();
        setTimeout(tick, Math.max(0, t0 + next * interval - performance.now()));
      };
      tick();
    });
    // The window lasts until the end of the last send's slot.
    await delay(Math.max(0, t0 + total * interval - performance.now()));
    if (!measuring) startWindow();
    const wireEnd = { ...inbox.wire };
    const windowEnd = performance.now();
    options.onWindow?.("stop");
    inbox.tracking = false;
    loopDelay.disable();
    const eluWindow = performance.eventLoopUtilization(elu);
    const cpuWindow = process.cpuUsage(cpu);
    const windowS = (windowEnd - windowStart) / 1000;

    // ── Drain ──
    const others = clients.length - 1;
    const complete = () => {
      // The raw clients read the edits off what they received only now (see ReceiptLog).
      for (const client of clients) client.processReceipts();
      return updates.every((u) => u.received >= others) && (!options.expectSaved || updates.every((u) => !Number.isNaN(u.savedAt)));
    };
    const drainDeadline = performance.now() + options.drainS * 1000;
    while (!complete() && performance.now() < drainDeadline) await delay(20);
    recording = false;

    // ── Figures ──
    const measured = updates.filter((u) => u.measured);
    const savedOnes = measured.filter((u) => !Number.isNaN(u.savedAt));
    return {
      clients: clients.length,
      clientKind: options.client,
      updatesSent: updates.length,
      measuredUpdates: measured.length,
      achievedRate: windowS > 0 ? measured.length / windowS : 0,
      connectMs: Math.round(connectMs),
      editToAll: summarize(measured.filter((u) => u.received >= others).map((u) => u.maxArrival)),
      editToClient: summarize(editToClient.view()),
      saved: options.expectSaved ? summarize(savedOnes.map((u) => u.savedAt - u.sentAt)) : null,
      receipts: {
        expected: updates.length * others,
        received: updates.reduce((sum, u) => sum + u.received, 0),
        duplicates,
        incompleteUpdates: updates.filter((u) => u.received < others).length,
        foreign,
      },
      savedMessages: options.expectSaved
        ? { expected: updates.length, matched: updates.filter((u) => !Number.isNaN(u.savedAt)).length, unmatched: unmatchedSaved, refused }
        : null,
      convergence: await checkConvergence(clients, updates.length, keyPrefix, () => makeClient(clients.length), waitSynced),
      disconnects,
      loadGenerator: {
        cpuPercent: windowS > 0 ? ((cpuWindow.user + cpuWindow.system) / 1e6 / windowS) * 100 : 0,
        eventLoopUtilization: eluWindow.utilization,
        eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        maxQueueingMs: inbox.maxQueueingMs,
      },
      timeline: timelineOf(measured.filter((u) => u.received >= others), windowStart),
      slowest: measured
        .filter((u) => u.received >= others)
        .sort((a, b) => b.maxArrival - a.maxArrival)
        .slice(0, 10)
        .map((u) => ({
          atS: (u.sentAt - windowStart) / 1000,
          editToAllMs: u.maxArrival,
          savedMs: Number.isNaN(u.savedAt) ? null : u.savedAt - u.sentAt,
        })),
      wire: {
        framesSentPerS: (wireEnd.framesSent - wireStart.framesSent) / windowS,
        bytesSentPerS: (wireEnd.bytesSent - wireStart.bytesSent) / windowS,
        framesReceivedPerS: (wireEnd.framesReceived - wireStart.framesReceived) / windowS,
        bytesReceivedPerS: (wireEnd.bytesReceived - wireStart.bytesReceived) / windowS,
      },
    };
  } finally {
    for (const timer of presenceTimers) clearTimeout(timer);
    for (const client of clients) client.destroy();
  }
}

/**
 * All clients hold the same state (same state vector, same map content), the map holds every
 * update sent, and a client that joins now receives all of it.
 */
async function checkConvergence(
  clients: BenchClient[],
  sent: number,
  keyPrefix: string,
  makeLateJoiner: () => BenchClient,
  waitSynced: (batch: BenchClient[], timeoutMs: number) => Promise<void>,
): Promise<LoadResult["convergence"]> {
  const reference = clients[0].state();
  const entries = reference.keys.filter((key) => key.startsWith(keyPrefix)).length;
  const problems: string[] = [];
  const have = new Set(reference.keys);
  let missing = 0;
  for (let seq = 0; seq < sent; seq++) if (!have.has(`${keyPrefix}${seq}`)) missing++;
  if (entries !== sent || missing > 0) problems.push(`client 0 holds ${entries} entries (${missing} of the ${sent} sent are missing)`);
  let diverged = 0;
  for (const client of clients.slice(1)) {
    const other = client.state();
    if (other.vector !== reference.vector || other.content !== reference.content) diverged++;
  }
  if (diverged > 0) problems.push(`${diverged} clients differ from client 0`);

  let lateJoiner = false;
  const late = makeLateJoiner();
  try {
    late.connect();
    await waitSynced([late], 15_000);
    const joined = late.state();
    lateJoiner = joined.content === reference.content && joined.vector === reference.vector;
    if (!lateJoiner) problems.push(`a late joiner got ${joined.keys.length} entries, not the same state`);
  } catch (error) {
    problems.push(`late joiner: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    late.destroy();
  }
  return { converged: problems.length === 0, lateJoiner, entries, detail: problems.length ? problems.join("; ") : null };
}
