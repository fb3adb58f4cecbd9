import { expect } from "chai";
import { io as connect, type Socket } from "socket.io-client";
import { Agent } from "../../entities/Agent.js";
import { CallbackRequest } from "../../entities/CallbackRequest.js";
import type { Ticket } from "../../entities/Ticket.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import { prompt } from "../../ivr-flows/prompts/index.js";
import { callbackRequester } from "../../server/commands/callback-requester.js";
import type { SimulatedTwilioClient } from "../../server/twilio/simulated-client.js";
import { findAll, parseTwiml } from "../../server/twilio/simulator.js";
import type { CallbackOffer } from "../../shared-types/socket-events.js";
import { signedPost } from "../ivr/fixtures.js";
import { startTestServer, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";
import { createAgent, createCustomer, createTicket, eventually } from "./fixtures.js";
import { deskFetch } from "../support/desk-fetch.js";

describe("a callback whose agent leg is not answered (issue 16)", () => {
  let server: TestServer;
  let ticket: Ticket;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    server = await startTestServer({}, { workers: true });
    await resetDatabase(server.context.dataSource);
    const { customer } = await createCustomer(server.context.dataSource);
    ticket = await createTicket(server.context.dataSource, { customerId: customer.id });
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await server.close();
  });

  const repository = () => server.context.dataSource.getRepository(CallbackRequest);
  const accept = async (callbackId: number, cookie: string) => (await deskFetch(`${server.url}/api/callbacks/${callbackId}/accept`, { method: "POST", headers: { cookie } })).status;
  const online = async (cookie: string) => {
    const socket = connect(server.url, { extraHeaders: { cookie }, transports: ["websocket"], reconnection: false });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    return socket;
  };
  /** A Twilio webhook of the outbound callback call (Direction outbound-api). */
  const outbound = (url: string, callSid: string, extra: Record<string, string>) =>
    signedPost(url, { AccountSid: `AC${"0".repeat(32)}`, CallSid: callSid, From: server.context.env.DESK_PHONE_NUMBER, To: "+32470123456", Direction: "outbound-api", ...extra });

  it("goes back on offer (callback:offer), sets the agent missed, and tells the person we call back; the status callback that follows does not make it done", async () => {
    const { agent, cookie } = await createAgent(server.context.dataSource, { languages: ["nl"], status: "available" });
    const { cookie: colleagueCookie } = await createAgent(server.context.dataSource, { languages: ["nl"], status: "available" });
    const colleague = await online(colleagueCookie);
    const offers: CallbackOffer[] = [];
    colleague.on("callback:offer", (offer) => offers.push(offer));
    const { callbackId } = await callbackRequester(server.context, { callId: null, ticketId: ticket.id, phoneNumber: "0470 12 34 56", language: "nl", queuedAt: new Date("2026-03-02T09:00:00Z") });
    await eventually(async () => offers.some((offer) => offer.id === callbackId), 3000, "the first offer");
    expect(await accept(callbackId, cookie)).to.equal(202);
    const sid = await eventually(async () => (await repository().findOneByOrFail({ id: callbackId })).outboundCallSid, 5000, "the outbound call");
    const [placed] = (await (server.context.twilio as SimulatedTwilioClient).requests()).filter((entry) => entry.kind === "call");

    // The person answers; the agent's <Dial> ends without them (no-answer).
    const bridge = parseTwiml((await outbound(placed!.params.url!, sid, { CallStatus: "in-progress" })).body);
    const dialAction = findAll(bridge, "Dial")[0]!.attrs.action!;
    const offersBefore = offers.length;
    const missed = parseTwiml((await outbound(dialAction, sid, { CallStatus: "in-progress", DialCallStatus: "no-answer", DialCallSid: "CAagentleg000000000000000000000001" })).body);
    expect(findAll(missed, "Say").map((node) => node.text)).to.deep.equal([prompt("nl", "queueUnavailable")]);
    expect(findAll(missed, "Hangup")).to.have.length(1);

    expect(await repository().findOneByOrFail({ id: callbackId })).to.include({ status: "pending", agentId: null, outboundCallSid: null, attempts: 1 });
    expect((await server.context.dataSource.getRepository(Agent).findOneByOrFail({ id: agent.id })).status).to.equal("missed");
    const again = await eventually(async () => offers.slice(offersBefore).find((offer) => offer.id === callbackId), 3000, "the callback offered again");
    expect(again.status).to.equal("pending");

    // Twilio's status callback of the person's call (it was answered, so "completed") comes after: still on offer.
    await outbound(placed!.params.statusCallback!, sid, { CallStatus: "completed", CallDuration: "25" });
    expect((await repository().findOneByOrFail({ id: callbackId })).status).to.equal("pending");
    // A retried dial action records nothing twice and still answers valid TwiML.
    const retried = parseTwiml((await outbound(dialAction, sid, { CallStatus: "in-progress", DialCallStatus: "no-answer", DialCallSid: "CAagentleg000000000000000000000001" })).body);
    expect(findAll(retried, "Hangup")).to.have.length(1);
    const types = (await server.context.dataSource.getRepository(TicketEvent).find({ where: { ticketId: ticket.id }, order: { id: "ASC" } })).map((event) => event.type);
    expect(types.filter((type) => type === "callback_agent_missed")).to.have.length(1);
    expect(types).to.not.include("callback_completed");
  });
});
