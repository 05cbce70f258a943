import type { ClientPayload, CommandEntities, CommandName, LiveMatch } from "../../../app/lib/realtime/events.ts";
import type { SessionUser } from "../../auth/sessions.ts";
import type { AppServices } from "../../services.ts";

export interface CommandContext {
  services: AppServices;
  user: SessionUser;
}

/**
 * Commands over Socket.IO: each calls the same domain service as its REST twin (authorize →
 * transaction → version bump → commit → event), so the two transports cannot disagree. The
 * payload is already parsed with its schema (app/lib/realtime/payloads.ts); a thrown AppError
 * becomes the ack's refusal (a conflict carries `current`). The mapped type makes a command
 * without a handler a compile error.
 */
export const commandHandlers: {
  [C in CommandName]: (ctx: CommandContext, payload: ClientPayload<C>) => Promise<CommandEntities[C]>;
} = {
  "match:move": async ({ services, user }, { matchId, ...move }) =>
    (await services.domain.matches.moveStage(user, matchId, move)) as LiveMatch,
};
