/**
 * Browser-only: opens the y-websocket provider of a document against this site's `/yjs`
 * endpoint (same origin, so the session cookie goes along). Loaded lazily by useCollabDoc.
 */
import { WebsocketProvider } from "y-websocket";
import type * as Y from "yjs";
import { bindCollab, type CollabBinding, type CollabView } from "./collab-binding.ts";
import type { PresenceState } from "./protocol.ts";

export function collabServerUrl(location: Location = window.location): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/yjs`;
}

export interface OpenedCollab {
  provider: WebsocketProvider;
  binding: CollabBinding;
  destroy(): void;
}

export function openCollabProvider(
  docName: string,
  doc: Y.Doc,
  options: { user?: PresenceState["user"]; onChange: (view: CollabView) => void },
): OpenedCollab {
  const provider = new WebsocketProvider(collabServerUrl(), docName, doc, { connect: false });
  const binding = bindCollab(provider, options.onChange);
  // The server replaces name, organization and colour with the session's; this is for the
  // moment before it answers.
  provider.awareness.setLocalStateField("user", options.user ?? {});
  provider.connect();
  return {
    provider,
    binding,
    destroy() {
      binding.destroy();
      provider.destroy();
    },
  };
}
