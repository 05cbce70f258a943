/**
 * The phone's check-in queue (issue 9: a weak connection at the site). A check-in is first put
 * in localStorage with its idempotency key and the time the button was pressed, then sent; it
 * leaves the queue only when the server has answered (recorded, duplicate, or a refusal that a
 * resend cannot change). Sent again on `online`, on page load and every little while, so it
 * reaches the server once the connection returns; the server stores it once per key
 * (docs/decisions/051-check-in-codes-and-offline-queue.md).
 */
export interface QueuedCheckIn {
  key: string;
  code: string;
  referenceCode?: string;
  action: "in" | "out";
  /** ISO time the button was pressed. */
  at: string;
}

export type SendOutcome =
  | { kind: "done"; status: number; body: unknown }
  /**
   * Not sent (offline, timeout, 5xx, 429): keep it and try again later. `rateLimited` when the
   * server refused it as too many attempts (429), with its Retry-After when it sent one.
   */
  | { kind: "retry"; rateLimited?: boolean; retryAfterMs?: number };

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const QUEUE_STORAGE_KEY = "tsunagu.check-in.queue.v1";
/** Oldest first; a queue longer than this drops its oldest (a phone left in a drawer for weeks). */
export const QUEUE_LIMIT = 50;

export function readQueue(storage: StorageLike): QueuedCheckIn[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(QUEUE_STORAGE_KEY) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter(isQueued) : [];
  } catch {
    return [];
  }
}

function isQueued(value: unknown): value is QueuedCheckIn {
  const v = value as QueuedCheckIn;
  return !!v && typeof v.key === "string" && typeof v.code === "string" && (v.action === "in" || v.action === "out") && typeof v.at === "string";
}

function writeQueue(storage: StorageLike, items: QueuedCheckIn[]): void {
  storage.setItem(QUEUE_STORAGE_KEY, JSON.stringify(items.slice(-QUEUE_LIMIT)));
}

/** Adds an item (once per key). */
export function enqueue(storage: StorageLike, item: QueuedCheckIn): void {
  const items = readQueue(storage);
  if (items.some((i) => i.key === item.key)) return;
  writeQueue(storage, [...items, item]);
}

export function removeFromQueue(storage: StorageLike, key: string): void {
  writeQueue(
    storage,
    readQueue(storage).filter((i) => i.key !== key),
  );
}

/**
 * Sends every queued item in order, one at a time. An item the server answered leaves the queue;
 * the first one that must be retried stops the flush (the connection is probably gone again), so
 * a check-out is never sent before its check-in.
 */
export async function flushQueue(
  storage: StorageLike,
  send: (item: QueuedCheckIn) => Promise<SendOutcome>,
  onAnswer: (item: QueuedCheckIn, outcome: Extract<SendOutcome, { kind: "done" }>) => void = () => {},
): Promise<{ sent: number; left: number; stoppedBy?: Extract<SendOutcome, { kind: "retry" }> }> {
  let sent = 0;
  for (const item of readQueue(storage)) {
    let outcome: SendOutcome;
    try {
      outcome = await send(item);
    } catch {
      outcome = { kind: "retry" };
    }
    if (outcome.kind === "retry") return { sent, left: readQueue(storage).length, stoppedBy: outcome };
    removeFromQueue(storage, item.key);
    sent++;
    onAnswer(item, outcome);
  }
  return { sent, left: readQueue(storage).length };
}

/**
 * How an HTTP answer counts: 2xx and 4xx are final (except 408 and 429); the rest is retried.
 * A 429 (too many check-in attempts from this address or for this code, decision 055) is never a
 * refusal of the check-in itself: the item stays, and is sent again after `Retry-After` seconds.
 */
export function outcomeOfStatus(status: number, body: unknown, retryAfterHeader?: string | null): SendOutcome {
  if (status === 429) {
    const seconds = Number(retryAfterHeader);
    return { kind: "retry", rateLimited: true, ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: Math.min(seconds, 3_600) * 1000 } : {}) };
  }
  if (status === 408 || status >= 500 || status === 0) return { kind: "retry" };
  return { kind: "done", status, body };
}

/** A fresh idempotency key: 32 hex characters from the browser's CSPRNG (works on plain http too). */
export function newIdempotencyKey(cryptoLike: Pick<Crypto, "getRandomValues"> = globalThis.crypto): string {
  const bytes = cryptoLike.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
