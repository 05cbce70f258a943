import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { io as connect, type Socket } from "socket.io-client";
import WebSocket from "ws";
import * as Y from "yjs";
import { messageAccess, messageRefused, messageSaved } from "../../../app/features/collab/protocol.ts";
import type { Fixtures } from "./fixtures.ts";
import type { CallerKey, HttpCase, HttpEntry, Outcome } from "./matrix.ts";

/** One case's result: what was expected, what came back, and whether they agree. */
export interface CaseResult {
  id: string;
  expected: Outcome;
  /** "allow" | "deny" | "projected" (redirects count as allowed). */
  observed: "allow" | "deny" | "projected" | "other";
  actual: string;
  problem: string | null;
  /** Expected a refusal, got through: the isolation failure this matrix exists to catch. */
  unexpectedSuccess: boolean;
}

export interface HttpAnswer {
  status: number;
  location: string | null;
  body: any;
}

export async function httpRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: { cookie?: string; body?: unknown; form?: Record<string, string> },
): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  let payload: string | undefined;
  if (options.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams(options.form).toString();
  } else if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(options.body);
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload, redirect: "manual" });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  // Single fetch (`.data` requests) answers a redirect as 202 with the target in a header.
  const singleFetchRedirect = response.status === 202 ? (response.headers.get("x-remix-redirect") ?? response.headers.get("location")) : null;
  if (singleFetchRedirect) return { status: 302, location: singleFetchRedirect, body };
  return { status: response.status, location: response.headers.get("location"), body };
}

const is2xx = (status: number) => status >= 200 && status < 300;
const isRedirect = (status: number) => [301, 302, 303, 307, 308].includes(status);
const sameList = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** Did this answer get past authorization? (A write probe's `passed` signature, else any 2xx.) */
function passedAuthorization(entry: HttpEntry, answer: HttpAnswer): boolean {
  const passed = entry.passed;
  if (!passed) return is2xx(answer.status);
  if (answer.status !== passed.status) return false;
  if (passed.code && answer.body?.error?.code !== passed.code) return false;
  if (passed.message && !passed.message.test(String(answer.body?.error?.message ?? ""))) return false;
  return true;
}

export function judgeHttp(id: string, entry: HttpEntry, kase: HttpCase, fx: Fixtures, expected: Outcome, answer: HttpAnswer): CaseResult {
  const through = passedAuthorization(entry, answer) || (!entry.passed && isRedirect(answer.status) && expected.kind === "redirect");
  const errorCode = answer.body?.error?.code ?? answer.body?.code;
  let actual = `${answer.status}${errorCode ? ` ${errorCode}` : ""}${answer.location ? ` → ${answer.location}` : ""}`;
  let problem: string | null = null;
  switch (expected.kind) {
    case "allow":
      if (!through) problem = `expected allow${entry.passed ? ` (${entry.passed.status}${entry.passed.code ? ` ${entry.passed.code}` : ""})` : " (2xx)"}`;
      break;
    case "deny":
      if (expected.as === 302) {
        if (!isRedirect(answer.status) || !answer.location?.startsWith("/login")) problem = "expected a redirect to /login";
      } else if (answer.status !== expected.as) problem = `expected ${expected.as}`;
      break;
    case "projected": {
      if (!is2xx(answer.status)) {
        problem = "expected 2xx (projected)";
        break;
      }
      const seen = kase.view ? kase.view(answer.body, fx) : [];
      actual += ` sees [${seen.join(", ")}]`;
      if (!kase.view) problem = "projected outcome without a view";
      else if (!sameList(seen, expected.sees)) problem = `expected to see exactly [${expected.sees.join(", ")}]`;
      break;
    }
    case "redirect":
      if (!isRedirect(answer.status) || !expected.to.test(answer.location ?? "")) problem = `expected a redirect to ${expected.to}`;
      break;
  }
  const observed = through ? (kase.view && expected.kind === "projected" ? "projected" : "allow") : [401, 403, 404].includes(answer.status) || (isRedirect(answer.status) && answer.location?.startsWith("/login")) ? "deny" : isRedirect(answer.status) ? "allow" : "other";
  return { id, expected, observed, actual, problem, unexpectedSuccess: expected.kind === "deny" && (through || (isRedirect(answer.status) && !answer.location?.startsWith("/login"))) };
}

// ───────────── Socket.IO ─────────────

export type LiveSocket = Socket;

/** Connects with the caller's cookie; resolves with the socket, or with the connect_error message. */
export function openSocket(baseUrl: string, cookie: string | undefined): Promise<{ socket: LiveSocket | null; refused: string | null }> {
  const socket = connect(baseUrl, {
    path: "/socket.io",
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: cookie ? { cookie } : {},
  });
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ socket, refused: null }));
    socket.once("connect_error", (error) => {
      socket.close();
      resolve({ socket: null, refused: error.message });
    });
  });
}

