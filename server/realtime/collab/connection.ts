import * as decoding from "lib0/decoding";
import * as syncProtocol from "y-protocols/sync";
import { CollabCloseCode, messageAwareness, messageQueryAwareness, messageSync } from "../../../app/features/collab/protocol.ts";
import type { PresenceIdentity } from "./awareness.ts";
import type { CollabDocument } from "./document.ts";
import type { CollabStats } from "./stats.ts";
import { TokenBucket } from "./token-bucket.ts";
import { scanStateVector, type UpdateScanLimits } from "./update-scan.ts";

/** The socket under a connection (a `ws` WebSocket in production, a fake in unit tests). */
export interface CollabTransport {
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes queued for sending and not yet written to the network. */
  readonly bufferedAmount: number;
}

export interface ConnectionIdentity extends PresenceIdentity {
  userId: string;
  sessionId: string | null;
}

export interface ConnectionLimits {
  /** Messages per second, sustained. @default 100 */
  ratePerSecond: number;
  /** Messages in a burst. @default 200 */
  rateBurst: number;
  /** A connection whose unsent bytes exceed this is closed (slow reader). @default 16 MiB */
  maxBufferedBytes: number;
  scanLimits: UpdateScanLimits;
}

/**
 * One client's WebSocket on one document: parses and checks every message, rate-limits, and
 * numbers its update-bearing messages so that `saved` / `refused` can answer each one in order.
 * Never throws out of `receive`: a bad message closes this connection only.
 */
/** How many times the edit budget awareness messages get (see `awarenessBucket`). */
const AWARENESS_RATE_FACTOR = 10;

export class CollabConnection {
  /** Awareness client ids this connection speaks for. */
  readonly awarenessIds = new Set<number>();
  /** Bytes of this connection's updates queued and not stored yet. */
  unsavedBytes = 0;
  /** An append of this connection failed; its later queued writes are dropped. */
  storeFailed = false;
  closed = false;
  private seq = 0;
  private readonly bucket: TokenBucket;
  /**
   * Awareness has its own, larger budget: the stock provider echoes every awareness update it
   * hears, so in a meeting of 30 people moving cursors a well-behaved client sends far more
   * awareness than edits. Echoes are cheap to drop; edits are what the main bucket protects.
   */
  private readonly awarenessBucket: TokenBucket;

  constructor(
    private readonly transport: CollabTransport,
    readonly document: CollabDocument,
    readonly identity: ConnectionIdentity,
    readonly readOnly: boolean,
    private readonly limits: ConnectionLimits,
    private readonly stats: CollabStats,
    private readonly onClosed: (conn: CollabConnection) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.bucket = new TokenBucket(limits.ratePerSecond, limits.rateBurst, now());
    this.awarenessBucket = new TokenBucket(limits.ratePerSecond * AWARENESS_RATE_FACTOR, limits.rateBurst * AWARENESS_RATE_FACTOR, now());
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** One binary message from the client. */
  receive(message: Uint8Array): void {
    if (this.closed) return;
    const bucket = message[0] === messageAwareness ? this.awarenessBucket : this.bucket;
    if (!bucket.take(this.now())) {
      this.stats.rateLimited++;
      this.close(CollabCloseCode.rateLimited, "rate limit exceeded");
      return;
    }
    let problem: string | null;
    try {
      problem = this.handle(message);
    } catch {
      problem = "invalid message";
    }
    if (problem !== null) {
      this.stats.rejectedMessages++;
      this.close(CollabCloseCode.badMessage, problem.slice(0, 120));
    }
  }

  private handle(message: Uint8Array): string | null {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case messageSync: {
        const syncType = decoding.readVarUint(decoder);
        const body = decoding.readVarUint8Array(decoder);
        if (decoding.hasContent(decoder)) return "trailing bytes";
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          const scan = scanStateVector(body, this.limits.scanLimits);
          if (!scan.ok) return `invalid state vector: ${scan.reason}`;
          this.document.receiveStateVector(this, new Uint8Array(body));
          return null;
        }
        if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          return this.document.receiveUpdate(this, body);
        }
        return "unknown sync message";
      }
      case messageAwareness: {
        const body = decoding.readVarUint8Array(decoder);
        if (decoding.hasContent(decoder)) return "trailing bytes";
        return this.document.receiveAwareness(this, body);
      }
      case messageQueryAwareness:
        if (decoding.hasContent(decoder)) return "trailing bytes";
        this.document.sendAwarenessStates(this);
        return null;
      default:
        return "unknown message type";
    }
  }

  send(message: Uint8Array): void {
    if (this.closed) return;
    if (this.transport.bufferedAmount > this.limits.maxBufferedBytes) {
      this.close(CollabCloseCode.tryAgainLater, "too slow to receive");
      return;
    }
    try {
      this.transport.send(message);
    } catch {
      this.close(CollabCloseCode.tryAgainLater, "send failed");
    }
  }

  /** Too many unsaved updates queued: the client reconnects later and resends them. */
  overloaded(): void {
    this.close(CollabCloseCode.tryAgainLater, "too many unsaved updates");
  }

  /** An append failed: the client is told (`refused`), and reconnects to resync. */
  storeFailure(): void {
    this.storeFailed = true;
    this.close(CollabCloseCode.unavailable, "document could not be saved");
  }

  /** Closes the socket (if still open) and leaves the document. Idempotent. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.transport.close(code, reason);
    } catch {
      // already closed
    }
    this.onClosed(this);
  }

  /** The socket closed by itself (client left, network). */
  transportClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed(this);
  }
}
