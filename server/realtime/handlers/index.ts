import type { RealtimeHandler } from "../types.js";
import { agentStatusHandler } from "./agent-status.js";
import { callbacksHandler } from "./callbacks.js";
import { agentNoticesHandler } from "./notices.js";
import { screenPopHandler } from "./screen-pop.js";
import { supervisorAlertsHandler, supervisorMetricsHandler } from "./supervisor.js";
import { ticketsHandler } from "./tickets.js";

/**
 * Every realtime handler, one per concern. To push a new kind of event, write a handler file
 * (see defineHandler in ../types.ts) and add it here; the processor subscribes to the union of their topics.
 */
export const realtimeHandlers: RealtimeHandler[] = [
  screenPopHandler,
  agentStatusHandler,
  ticketsHandler,
  supervisorMetricsHandler,
  supervisorAlertsHandler,
  agentNoticesHandler,
  callbacksHandler,
];
