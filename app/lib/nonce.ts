import { createContext, useContext } from "react";

/**
 * This response's Content-Security-Policy nonce (server/http/security.ts). Provided by
 * app/entry.server.tsx around the server render; in the browser there is none (""): browsers
 * hide nonce attributes from scripts, and scripts added after hydration are trusted through
 * 'strict-dynamic'. Every inline <script> rendered by the app takes `nonce={useNonce()}`.
 */
const NonceContext = createContext<string>("");

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
