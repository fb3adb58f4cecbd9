import { SmsMessage } from "../../entities/SmsMessage.js";
import type { AppContext } from "../context.js";
import { isUniqueViolation } from "../db/errors.js";

export interface OutgoingSms {
  /** Same key → same SMS: a retried or repeated job finds the row and sends nothing. */
  idempotencyKey: string;
  /** E.164 number of the recipient. */
  to: string;
  body: string;
}

/**
 * Sends an SMS through the Twilio client at most once per idempotency key and records it (SmsMessage).
 * The row is claimed before sending; a send that failed is marked `failed` and may be claimed again by
 * a retry, while a row left `sending` (crash in between) is not re-sent: one SMS too few beats two.
 */
export async function sendSmsOnce(context: Pick<AppContext, "dataSource" | "twilio" | "env">, sms: OutgoingSms): Promise<{ sent: boolean; message: SmsMessage }> {
  const repository = context.dataSource.getRepository(SmsMessage);
  let message = await claim(context, sms);
  if (!message) {
    const existing = await repository.findOneByOrFail({ idempotencyKey: sms.idempotencyKey });
    if (existing.status !== "failed") return { sent: false, message: existing };
    const reclaimed = await repository.update({ id: existing.id, status: "failed" }, { status: "sending" });
    if (!reclaimed.affected) return { sent: false, message: existing };
    message = existing;
  }
  try {
    const { sid } = await context.twilio.sendSms({ to: message.toNumber, from: message.fromNumber, body: message.body });
    await repository.update({ id: message.id }, { status: "sent", providerSid: sid });
    return { sent: true, message: { ...message, status: "sent", providerSid: sid } };
  } catch (error) {
    await repository.update({ id: message.id }, { status: "failed" });
    throw error;
  }
}

/** Inserts the row in state `sending`; null when the key is taken already. */
async function claim(context: Pick<AppContext, "dataSource" | "env">, sms: OutgoingSms): Promise<SmsMessage | null> {
  const repository = context.dataSource.getRepository(SmsMessage);
  try {
    return await repository.save(
      repository.create({ idempotencyKey: sms.idempotencyKey, toNumber: sms.to, fromNumber: context.env.SMS_FROM_NUMBER, body: sms.body, status: "sending", providerSid: null }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}
