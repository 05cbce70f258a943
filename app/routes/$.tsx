import { data } from "@remix-run/node";

/**
 * Every URL no other route matches. Throwing here (instead of letting Remix answer "no route")
 * runs the root loader first, so the 404 page has the header, the language and the login state.
 */
export function loader() {
  throw data(null, { status: 404 });
}

export default function NotFound() {
  // Never rendered: the loader always throws, and the root ErrorBoundary shows the 404 page.
  return null;
}
