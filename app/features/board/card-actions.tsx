import { useEffect, useId, useState } from "react";
import { intlLocale, localized, type Locale } from "~/lib/i18n";
import { fetchOrganizations, fetchResidentForCard, postHandoff, postNote, postOutcome, type ActionResult } from "./board-api";
import { toBoardCard, type BoardCard } from "./board-state";
import type { DetailMessages } from "./detail-messages";

/** What GET /api/v1/matches/:id adds for the card detail (decisions 032, 033). */
export interface CardExtras {
  access: { readNotes: boolean; act: boolean };
  notes: Array<{ id: string; text: string; author: string | null; createdAt: string }> | null;
  outcome: { attended: boolean | null; minutes: number | null; rating: number | null } | null;
}

export function extrasOf(raw: Record<string, unknown>): CardExtras {
  const access = (raw.access ?? {}) as Partial<CardExtras["access"]>;
  return {
    access: { readNotes: access.readNotes === true, act: access.act === true },
    notes: Array.isArray(raw.notes) ? (raw.notes as CardExtras["notes"]) : null,
    outcome: raw.outcome && typeof raw.outcome === "object" ? (raw.outcome as CardExtras["outcome"]) : null,
  };
}

function failure(m: DetailMessages, result: Extract<ActionResult, { ok: false }>): string {
  if (result.reason === "no_consent") return m.handoffNoConsent;
  if (result.reason === "not_involved" || result.status === 403) return m.actionForbidden;
  if (result.reason === "not_booked") return m.outcomeNotBooked;
  if (result.reason === "not_started") return m.outcomeNotStarted;
  if (result.status === 409) return m.actionConflict;
  return result.message ?? m.actionFailed;
}

