import type { Locale } from "~/lib/i18n";
import type { Reading } from "./messages";

/**
 * Display preferences of the residents' pages: やさしい日本語, large text, high contrast.
 * Remembered in one cookie, set by a plain form POST (/activities/display), so they work without
 * JavaScript. The language itself stays the site-wide `lang` cookie (app/lib/i18n.ts); easy
 * Japanese is a reading mode on top of Japanese (docs/decisions/041).
 */
export const DISPLAY_COOKIE = "tsunagu_display";

export interface DisplayPrefs {
  easy: boolean;
  large: boolean;
  contrast: boolean;
}

export const DEFAULT_DISPLAY: DisplayPrefs = {
  easy: false,
  large: false,
  contrast: false,
};

/** Cookie value "easy.large.contrast" (any subset, any order); anything else is ignored. */
export function parseDisplay(value: string | undefined | null): DisplayPrefs {
  const flags = new Set((value ?? "").split("."));
  return {
    easy: flags.has("easy"),
    large: flags.has("large"),
    contrast: flags.has("contrast"),
  };
}

export function serializeDisplay(prefs: DisplayPrefs): string {
  return [
    prefs.easy && "easy",
    prefs.large && "large",
    prefs.contrast && "contrast",
  ]
    .filter(Boolean)
    .join(".");
}

/** The reading a page shows: easy Japanese only when the locale is Japanese. */
export function readingOf(locale: Locale, prefs: DisplayPrefs): Reading {
  return locale === "en" ? "en" : prefs.easy ? "easy" : "ja";
}