export function judgeAck(id: string, expected: Outcome, passed: string | undefined, ack: { ok: boolean; code?: string } | null, refused: string | null): CaseResult {
  const code = refused ?? (ack?.ok ? null : (ack?.code ?? "no ack"));
  const through = ack?.ok === true || (passed !== undefined && code === passed);
  const actual = refused ? `connect_error ${refused}` : ack?.ok ? "ok" : `refused ${code}`;
  let problem: string | null = null;
  if (expected.kind === "allow" && !through) problem = `expected ${passed ? `ok or ${passed}` : "ok"}`;
  if (expected.kind === "deny" && code !== expected.as) problem = `expected ${expected.as}`;
  if (expected.kind === "projected" || expected.kind === "redirect") problem = "not an outcome of a socket event";
  return {
    id,
    expected,
    observed: through ? "allow" : ["unauthenticated", "forbidden", "not_found"].includes(code ?? "") ? "deny" : "other",
    actual,
    problem,
    unexpectedSuccess: expected.kind === "deny" && through,
  };
}

// ───────────── /yjs/ ─────────────

/**
 * Opens `/yjs/<docName>` with the cookie. A refused upgrade closes with a named code; an accepted
 * one first sends `access` ([102, flags], bit 0 = read-only). A read-only connection also sends
 * one update, which must be refused (`refused`, [101, seq, "read_only"]).
 */
export function openDocument(baseUrl: string, docName: string, cookie: string | undefined): Promise<{ closed?: number; readOnly?: boolean; writeRefused?: boolean }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace("http://", "ws://")}/yjs/${docName}`, { headers: cookie ? { cookie } : {} });
    ws.binaryType = "nodebuffer";
    let readOnly: boolean | undefined;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`/yjs/${docName}: no answer within 5 s`));
    }, 5_000);
    const finish = (value: { closed?: number; readOnly?: boolean; writeRefused?: boolean }) => {
      clearTimeout(timer);
      ws.removeAllListeners("close");
      ws.on("close", () => {});
      ws.close();
      resolve(value);
    };
    ws.on("error", () => {});
    ws.on("close", (code) => {
      clearTimeout(timer);
      resolve({ closed: code, readOnly });
    });
    ws.on("message", (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      const type = decoding.readVarUint(decoder);
      if (type === messageAccess) {
        readOnly = (decoding.readVarUint(decoder) & 1) === 1;
        if (!readOnly) return finish({ readOnly });
        // Try to write: a y-websocket update message (sync, update).
        const doc = new Y.Doc();
        doc.getText("chart").insert(0, "隔離テスト");
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, 0);
        encoding.writeVarUint(encoder, 2);
        encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc));
        ws.send(encoding.toUint8Array(encoder));
      } else if (type === messageRefused) {
        finish({ readOnly, writeRefused: true });
      } else if (type === messageSaved) {
        // The read-only connection's write was stored: a hole.
        finish({ readOnly, writeRefused: false });
      }
    });
  });
}

export function judgeDocument(id: string, expected: Outcome, result: { closed?: number; readOnly?: boolean; writeRefused?: boolean }): CaseResult {
  const opened = result.closed === undefined;
  const actual = opened ? (result.readOnly ? `read-only${result.writeRefused ? ", write refused" : ""}` : "read-write") : `closed ${result.closed}`;
  let problem: string | null = null;
  if (expected.kind === "allow" && !(opened && result.readOnly === false)) problem = "expected read-write";
  if (expected.kind === "projected" && !(opened && result.readOnly && result.writeRefused)) problem = "expected read-only with the write refused";
  if (expected.kind === "deny" && result.closed !== expected.as) problem = `expected close ${expected.as}`;
  return {
    id,
    expected,
    observed: opened ? (result.readOnly ? "projected" : "allow") : "deny",
    actual,
    problem,
    unexpectedSuccess: (expected.kind === "deny" && opened) || (expected.kind === "projected" && opened && !(result.readOnly && result.writeRefused)),
  };
}

export type { CallerKey };
