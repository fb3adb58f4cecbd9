import { createHmac } from "node:crypto";
import { Call } from "../../../entities/Call.js";
import { CallEvent } from "../../../entities/CallEvent.js";
import type { AppContext } from "../../context.js";
import type { OutboxRecorder } from "../../events/outbox.js";
import { changedColumns, snapshotColumns } from "../../db/changes.js";
import { isUniqueViolation } from "../../db/errors.js";
import { leanCreate, leanExists, leanFindOne } from "../../db/lean.js";
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
  handle(tx: OutboxRecorder, call: Call, replayed: () => Promise<string | null>): Promise<CallWebhookResult>;
  /** Answer for a CallSid we have no row for (and no `create`). */
  unknownCall?: () => string;
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
    // The first attempt assumes what is nearly always true, that the delivery is new: a new call is inserted at
    // once, a stored one locked, and no earlier answer is looked up. If it was not new (Twilio retried, a twin
    // delivery got there first), a unique key says so at commit; the transaction rolls back and the next attempt
    // asks first: is the call stored (outside the transaction, so its first read is the lock), was this answered?
    const careful = attempt > 1;
    try {
      const stored = !props.create || (careful && (await leanExists(context.dataSource.manager, Call, { callSid: props.callSid })));
      return await withDeadlockRetry(() => inTransaction(context, (tx) => runOnce(context, tx, props, stored, careful)));
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

async function runOnce(context: AppContext, tx: OutboxRecorder, props: CallWebhookProps, stored: boolean, careful: boolean): Promise<string> {
  // Only a stored call is locked: SELECT … FOR UPDATE of a CallSid not stored yet takes a gap lock, and the first
  // webhooks of concurrent new calls then deadlock on their INSERTs (MariaDB). A new call's INSERT locks its own
  // row; when a twin inserted it meanwhile, the unique violation sends us round again to lock the stored row.
  let call = stored ? await leanFindOne(tx.manager, Call, { callSid: props.callSid }, { forUpdate: true }) : null;
  if (!call) {
    if (!props.create) return props.unknownCall ? props.unknownCall() : "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
    call = await leanCreate(tx.manager, Call, { callSid: props.callSid, ...props.create() });
  }
  const callId = call.id;
  const replayed = async () => {
    const earlier = await tx.manager.getRepository(CallEvent).findOne({ where: { callId, dedupeKey: props.dedupeKey }, select: { id: true, data: true } });
    const twiml = earlier?.data?.twiml;
    return typeof twiml === "string" ? twiml : null;
  };
  if (careful) {
    const earlier = await replayed();
    if (earlier !== null) return earlier;
  }
  const snapshot = snapshotColumns(tx.manager, Call, call);
  const result = await props.handle(tx, call, replayed);
  if (result.eventType === null) return result.twiml;
  const changes = changedColumns(call, snapshot);
  if (changes) tx.updateLater(Call, call.id, changes);
  // Written at commit (appendLater): a delivery recorded before fails there on the (callId, dedupeKey) key.
  tx.appendLater(CallEvent, { callId: call.id, type: result.eventType, dedupeKey: props.dedupeKey, data: { ...(result.eventData ?? {}), twiml: result.twiml } });
  // call.ended tells everything call.updated would (pops close, figures move): one message, not two.
  if (result.ended) await tx.record("call.ended", { callId: call.id });
  else if (result.progressed) await tx.record("call.updated", { callId: call.id });
  return result.twiml;
}

/** Appends a secondary CallEvent of a delivery (identified, unidentified, callback …) under its own dedupe key; written with the delivery's own event at commit. */
export function recordCallEvent(tx: OutboxRecorder, callId: number, dedupeKey: string, type: string, data: Record<string, unknown> | null = null): void {
  tx.appendLater(CallEvent, { callId, type, dedupeKey: dedupeKey.slice(0, 120), data });
}
