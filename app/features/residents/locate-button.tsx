import { useEffect, useState } from "react";
import { useResident } from "./resident-page";

/**
 * "Use my location": progressive enhancement only. Rendered after hydration (without JavaScript
 * there is nothing to press, and the area / name fields do the job). Asks the browser once, when
 * pressed, never on load; on success fills the form's lat/lng, clears the other starting points
 * and submits the same GET form.
 */
export function LocateButton({ formId }: { formId: string }) {
  const { t } = useResident();
  const [ready, setReady] = useState(false);
  const [state, setState] = useState<"idle" | "working" | "failed">("idle");
  useEffect(
    () =>
      setReady(typeof navigator !== "undefined" && "geolocation" in navigator),
    []
  );
  if (!ready) return null;

  const locate = () => {
    setState("working");
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const form = document.getElementById(formId) as HTMLFormElement | null;
        if (!form) return;
        const set = (name: string, value: string) => {
          const input = form.elements.namedItem(name) as
            | HTMLInputElement
            | HTMLSelectElement
            | null;
          if (input) input.value = value;
        };
        // About 100 m is plenty for "nearest first", and the URL then carries no exact home.
        set("lat", position.coords.latitude.toFixed(3));
        set("lng", position.coords.longitude.toFixed(3));
        set("area", "");
        set("near", "");
        setState("idle");
        form.requestSubmit();
      },
      () => setState("failed"),
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 600_000 }
    );
  };

  return (
    <div className="locate">
      <button
        type="button"
        className="button button--secondary"
        onClick={locate}
        aria-describedby="locate-hint"
        disabled={state === "working"}
      >
        {state === "working" ? t.locationWorking : t.useLocation}
      </button>
      <p id="locate-hint" className="field__hint">
        {t.locationHint}
      </p>
      {state === "failed" ? (
        <p role="alert" className="field__error">
          {t.locationFailed}
        </p>
      ) : null}
    </div>
  );
}
