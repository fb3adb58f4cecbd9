import { callStatusCheckJob } from "./call-status-check.js";
import { callbackDialJob } from "./callback-dial.js";
import { callbackDispatchJob } from "./callback-dispatch.js";
import { complaintFollowUpJob } from "./complaint-follow-up.js";
import { consentReminderJob } from "./consent-reminder.js";
import { csvImportJob } from "./csv-import.js";
import { followUpScanJob } from "./follow-up-scan.js";
import type { JobKind } from "./kind.js";
import { outboxRetentionJob } from "./outbox-retention.js";
import { remoteSessionAgentReminderJob } from "./remote-session-agent-reminder.js";
import { remoteSessionMissedScanJob } from "./remote-session-missed-scan.js";
import { remoteSessionSmsJob } from "./remote-session-sms.js";
import { slaAlertJob } from "./sla-alert.js";
import { slaScanJob } from "./sla-scan.js";
import { voicemailJob } from "./voicemail.js";
import { waitingFollowUpJob } from "./waiting-follow-up.js";

/** Every job kind the workers run; a kind with everyMs also gets a Job Scheduler (handle is a method, so every kind fits JobKind<never>). */
export const JOB_KINDS: readonly JobKind<never>[] = [
  slaScanJob,
  slaAlertJob,
  followUpScanJob,
  waitingFollowUpJob,
  complaintFollowUpJob,
  consentReminderJob,
  callbackDispatchJob,
  callbackDialJob,
  callStatusCheckJob,
  voicemailJob,
  remoteSessionSmsJob,
  remoteSessionAgentReminderJob,
  remoteSessionMissedScanJob,
  outboxRetentionJob,
  csvImportJob,
];