/** Notes: listed for involved organizations, added by their coordinators; live (the board passes a stamp). */
export function NotesSection({
  card,
  extras,
  m,
  locale,
  timeZone,
  onAdded,
}: {
  card: BoardCard;
  extras: CardExtras;
  m: DetailMessages;
  locale: Locale;
  timeZone: string;
  onAdded(): void;
}) {
  const [text, setText] = useState("");
  const [state, setState] = useState<"idle" | "saving" | "failed">("idle");
  const fieldId = useId();
  const when = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: "short", timeZone });
  return (
    <section className="board-detail__section" aria-labelledby={`${fieldId}-h`}>
      <h3 id={`${fieldId}-h`}>{m.notesTitle}</h3>
      {extras.notes === null ? (
        <p className="board-detail__note">{m.notesHidden}</p>
      ) : extras.notes.length === 0 ? (
        <p>{m.notesEmpty}</p>
      ) : (
        <ul className="board-detail__notes" data-testid="notes">
          {extras.notes.map((note) => (
            <li key={note.id}>
              <p className="board-detail__note-text">{note.text}</p>
              <p className="board-detail__actor">{m.notesBy(note.author, when.format(new Date(note.createdAt)))}</p>
            </li>
          ))}
        </ul>
      )}
      {extras.access.act ? (
        <form
          className="board-detail__form"
          onSubmit={(event) => {
            event.preventDefault();
            if (!text.trim()) return;
            setState("saving");
            void postNote(card.id, text).then((result) => {
              if (!result.ok) return setState("failed");
              setText("");
              setState("idle");
              onAdded();
            });
          }}
        >
          <label htmlFor={fieldId}>{m.notesLabel}</label>
          <textarea id={fieldId} rows={2} maxLength={2000} value={text} onChange={(event) => setText(event.target.value)} />
          <button type="submit" className="button button--small" disabled={state === "saving" || !text.trim()}>
            {state === "saving" ? m.notesSaving : m.notesAdd}
          </button>
          {state === "failed" ? (
            <span role="alert" className="board-detail__error">
              {m.notesFailed}
            </span>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}

/**
 * Contact actions: the person behind the card is read on request through the projection
 * (GET /matches/:id/resident, audited); phone and e-mail links appear only for the fields it
 * returns, otherwise the reason they are hidden.
 */
export function ContactSection({ card, canMove, m }: { card: BoardCard; canMove: boolean; m: DetailMessages }) {
  const [state, setState] = useState<"idle" | "loading" | "failed" | { name?: string; phone?: string | null; email?: string | null; hasContact: boolean }>("idle");
  const headingId = useId();
  return (
    <section className="board-detail__section" aria-labelledby={headingId}>
      <h3 id={headingId}>{m.contactTitle}</h3>
      {state === "idle" || state === "loading" ? (
        <p>
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={state === "loading"}
            onClick={() => {
              setState("loading");
              void fetchResidentForCard(card.id).then((result) => {
                if (!result.ok) return setState("failed");
                const r = result.body;
                const fields = Array.isArray(r.visibleFields) ? (r.visibleFields as string[]) : [];
                setState({
                  name: typeof r.name === "string" ? r.name : undefined,
                  phone: typeof r.phone === "string" ? r.phone : null,
                  email: typeof r.email === "string" ? r.email : null,
                  hasContact: fields.includes("contact"),
                });
              });
            }}
          >
            {m.contactShow}
          </button>{" "}
          <span className="board-detail__note">{m.contactAudited}</span>
        </p>
      ) : state === "failed" ? (
        <p className="board-detail__error">{m.contactFailed}</p>
      ) : (
        <div data-testid="contact">
          {state.name ? <p>{m.contactName(state.name)}</p> : null}
          {!state.hasContact ? (
            <p className="board-detail__note">{canMove ? m.contactHiddenConsent : m.contactHiddenViewer}</p>
          ) : state.phone || state.email ? (
            <ul className="board-detail__contact">
              {state.phone ? (
                <li>
                  <a className="button button--secondary button--small" href={`tel:${state.phone.replace(/[^\d+]/g, "")}`}>
                    {m.contactPhone}: {state.phone}
                  </a>
                </li>
              ) : null}
              {state.email ? (
                <li>
                  <a className="button button--secondary button--small" href={`mailto:${state.email}`}>
                    {m.contactEmail}: {state.email}
                  </a>
                </li>
              ) : null}
            </ul>
          ) : (
            <p>{m.contactNone}</p>
          )}
        </div>
      )}
    </section>
  );
}

/** Hand the card to another organization of the workspace (refused without the resident's consent). */
export function HandoffSection({
  card,
  workspaceId,
  m,
  locale,
  onCard,
}: {
  card: BoardCard;
  workspaceId: string;
  m: DetailMessages;
  locale: Locale;
  onCard(card: BoardCard): void;
}) {
  const [orgs, setOrgs] = useState<Array<{ id: string; name: string; nameEn?: string | null }>>([]);
  const [target, setTarget] = useState("");
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  useEffect(() => {
    let cancelled = false;
    void fetchOrganizations(workspaceId).then((result) => {
      if (!cancelled && result.ok) setOrgs(result.body.items);
    });
    return () => {
      cancelled = true;
    };
  }, [workspaceId]);
  const candidates = orgs.filter((o) => o.id !== card.handledBy?.id);
  return (
    <section className="board-detail__section" aria-labelledby={`${fieldId}-h`}>
      <h3 id={`${fieldId}-h`}>{m.handoffTitle}</h3>
      {card.handledBy ? <p>{m.handoffCurrent(localized(locale, card.handledBy.name, card.handledBy.nameEn ?? null))}</p> : null}
      <form
        className="board-detail__form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!target) return;
          setBusy(true);
          void postHandoff(card.id, target, card.version).then((result) => {
            setBusy(false);
            if (!result.ok) return setStatus(failure(m, result));
            const next = toBoardCard(result.body);
            if (next) onCard(next);
            setStatus(m.handoffDone);
          });
        }}
      >
        <label htmlFor={fieldId}>{m.handoffLabel}</label>
        <select id={fieldId} value={target} onChange={(event) => setTarget(event.target.value)}>
          <option value="">{m.handoffChoose}</option>
          {candidates.map((o) => (
            <option key={o.id} value={o.id}>
              {localized(locale, o.name, o.nameEn ?? null)}
            </option>
          ))}
        </select>
        <button type="submit" className="button button--secondary button--small" disabled={!target || busy}>
          {m.handoff}
        </button>
      </form>
      <p className="board-detail__note">{m.handoffHelp}</p>
      {status ? (
        <p role="status" className="board-detail__status" data-testid="handoff-status">
          {status}
        </p>
      ) : null}
    </section>
  );
}

const BOOKED = ["CONFIRMED", "ACTIVE", "COMPLETED"];

/** Record attended / hours / rating: Participation, which the continuation KPIs count. */
export function OutcomeSection({
  card,
  extras,
  m,
  now,
  autoFocus,
  onCard,
}: {
  card: BoardCard;
  extras: CardExtras;
  m: DetailMessages;
  now: number;
  autoFocus: boolean;
  onCard(card: BoardCard): void;
}) {
  const [attended, setAttended] = useState<"yes" | "no">(extras.outcome?.attended === false ? "no" : "yes");
  const [hours, setHours] = useState(extras.outcome?.minutes != null && extras.outcome.attended ? String(extras.outcome.minutes / 60) : "");
  const [rating, setRating] = useState(extras.outcome?.rating != null ? String(extras.outcome.rating) : "");
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const booked = BOOKED.includes(card.stage);
  const started = Date.parse(card.shift.startsAt) <= now;
  return (
    <section className="board-detail__section" aria-labelledby={`${id}-h`} data-testid="outcome">
      <h3 id={`${id}-h`}>{m.outcomeTitle}</h3>
      {extras.outcome ? <p>{m.outcomeCurrent(extras.outcome.attended, extras.outcome.minutes, extras.outcome.rating)}</p> : null}
      {!booked ? (
        <p className="board-detail__note">{m.outcomeNotBooked}</p>
      ) : !started ? (
        <p className="board-detail__note">{m.outcomeNotStarted}</p>
      ) : (
        <form
          className="board-detail__form board-detail__outcome"
          onSubmit={(event) => {
            event.preventDefault();
            const h = hours.trim() === "" ? null : Number(hours);
            setBusy(true);
            void postOutcome(card.id, { attended: attended === "yes", hours: attended === "yes" ? h : null, rating: rating ? Number(rating) : null }, card.version).then(
              (result) => {
                setBusy(false);
                if (!result.ok) return setStatus(failure(m, result));
                const next = toBoardCard(result.body);
                if (next) onCard(next);
                setStatus(m.outcomeSaved);
              },
            );
          }}
        >
          <fieldset>
            <legend>{m.outcomeAttended}</legend>
            <label>
              <input type="radio" name={`${id}-attended`} value="yes" checked={attended === "yes"} onChange={() => setAttended("yes")} autoFocus={autoFocus} /> {m.outcomeYes}
            </label>{" "}
            <label>
              <input type="radio" name={`${id}-attended`} value="no" checked={attended === "no"} onChange={() => setAttended("no")} /> {m.outcomeNo}
            </label>
          </fieldset>
          <label htmlFor={`${id}-hours`}>{m.outcomeHours}</label>
          <input id={`${id}-hours`} type="number" min={0} max={24} step={0.25} inputMode="decimal" value={hours} disabled={attended === "no"} onChange={(event) => setHours(event.target.value)} />
          <label htmlFor={`${id}-rating`}>{m.outcomeRating}</label>
          <select id={`${id}-rating`} value={rating} onChange={(event) => setRating(event.target.value)}>
            <option value="">{m.outcomeRatingNone}</option>
            {[1, 2, 3, 4, 5].map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <button type="submit" className="button button--small" disabled={busy}>
            {m.outcomeSave}
          </button>
        </form>
      )}
      {status ? (
        <p role="status" className="board-detail__status">
          {status}
        </p>
      ) : null}
    </section>
  );
}
