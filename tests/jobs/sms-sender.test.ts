import { expect } from "chai";
import { SmsMessage } from "../../entities/SmsMessage.js";
import { sendSmsOnce } from "../../server/twilio/sms-sender.js";
import type { SimulatedTwilioClient } from "../../server/twilio/simulated-client.js";
import { startTestServer, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";

describe("SMS sender", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
    await resetDatabase(server.context.dataSource);
  });
  afterEach(async () => {
    await server.close();
  });

  const simulatedSms = async () => (await (server.context.twilio as SimulatedTwilioClient).requests()).filter((request) => request.kind === "sms");

  it("sends one SMS per idempotency key however often it is asked", async () => {
    const sms = { idempotencyKey: "test-once-1", to: "+32470123456", body: "Hallo" };
    const first = await sendSmsOnce(server.context, sms);
    const second = await sendSmsOnce(server.context, sms);
    const [third] = await Promise.all([sendSmsOnce(server.context, sms), sendSmsOnce(server.context, sms)]);
    expect(first.sent).to.equal(true);
    expect(second.sent).to.equal(false);
    expect(third!.sent).to.equal(false);
    const rows = await server.context.dataSource.getRepository(SmsMessage).find();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ toNumber: "+32470123456", fromNumber: server.context.env.SMS_FROM_NUMBER, body: "Hallo", status: "sent" });
    expect(rows[0]!.providerSid).to.match(/^SM/);
    expect(await simulatedSms()).to.have.length(1);
  });

  it("marks a failed send and sends it on the next try", async () => {
    const real = server.context.twilio;
    let calls = 0;
    server.context.twilio = Object.assign(Object.create(real), {
      sendSms: async (message: { to: string; from: string; body: string }) => {
        calls++;
        if (calls === 1) throw new Error("Twilio unreachable");
        return real.sendSms(message);
      },
    });
    const sms = { idempotencyKey: "test-retry-1", to: "+32470123456", body: "Retry" };
    let failure: Error | undefined;
    await sendSmsOnce(server.context, sms).catch((error: Error) => (failure = error));
    expect(failure?.message).to.equal("Twilio unreachable");
    expect((await server.context.dataSource.getRepository(SmsMessage).findOneByOrFail({ idempotencyKey: sms.idempotencyKey })).status).to.equal("failed");
    const retried = await sendSmsOnce(server.context, sms);
    expect(retried.sent).to.equal(true);
    expect(await server.context.dataSource.getRepository(SmsMessage).count()).to.equal(1);
    expect(await simulatedSms()).to.have.length(1);
    server.context.twilio = real;
  });
});
