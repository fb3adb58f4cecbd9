import type { Topic } from "../../events/topics.js";
import { presentNotice } from "../../presenters/notice.js";
import { defineHandler, SUPERVISORS_ROOM } from "../types.js";

/** Events that move a figure of the live view (SPEC §5). */
const METRIC_TOPICS = [
  "call.updated",
  "call.accepted",
  "call.released",
  "call.ended",
  "agent.status",
  "ticket.event",
  "callback.requested",
  "callback.updated",
  "voicemail.recorded",
  "supervisor.alert",
] as const satisfies readonly Topic[];

/** Recomputes the supervisor figures after any change that moves them (coalesced by the pusher). */
export const supervisorMetricsHandler = defineHandler({
  name: "supervisor-metrics",
  topics: METRIC_TOPICS,
  async handle(_message, { metrics }) {
    metrics.schedule();
  },
});

/** Alerts (SLA breach, escalation, on-site approval needed) reach supervisors at once. */
export const supervisorAlertsHandler = defineHandler({
  name: "supervisor-alerts",
  topics: ["supervisor.alert"],
  async handle(message, { io }) {
    io.to(SUPERVISORS_ROOM).emit("supervisor:alert", presentNotice(message));
  },
});
