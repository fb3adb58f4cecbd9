import { RemoteSession } from "../../entities/RemoteSession.js";
import type { AppContext } from "../context.js";
import type { TopicPayloads } from "../events/topics.js";
import { enqueue, jobId } from "./kind.js";
import { jobQueues } from "./queues.js";
import { remoteSessionAgentReminderJob } from "./remote-session-agent-reminder.js";
import { remoteSessionSmsJob, type SessionSmsMessage } from "./remote-session-sms.js";

/** The SMS reminder goes out this long before the session. */
export const SMS_REMINDER_BEFORE_MS = 60 * 60_000;
/** The agent's in-app reminder comes this long before the session. */
export const AGENT_REMINDER_BEFORE_MS = 10 * 60_000;

/** Job ids of one revision of one session: deterministic, so planning twice adds nothing and a move can remove them. */
export const sessionJobIds = (sessionId: number, revision: number) => ({
  sms: (message: SessionSmsMessage) => jobId("rs", sessionId, `r${revision}`, "sms", message),
  agent: jobId("rs", sessionId, `r${revision}`, "agent"),
});

/**
 * Turns a committed `remote_session.changed` into jobs: removes the delayed jobs of older revisions, then,
 * for the current revision, the confirmation (or new-time, or cancellation) SMS now and the SMS and agent
 * reminders delayed to one hour and ten minutes before. Idempotent: every job id comes from session and revision.
 */
export async function planRemoteSessionJobs(context: AppContext, payload: TopicPayloads["remote_session.changed"], now = new Date()): Promise<void> {
  const session = await context.dataSource.getRepository(RemoteSession).findOneBy({ id: payload.sessionId });
  if (!session) return;
  const queues = jobQueues(context);
  for (let revision = 1; revision < session.revision; revision++) {
    const ids = sessionJobIds(session.id, revision);
    for (const id of [ids.sms("confirmed"), ids.sms("rescheduled"), ids.sms("reminder"), ids.agent]) await queues.remove("remote-sessions", id);
  }
  // An older message: the newest one plans the current revision.
  if (payload.revision < session.revision) return;
  const ids = sessionJobIds(session.id, session.revision);
  const base = { sessionId: session.id, revision: session.revision };
  const start = session.scheduledAt.getTime();
  if (session.status === "scheduled") {
    const message = session.revision === 1 ? "confirmed" : "rescheduled";
    await enqueue(context, remoteSessionSmsJob, { ...base, message }, { jobId: ids.sms(message) });
    const smsAt = start - SMS_REMINDER_BEFORE_MS;
    if (smsAt > now.getTime()) await enqueue(context, remoteSessionSmsJob, { ...base, message: "reminder" }, { jobId: ids.sms("reminder"), delay: smsAt - now.getTime() });
    const agentAt = start - AGENT_REMINDER_BEFORE_MS;
    if (agentAt > now.getTime()) await enqueue(context, remoteSessionAgentReminderJob, base, { jobId: ids.agent, delay: agentAt - now.getTime() });
  } else if (session.status === "cancelled" && start > now.getTime()) {
    await enqueue(context, remoteSessionSmsJob, { ...base, message: "cancelled" }, { jobId: ids.sms("cancelled") });
  }
}
