import type { PrismaClient } from "../db/client.ts";
import type { DomainEventBus } from "../events/bus.ts";
import { createAvailabilityService } from "./availability.ts";
import { createMatchActions } from "./match-actions.ts";
import { createMatchService } from "./matches.ts";
import { createMembershipService } from "./memberships.ts";
import { createOpenData } from "./open-data.ts";
import { createPageQueries } from "./pages.ts";
import { createResourceService } from "./resources.ts";
import { createTaskService } from "./tasks.ts";
import { createWorkspaceQueries } from "./workspaces.ts";

/** The domain layer: every read and the one write path, used by all transports. */
export function createDomain(deps: { prisma: PrismaClient; bus: DomainEventBus }) {
  return {
    workspaces: createWorkspaceQueries(deps.prisma),
    tasks: createTaskService(deps),
    resources: createResourceService(deps),
    availability: createAvailabilityService(deps),
    matches: createMatchService(deps),
    matchActions: createMatchActions(deps),
    memberships: createMembershipService(deps),
    openData: createOpenData(deps.prisma),
    pages: createPageQueries(deps.prisma),
  };
}

export type Domain = ReturnType<typeof createDomain>;
