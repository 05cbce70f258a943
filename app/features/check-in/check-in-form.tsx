import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import type { OutcomeMessages } from "~/features/outcomes/messages";
import {
  enqueue,
  flushQueue,
  newIdempotencyKey,
  outcomeOfStatus,
  readQueue,
  type QueuedCheckIn,
  type SendOutcome,
} from "./offline-queue";

/** What the server answers for a check-in (server/domain/check-in.ts CheckInResult), as the page uses it. */
export interface CheckInAnswer {
  status: "recorded" | "duplicate";
  action: "in" | "out";
  at: string;
  participation: { minutes: number | null };
}

type Notice =
  | { kind: "answer"; answer: CheckInAnswer; later: boolean }
  | { kind: "queued" }
  /** The server said "too many attempts" (429): kept on the phone, sent after Retry-After. */
  | { kind: "busy" }
  | { kind: "sending" }
  | { kind: "error"; code: string | null; reason: string | null };

/** Re-sends the queue this often while it is not empty (besides `online` and page load). @default 15 s */
const RETRY_MS = 15_000;

async function send(item: QueuedCheckIn): Promise<SendOutcome> {
  const response = await fetch(`/api/v1/check-in/${encodeURIComponent(item.code)}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify({ referenceCode: item.referenceCode, action: item.action, key: item.key, at: item.at }),
  });
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  return outcomeOfStatus(response.status, body, response.headers.get("Retry-After"));
}

/**
 * The check-in form of /c/<code>. Without JavaScript it is a plain POST (the route's action).
 * With JavaScript every press goes into the phone's queue first (localStorage, with a fresh
 * idempotency key and the press time) and is sent from there: at once when online, else when
 * the connection returns. The server records each key once.
 */
export function CheckInForm({
  code,
  formKey,
  signedInResident,
  t,
  formatTime,
  formatMinutes,
  defaultReference,
}: {
  code: string;
  /** The key of the no-JavaScript POST (made by the loader for this rendering). */
  formKey: string;
  signedInResident: boolean;
  t: OutcomeMessages;
  formatTime: (iso: string) => string;
  formatMinutes: (minutes: number) => string;
  defaultReference?: string;
}) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const [waiting, setWaiting] = useState(0);
  // Set once hydrated: from then on presses go through the queue (tests wait for it).
  const [ready, setReady] = useState(false);
  const flushing = useRef(false);
  // After a 429: no automatic resend before this time (Retry-After); a press of the button still sends.
  const notBefore = useRef(0);

  const flush = useCallback(async (fromQueue: boolean) => {
    if (flushing.current) return;
    flushing.current = true;
    try {
      const { stoppedBy } = await flushQueue(window.localStorage, send, (_item, outcome) => {
        const body = outcome.body as (CheckInAnswer & { error?: { code?: string; details?: { reason?: string } } }) | null;
        if (outcome.status < 300 && body && "action" in body) setNotice({ kind: "answer", answer: body, later: fromQueue });
        else setNotice({ kind: "error", code: body?.error?.code ?? null, reason: body?.error?.details?.reason ?? null });
      });
      if (stoppedBy?.rateLimited) {
        notBefore.current = Date.now() + (stoppedBy.retryAfterMs ?? RETRY_MS);
        setNotice({ kind: "busy" });
      }
    } finally {
      flushing.current = false;
      setWaiting(readQueue(window.localStorage).length);
    }
  }, []);

  useEffect(() => {
    setReady(true);
    setWaiting(readQueue(window.localStorage).length);
    void flush(true);
    const onOnline = () => void flush(true);
    window.addEventListener("online", onOnline);
    const timer = window.setInterval(() => {
      if (readQueue(window.localStorage).length > 0 && navigator.onLine && Date.now() >= notBefore.current) void flush(true);
    }, RETRY_MS);
    return () => {
      window.removeEventListener("online", onOnline);
      window.clearInterval(timer);
    };
  }, [flush]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const action = submitter?.value === "out" ? "out" : "in";
    const form = new FormData(event.currentTarget);
    const reference = String(form.get("referenceCode") ?? "").trim();
    enqueue(window.localStorage, {
      key: newIdempotencyKey(),
      code,
      ...(reference ? { referenceCode: reference } : {}),
      action,
      at: new Date().toISOString(),
    });
    setWaiting(readQueue(window.localStorage).length);
    if (!navigator.onLine) {
      setNotice({ kind: "queued" });
      return;
    }
    setNotice({ kind: "sending" });
    await flush(false);
    if (readQueue(window.localStorage).length > 0) setNotice((now) => (now?.kind === "busy" ? now : { kind: "queued" }));
  }

  return (
    <>
      <form method="post" className="form card check-in-form" onSubmit={onSubmit} noValidate data-queue={ready ? "on" : undefined}>
        <input type="hidden" name="key" value={formKey} />
        {signedInResident ? (
          <p className="field__hint">{t.checkInSignedInAs}</p>
        ) : (
          <div className="field">
            <label htmlFor="check-in-ref">{t.checkInRefLabel}</label>
            <p id="check-in-ref-hint" className="field__hint">
              {t.checkInRefHint}
            </p>
            <input
              id="check-in-ref"
              name="referenceCode"
              required
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              maxLength={40}
              defaultValue={defaultReference}
              aria-describedby="check-in-ref-hint"
            />
          </div>
        )}
        <div className="check-in-form__buttons">
          <button type="submit" name="action" value="in" className="button button--wide">
            {t.checkInIn}
          </button>
          <button type="submit" name="action" value="out" className="button button--wide button--secondary">
            {t.checkInOut}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite" className="check-in-status" data-waiting={waiting}>
        {notice?.kind === "sending" ? <p>{t.checkInSending}</p> : null}
        {notice?.kind === "queued" ? <p className="alert alert--warning">{t.checkInQueued}</p> : null}
        {notice?.kind === "busy" ? (
          <p className="alert alert--warning" data-check-in-busy>
            {t.checkInTooManyQueued}
          </p>
        ) : null}
        {notice?.kind === "answer" ? (
          <div className="alert alert--success" data-check-in-status={notice.answer.status}>
            {notice.later ? <p>{t.checkInSentLater}</p> : null}
            <p>{notice.answer.status === "duplicate" ? t.checkInDuplicate : t.checkInRecorded(notice.answer.action, formatTime(notice.answer.at))}</p>
            {notice.answer.participation.minutes != null ? <p>{t.checkInMinutes(formatMinutes(notice.answer.participation.minutes))}</p> : null}
          </div>
        ) : null}
        {notice?.kind === "error" ? (
          <p className="alert alert--error">{errorText(t, notice.code, notice.reason)}</p>
        ) : null}
        {waiting > 0 && notice?.kind !== "queued" && notice?.kind !== "busy" ? <p className="field__hint">{t.checkInQueueWaiting(waiting)}</p> : null}
      </div>
    </>
  );
}

/** A refusal in the reader's language (the API's message is bilingual; these are shorter). */
export function errorText(t: OutcomeMessages, code: string | null, reason: string | null): string {
  if (code === "not_found") return t.checkInNotFound;
  if (code === "rate_limited") return t.checkInTooMany;
  if (reason === "outside_window") return t.checkInOutside;
  return t.checkInFailed;
}
