import { createHmac } from "node:crypto";
import { Call } from "../../../entities/Call.js";
import { CallEvent } from "../../../entities/CallEvent.js";
import type { AppContext } from "../../context.js";
import type { OutboxRecorder } from "../../events/outbox.js";
import { snapshotColumns, updateChangedColumns } from "../../db/changes.js";
import { withDeadlockRetry } from "../retry.js";
import { inTransaction } from "../transaction.js";

/** What a webhook handler decided for one call inside the transaction. */
export interface CallWebhookResult {
  /** The TwiML answered to Twilio (stored with the event, so a retry gets the same answer). */
  twiml: string;
  /** CallEvent type of this delivery; null records nothing (e.g. a stale request answered with a re-prompt). */
  eventType: string | null;
  eventData?: Record<string, unknown>;
  /** The call changed in a way agents' screen-pops show → outbox call.updated. */
  progressed?: boolean;
  /** The call has just ended → outbox call.ended. */
  ended?: boolean;
}

export interface CallWebhookProps {
  callSid: string;
  /** Identifies this delivery (step, sequence, input digest): the same request twice is recorded once. */
  dedupeKey: string;
  /** Builds the row of a call seen for the first time; absent → an unknown CallSid gets `unknownCall`. */
  create?: () => Partial<Call>;
  /**
   * The handler tells a repeated delivery from a fresh one itself (the IVR's step and sequence do) and calls
   * `replayed()` only then; otherwise the runner looks the delivery up before every handling.
   */
  detectsRepeats?: boolean;
  handle(tx: OutboxRecorder, call: Call, replayed: () => Promise<string | null>): Promise<CallWebhookResult>;
  /** Answer for a CallSid we have no row for (and no `create`). */
  unknownCall?: () => string;
}

/** True for a unique-key violation (MariaDB ER_DUP_ENTRY, SQLite constraint): a concurrent twin got there first. */
function isUniqueViolation(error: unknown): boolean {
  const driver = (error as { driverError?: { code?: string } })?.driverError ?? (error as { code?: string });
  const code = String(driver?.code ?? "");
  return code === "ER_DUP_ENTRY" || code.startsWith("SQLITE_CONSTRAINT");
}

/** A short keyed digest of a webhook's input, so dedupe keys never hold a PIN in clear. */
export function inputDigest(secret: string, callSid: string, input: string): string {
  return createHmac("sha256", secret).update(`${callSid}\n${input}`).digest("hex").slice(0, 16);
}

/**
 * Runs one Twilio webhook for one call in ONE transaction: the call row is locked (MariaDB) so concurrent
 * deliveries queue up, a delivery already recorded (same CallSid and dedupe key) returns the TwiML it got the
 * first time without changing anything, otherwise the handler runs and the call, its CallEvent (with the TwiML)
 * and the outbox messages are saved together (R10).
 */
export async function runCallWebhook(context: AppContext, props: CallWebhookProps): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      // Asked outside the transaction, so the transaction's first read is the lock (see runOnce). Only a delivery
      // that may create the call needs to ask: any other one finds the row or answers `unknownCall`.
      const stored = props.create ? await context.dataSource.getRepository(Call).existsBy({ callSid: props.callSid }) : true;
      return await withDeadlockRetry(() => inTransaction(context, (tx) => runOnce(context, tx, props, stored)));
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

async function runOnce(context: AppContext, tx: OutboxRecorder, props: CallWebhookProps, stored: boolean): Promise<string> {
  const calls = tx.manager.getRepository(Call);
  // Only a stored call is locked: SELECT … FOR UPDATE of a CallSid not stored yet takes a gap lock, and the first
  // webhooks of concurrent new calls then deadlock on their INSERTs (MariaDB). A new call's INSERT locks its own
  // row; when a twin inserted it meanwhile, the unique violation sends us round again to lock the stored row.
  const lock = context.dataSource.options.type === "mysql" ? { lock: { mode: "pessimistic_write" as const } } : {};
  let call = stored ? await calls.findOne({ where: { callSid: props.callSid }, ...lock }) : null;
  if (!call) {
    if (!props.create) return props.unknownCall ? props.unknownCall() : "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
    call = await calls.save(calls.create({ callSid: props.callSid, ...props.create() }));
  }
  const callId = call.id;
  const replayed = async () => {
    const earlier = await tx.manager.getRepository(CallEvent).findOne({ where: { callId, dedupeKey: props.dedupeKey }, select: { id: true, data: true } });
    const twiml = earlier?.data?.twiml;
    return typeof twiml === "string" ? twiml : null;
  };
  if (!props.detectsRepeats) {
    const earlier = await replayed();
    if (earlier !== null) return earlier;
  }
  const snapshot = snapshotColumns(tx.manager, Call, call);
  const result = await props.handle(tx, call, replayed);
  if (result.eventType === null) return result.twiml;
  await updateChangedColumns(tx.manager, Call, call, snapshot);
  tx.appendLater(CallEvent, { callId: call.id, type: result.eventType, dedupeKey: props.dedupeKey, data: { ...(result.eventData ?? {}), twiml: result.twiml } });
  if (result.progressed) await tx.record("call.updated", { callId: call.id });
  if (result.ended) await tx.record("call.ended", { callId: call.id });
  return result.twiml;
}

/** Appends a secondary CallEvent of a delivery (identified, unidentified, callback …) under its own dedupe key; written with the delivery's own event at commit. */
export async function recordCallEvent(tx: OutboxRecorder, callId: number, dedupeKey: string, type: string, data: Record<string, unknown> | null = null): Promise<void> {
  tx.appendLater(CallEvent, { callId, type, dedupeKey: dedupeKey.slice(0, 120), data });
}
