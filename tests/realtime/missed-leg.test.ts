import { expect } from "chai";
import type { Language } from "../../entities/enums.js";
import { prompt } from "../../ivr-flows/prompts/index.js";
import type { SimulatedTwilioClient } from "../../server/twilio/simulated-client.js";
import { findAll, parseTwiml } from "../../server/twilio/simulator.js";
import { callParams, signedPost } from "../ivr/fixtures.js";
import { fixtures } from "../support/fixtures.js";
import { api, collect, connectSocket, eventually, identifiedCall, login, realtimeTestBed, settle, updateCall } from "../routes/console/helpers.js";

describe("recovery of a missed agent leg (issue 16)", () => {
  const bed = realtimeTestBed();

  /** An agent with a session and a connected console, set to `status`. */
  async function online(name: string, languages: Language[], role: "agent" | "supervisor" = "agent") {
    const row = await fixtures(bed.server.context.dataSource).agent({ name, languages, role });
    const cookie = await login(bed.server.url, row.email);
    await api(bed.server.url, cookie, "PUT", "/api/me/status", { status: "available" });
    const socket = await connectSocket(bed.server.url, cookie);
    bed.sockets.push(socket);
    return { row, cookie, socket, pops: collect(socket, "screenpop:show"), closes: collect(socket, "screenpop:close") };
  }

  /** Twilio's <Dial action> of the agent's leg. */
  function dialAction(callSid: string, agentId: number, status: string, language: Language = "nl") {
    return signedPost(`${bed.server.url}/twilio/dial-action?agentId=${agentId}&lang=${language}`, callParams(callSid, "+32470123456", { DialCallStatus: status, DialCallSid: `CA${status}${agentId}` }));
  }

  it("sets the agent whose leg was not answered to missed: no pops for them until they choose a status, the call offered again to colleagues", async () => {
    const els = await online("Els", ["nl"]);
    const jan = await online("Jan", ["nl"]);
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    await eventually(() => els.pops.length === 1 && jan.pops.length === 1, 3000, "both pops");
    expect((await api(bed.server.url, els.cookie, "POST", `/api/calls/${call.id}/accept`)).status).to.equal(200);
    await eventually(() => jan.closes.find((close) => close.callId === call.id), 3000, "the close at Jan");

    const missed = await dialAction(call.callSid, els.row.id, "no-answer");
    expect(missed.status).to.equal(200);
    expect((await api(bed.server.url, els.cookie, "GET", "/api/me")).body.agent.status).to.equal("missed");
    // Offered again: to Jan, who is available, and not to Els, who missed it.
    const again = await eventually(() => jan.pops[1], 3000, "the pop offered again to Jan");
    expect(again).to.include({ callId: call.id, stage: "queued" });
    await settle();
    expect(els.pops).to.have.length(1);
    expect((await api(bed.server.url, els.cookie, "POST", `/api/calls/${call.id}/accept`)).body.error).to.deep.include({ id: "agent_not_available" });

    // The supervisor sees her as having missed a call.
    const supervisor = await online("Sara", ["fr"], "supervisor");
    const { metrics } = (await api(bed.server.url, supervisor.cookie, "GET", "/api/supervisor/metrics")).body;
    expect(metrics.agents.find((agent: { id: number }) => agent.id === els.row.id).status).to.equal("missed");
    expect(metrics.total.agents.missed).to.equal(1);

    // "missed" is the desk's to set, not a status to pick; choosing one leaves it, and she is offered the call again.
    expect((await api(bed.server.url, els.cookie, "PUT", "/api/me/status", { status: "missed" })).status).to.equal(400);
    expect((await api(bed.server.url, els.cookie, "PUT", "/api/me/status", { status: "available" })).body.agent.status).to.equal("available");
    const back = await eventually(() => els.pops[1], 3000, "the pop back at Els");
    expect(back).to.include({ callId: call.id });
  });

  it("leaves an agent who talked (completed) on call, and one who chose another status meanwhile with that status", async () => {
    const els = await online("Els", ["nl"]);
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    await eventually(() => els.pops[0], 3000, "the pop");
    expect((await api(bed.server.url, els.cookie, "POST", `/api/calls/${call.id}/accept`)).status).to.equal(200);
    await dialAction(call.callSid, els.row.id, "completed");
    expect((await api(bed.server.url, els.cookie, "GET", "/api/me")).body.agent.status).to.equal("on_call");

    const second = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    await api(bed.server.url, els.cookie, "PUT", "/api/me/status", { status: "available" });
    await eventually(() => els.pops.find((pop) => pop.callId === second.id), 3000, "the second pop");
    expect((await api(bed.server.url, els.cookie, "POST", `/api/calls/${second.id}/accept`)).status).to.equal(200);
    await api(bed.server.url, els.cookie, "PUT", "/api/me/status", { status: "wrap_up" });
    await dialAction(second.callSid, els.row.id, "busy");
    expect((await api(bed.server.url, els.cookie, "GET", "/api/me")).body.agent.status).to.equal("wrap_up");
  });

  /** What a caller waiting in the queue hears from the wait URL, Twilio saying they are at `twilioPosition`. */
  async function heardWaiting(callSid: string, twilioPosition: number, queueSize = 2) {
    const response = await signedPost(`${bed.server.url}/twilio/queue/wait?lang=nl&cb=0`, callParams(callSid, "+32470123456", { QueuePosition: String(twilioPosition), CurrentQueueSize: String(queueSize), QueueTime: "30" }));
    return findAll(parseTwiml(response.body), "Say").map((node) => node.text);
  }

  it("puts a missed caller back at the front of the desk's order: offered first, and told so, whatever Twilio's queue says", async () => {
    const els = await online("Els", ["nl"]);
    const jan = await online("Jan", ["nl"]);
    const first = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    const second = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    // Both wait in the Dutch queue, the first caller ahead.
    await updateCall(bed.server.context, first.id, { queueName: "desk-nl" });
    await updateCall(bed.server.context, second.id, { queueName: "desk-nl" });
    await (bed.server.context.twilio as SimulatedTwilioClient).queues.join("desk-nl", second.callSid, Date.now());
    await eventually(() => jan.pops.filter((pop) => pop.callId === second.id).length > 0, 3000, "the pops");
    expect((await jan.socket.emitWithAck("screenpop:sync")).map((pop) => pop.callId)).to.deep.equal([first.id, second.id]);
    expect(await heardWaiting(second.callSid, 2)).to.include(prompt("nl", "queuePosition", { position: 2 }));

    // Els takes the second caller and does not answer: Twilio enqueues them again at the back of desk-nl.
    expect((await api(bed.server.url, els.cookie, "POST", `/api/calls/${second.id}/accept`)).status).to.equal(200);
    await dialAction(second.callSid, els.row.id, "no-answer");
    await eventually(() => jan.pops.filter((pop) => pop.callId === second.id).length > 1, 3000, "the pop offered again");
    const offered = await jan.socket.emitWithAck("screenpop:sync");
    expect(offered.map((pop) => pop.callId)).to.deep.equal([second.id, first.id]);
    expect(offered[0]!.missedAt).to.be.a("string");
    expect(offered[1]!.missedAt).to.equal(null);
    // The position announced is the desk's, not Twilio's QueuePosition.
    expect(await heardWaiting(second.callSid, 2)).to.include(prompt("nl", "queuePosition", { position: 1 }));
    expect(await heardWaiting(first.callSid, 1)).to.include(prompt("nl", "queuePosition", { position: 2 }));
    // Never behind more callers than Twilio's queue holds (a row whose end is not reported yet does not count).
    expect(await heardWaiting(first.callSid, 1, 1)).to.include(prompt("nl", "queuePosition", { position: 1 }));
    // A caller the desk does not know as waiting: Twilio's position is all there is.
    expect(await heardWaiting("CAunknown0000000000000000000000000", 2)).to.include(prompt("nl", "queuePosition", { position: 2 }));
  });

  it("puts a caller whose dequeue Twilio refused back at the front too", async () => {
    const jan = await online("Jan", ["nl"]);
    const first = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    const second = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    await eventually(() => jan.pops.some((pop) => pop.callId === second.id), 3000, "the pops");
    const queues = (bed.server.context.twilio as SimulatedTwilioClient).queues;
    await queues.leave(second.queueName!, second.callSid, Date.now());
    expect((await api(bed.server.url, jan.cookie, "POST", `/api/calls/${second.id}/accept`)).body.error).to.deep.include({ id: "dequeue_failed" });
    await eventually(() => jan.pops.filter((pop) => pop.callId === second.id).length > 1, 3000, "the pop offered again");
    expect((await jan.socket.emitWithAck("screenpop:sync")).map((pop) => pop.callId)).to.deep.equal([second.id, first.id]);
  });
});
