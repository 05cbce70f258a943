import { Form, useLocation } from "@remix-run/react";
import { createContext, useContext, type ReactNode } from "react";
import { rubySegments } from "~/lib/ruby";
import type { DisplayPrefs } from "./display";
import {
  residentMessages,
  type Reading,
  type ResidentMessages,
} from "./messages";

interface ResidentContextValue {
  reading: Reading;
  t: ResidentMessages;
}

const ResidentContext = createContext<ResidentContextValue>({
  reading: "ja",
  t: residentMessages("ja"),
});

export function useResident(): ResidentContextValue {
  return useContext(ResidentContext);
}

/**
 * A text with furigana on known words when the page is in やさしい日本語; plain otherwise. For
 * running text and headings, not for form labels and buttons (screen readers would read the
 * reading as part of a control's name).
 */
export function R({ children }: { children: string }) {
  const { reading } = useResident();
  if (reading !== "easy") return <>{children}</>;
  return (
    <>
      {rubySegments(children).map((segment, i) =>
        typeof segment === "string" ? (
          segment
        ) : (
          <ruby key={i}>
            {segment.base}
            <rp>(</rp>
            <rt>{segment.reading}</rt>
            <rp>)</rp>
          </ruby>
        )
      )}
    </>
  );
}

const READINGS: Array<{ value: Reading; name: string; lang: string }> = [
  { value: "ja", name: "日本語", lang: "ja" },
  { value: "easy", name: "やさしい日本語", lang: "ja" },
  { value: "en", name: "English", lang: "en" },
];

/** Where the display form sends the reader back to: this page, without a `?lang=` that would override the choice. */
function backHere(pathname: string, search: string): string {
  const params = new URLSearchParams(search);
  params.delete("lang");
  const rest = params.toString();
  return rest ? `${pathname}?${rest}` : pathname;
}

/**
 * The settings bar: reading (日本語 / やさしい日本語 / English), text size and contrast. Each choice
 * is a submit button of one POST form, so it works without JavaScript; the server remembers it in
 * cookies and sends the reader back to the same page. A document submission even with JavaScript:
 * the setting changes the whole page (language, size, colours), and the target is a resource route.
 */
function DisplayBar({
  display,
  reading,
  t,
}: {
  display: DisplayPrefs;
  reading: Reading;
  t: ResidentMessages;
}) {
  const location = useLocation();
  const redirectTo = backHere(location.pathname, location.search);
  return (
    <Form
      method="post"
      action="/activities/display"
      className="display-bar"
      aria-labelledby="display-heading"
      reloadDocument
    >
      <h2 id="display-heading" className="display-bar__title">
        {t.displayHeading}
      </h2>
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <fieldset className="display-bar__group">
        <legend>{t.readingLabel}</legend>
        {READINGS.map((r) => (
          <button
            key={r.value}
            type="submit"
            name="reading"
            value={r.value}
            lang={r.lang}
            aria-pressed={reading === r.value}
            className="toggle"
          >
            {r.name}
          </button>
        ))}
      </fieldset>
      <fieldset className="display-bar__group">
        <legend>{t.textSizeLabel}</legend>
        <button
          type="submit"
          name="text"
          value="normal"
          aria-pressed={!display.large}
          className="toggle"
        >
          {t.textNormal}
        </button>
        <button
          type="submit"
          name="text"
          value="large"
          aria-pressed={display.large}
          className="toggle"
        >
          {t.textLarge}
        </button>
      </fieldset>
      <fieldset className="display-bar__group">
        <legend>{t.contrastLabel}</legend>
        <button
          type="submit"
          name="contrast"
          value="normal"
          aria-pressed={!display.contrast}
          className="toggle"
        >
          {t.contrastNormal}
        </button>
        <button
          type="submit"
          name="contrast"
          value="high"
          aria-pressed={display.contrast}
          className="toggle"
        >
          {t.contrastHigh}
        </button>
      </fieldset>
    </Form>
  );
}

/**
 * The frame of every residents' page: the reading context, the settings bar, and a wrapper that
 * carries large text and high contrast (the document root belongs to app/root.tsx).
 */
export function ResidentPage({
  display,
  reading,
  children,
}: {
  display: DisplayPrefs;
  reading: Reading;
  children: ReactNode;
}) {
  const t = residentMessages(reading);
  return (
    <ResidentContext.Provider value={{ reading, t }}>
      <div
        className="residents"
        data-text-size={display.large ? "large" : "normal"}
        data-contrast={display.contrast ? "high" : "normal"}
        data-reading={reading}
      >
        <DisplayBar display={display} reading={reading} t={t} />
        {children}
      </div>
    </ResidentContext.Provider>
  );
}
