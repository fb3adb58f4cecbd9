import twilio from "twilio";
import type { OutboundCallRequest, TwilioCallRecord, TwilioRestClient } from "./client.js";

/** The real Twilio REST API, used when TWILIO_ACCOUNT_SID is set. */
export class LiveTwilioClient implements TwilioRestClient {
  readonly simulated = false;
  private readonly api: twilio.Twilio;

  constructor(accountSid: string, authToken: string) {
    this.api = twilio(accountSid, authToken);
  }

  async sendSms(message: { to: string; from: string; body: string }) {
    const sent = await this.api.messages.create(message);
    return { sid: sent.sid };
  }

  async createCall(call: OutboundCallRequest) {
    const created = await this.api.calls.create({
      to: call.to,
      from: call.from,
      url: call.url,
      ...(call.statusCallback ? { statusCallback: call.statusCallback, statusCallbackEvent: call.statusCallbackEvent ?? ["answered", "completed"] } : {}),
      ...(call.machineDetection ? { machineDetection: call.machineDetection } : {}),
      ...(call.timeout ? { timeout: call.timeout } : {}),
    });
    return { sid: created.sid };
  }

  async redirectQueueMember(member: { queueName: string; callSid: string; url: string }) {
    const queues = await this.api.queues.list({ limit: 1000 });
    const queue = queues.find((candidate) => candidate.friendlyName === member.queueName);
    if (!queue) throw new Error(`Twilio queue ${member.queueName} not found`);
    await this.api.queues(queue.sid).members(member.callSid).update({ url: member.url, method: "POST" });
  }

  async redirectCall(call: { callSid: string; url: string }) {
    await this.api.calls(call.callSid).update({ url: call.url, method: "POST" });
  }

  async fetchCall(callSid: string): Promise<TwilioCallRecord | null> {
    try {
      const call = await this.api.calls(callSid).fetch();
      return { status: call.status, durationSeconds: call.duration ? Number(call.duration) : null, endedAt: call.endTime ?? null };
    } catch (error) {
      // The library's RestException carries the HTTP status: 404 is Twilio saying it has no such call.
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
  }
}
