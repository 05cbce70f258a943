import type { PrismaClient } from "../db/client.ts";
import type { DomainEventBus } from "../events/bus.ts";
import { createApplicationService } from "./applications.ts";
import { createAuditQueries } from "./audit-queries.ts";
import { createAvailabilityService } from "./availability.ts";
import { createCheckInService } from "./check-in.ts";
import { createIncentiveService } from "./incentives.ts";
import { createChartService } from "./chart.ts";
import { createConsentService } from "./consents.ts";
import { createMatchActions } from "./match-actions.ts";
import { createMatchNotes } from "./match-notes.ts";
import { createMatchService } from "./matches.ts";
import { createMeetingAgenda } from "./meeting-agenda.ts";
import { createMembershipService } from "./memberships.ts";
import { createOpenData } from "./open-data.ts";
import { createOutcomeQueries } from "./outcomes.ts";
import { createPageQueries } from "./pages.ts";
import { createPublicActivities } from "./public-activities.ts";
import { createProxyRegistrationService } from "./proxy-registration.ts";
import { createRegistrationService } from "./registration.ts";
import { createResidentService } from "./residents.ts";
import { createResourceService } from "./resources.ts";
import { createMapLayers } from "./map-layers.ts";
import { createTaskService } from "./tasks.ts";
import { createMosaicService } from "./task-mosaic.ts";
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
    matchNotes: createMatchNotes(deps),
    mosaic: createMosaicService(deps),
    memberships: createMembershipService(deps),
    openData: createOpenData(deps.prisma),
    outcomes: createOutcomeQueries(deps.prisma),
    checkIn: createCheckInService(deps),
    incentives: createIncentiveService(deps),
    pages: createPageQueries(deps.prisma),
    residents: createResidentService(deps),
    consents: createConsentService(deps),
    audit: createAuditQueries(deps.prisma),
    publicActivities: createPublicActivities(deps.prisma),
    applications: createApplicationService(deps),
    registration: createRegistrationService(deps),
    proxyRegistration: createProxyRegistrationService(deps),
    chart: createChartService(deps),
    meetingAgenda: createMeetingAgenda(deps.prisma),
    mapLayers: createMapLayers(deps.prisma),
  };
}

export type Domain = ReturnType<typeof createDomain>;
