import { expect } from "chai";
import { Agent } from "../../entities/Agent.js";
import { Call } from "../../entities/Call.js";
import { Ticket } from "../../entities/Ticket.js";
import type { Language } from "../../entities/enums.js";
import { ticketCreator } from "../../server/commands/ticket-creator.js";
import type { SimulatedTwilioClient } from "../../server/twilio/simulated-client.js";
import { RedisQueueRegistry } from "../../server/twilio/simulator.js";
import { startTestServer } from "../support/app.js";
import { fixtures } from "../support/fixtures.js";
import { api, collect, connectSocket, dropAdapterSubscriber, eventually, identifiedCall, login, realtimeTestBed, settle, updateCall } from "../routes/console/helpers.js";

describe("screen-pop over Socket.IO", () => {
  const bed = realtimeTestBed();

  /** An agent with a session and (optionally) a connected console, already set to `status`. */
  async function agent(name: string, languages: Language[], status: "available" | "away" = "available", on = bed.server) {
    const row = await fixtures(on.context.dataSource).agent({ name, languages });
    const cookie = await login(on.url, row.email);
    await api(on.url, cookie, "PUT", "/api/me/status", { status });
    return { row, cookie };
  }
  async function online(who: { cookie: string }, on = bed.server) {
    const socket = await connectSocket(on.url, who.cookie);
    bed.sockets.push(socket);
    return socket;
  }
  /** Els online and available, a queued call, and its pop on her console (the precondition, not the test). */
  async function queuedCallPoppedAtEls() {
    const socket = await online(await agent("Els", ["nl"]));
    const pops = collect(socket, "screenpop:show");
    const closes = collect(socket, "screenpop:close");
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    await eventually(() => pops[0], 3000, "the pop");
    return { call, pops, closes };
  }

  it("refuses a socket without a valid session", async () => {
    const error = await connectSocket(bed.server.url, null).then(
      () => null,
      (e: Error & { data?: unknown }) => e,
    );
    expect(error?.message).to.equal("Log in first: this connection has no valid session.");
    expect(error?.data).to.deep.equal({ id: "unauthorized" });
    const forged = await connectSocket(bed.server.url, "sd_session=forged").then(() => null, (e: Error & { data?: unknown }) => e);
    expect(forged?.data).to.deep.equal({ id: "unauthorized" });
  });

  it("pops a call to available agents who speak the caller's language, and to no one else", async () => {
    const dutch = await online(await agent("Els", ["nl", "fr"]));
    const french = await online(await agent("Jean", ["fr"]));
    const away = await online(await agent("Piet", ["nl"], "away"));
    const [dutchPops, frenchPops, awayPops] = [collect(dutch, "screenpop:show"), collect(french, "screenpop:show"), collect(away, "screenpop:show")];

    const call = await identifiedCall(bed.server.context, { person: bed.world.person, language: "nl" });
    const pop = await eventually(() => dutchPops[0], 3000, "the pop");
    expect(pop).to.include({ callId: call.id, language: "nl", offer: "language" });
    expect(pop.caller).to.include({ id: bed.world.person.id, role: "campus" });
    expect(pop.caller!.campus!.name).to.equal(bed.world.campus.name);
    expect(pop.customer).to.deep.equal({ id: bed.world.customer.id, code: bed.world.customer.code, name: bed.world.customer.name });
    expect(pop.entitlement).to.deep.equal({ entitled: true, reason: "entitled" });
    expect(pop.contracts[0]).to.include({ status: "active", reference: bed.world.contract.reference });
    expect(pop.contracts[0]!.slaPolicy!.name).to.equal(bed.world.policy.name);
    expect(pop.coveredProducts.map((p) => p.id)).to.deep.equal([bed.world.product.id]);
    expect(pop.startedAt).to.be.a("string");
    await settle();
    expect(frenchPops).to.be.empty;
    expect(awayPops).to.be.empty;
  });

  it("offers a call to every available agent when nobody available speaks its language", async () => {
    const dutch = await online(await agent("Els", ["nl"]));
    const french = await online(await agent("Jean", ["fr"]));
    const [dutchPops, frenchPops] = [collect(dutch, "screenpop:show"), collect(french, "screenpop:show")];
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, language: "de" });
    await eventually(() => dutchPops.length && frenchPops.length, 3000, "both pops");
    expect(dutchPops[0]).to.include({ callId: call.id, offer: "fallback" });
    expect(frenchPops[0]).to.include({ callId: call.id, offer: "fallback" });
  });

  it("updates the pop as the IVR goes on: type chosen, then the ticket opened and queued", async () => {
    const socket = await online(await agent("Els", ["nl"]));
    const pops = collect(socket, "screenpop:show");
    const call = await identifiedCall(bed.server.context, { person: bed.world.person });
    await eventually(() => pops[0], 3000, "the first pop");
    await updateCall(bed.server.context, call.id, { ivrStep: "product", ivrState: { contactType: "incident", priority: "critical" } });
    // Found by content: the agent's own status change may re-send the first pop in between.
    const typed = await eventually(() => pops.find((pop) => pop.choices.contactType !== null), 3000, "the pop after the type");
    expect(typed.choices).to.deep.equal({ contactType: "incident", priority: "critical", productId: null });
    const ticket = await ticketCreator(bed.server.context, { contactType: "incident", priority: "critical", customerId: bed.world.customer.id, reporterId: bed.world.person.id, productId: bed.world.product.id, language: "nl", sourceCallId: call.id, actor: { type: "caller", id: bed.world.person.id } });
    await updateCall(bed.server.context, call.id, { ticketId: ticket.id, outcome: "queued", queueName: "support-nl", queuedAt: new Date() });
    const queued = await eventually(() => pops.find((p) => p.ticket), 3000, "the pop with the ticket");
    expect(queued.ticket).to.include({ id: ticket.id, number: ticket.number, contactType: "incident", priority: "critical" });
    expect(queued.queuedAt).to.be.a("string");
    expect(queued.outcome).to.equal("queued");
  });

  it("lists the customer's other tickets as short lines: open ones newest first (10), recently closed (5), not the call's own", async () => {
    const tickets = bed.server.context.dataSource.getRepository(Ticket);
    const day = (n: number) => new Date(Date.UTC(2026, 0, n, 9));
    const customerId = bed.world.customer.id;
    const saved = async (n: number, status: Ticket["status"], extra: Partial<Ticket> = {}) =>
      tickets.save({ number: `2026-9${String(n).padStart(5, "0")}`, contactType: "incident", customerId, language: "nl", status, subject: `Ticket ${n}`, createdAt: day(n), updatedAt: day(n), ...extra });
    for (let n = 1; n <= 12; n++) await saved(n, n % 2 ? "new" : "in_progress", n === 12 ? { resolutionDueAt: day(13), firstResponseDueAt: day(12) } : {});
    for (let n = 13; n <= 18; n++) await saved(n, "closed");
    const own = await saved(19, "new", { priority: "high" });

    const socket = await online(await agent("Els", ["nl"]));
    const pops = collect(socket, "screenpop:show");
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true, ticketId: own.id });
    const pop = await eventually(() => pops[0], 3000, "the pop");
    expect(pop.ticket).to.include({ id: own.id, priority: "high" });
    expect(pop.ticket!.customer).to.deep.equal({ id: customerId, code: bed.world.customer.code, name: bed.world.customer.name });
    expect(pop.openTickets.map((line) => line.subject)).to.deep.equal([12, 11, 10, 9, 8, 7, 6, 5, 4, 3].map((n) => `Ticket ${n}`));
    expect(pop.recentTickets.map((line) => line.subject)).to.deep.equal([18, 17, 16, 15, 14].map((n) => `Ticket ${n}`));
    // A line is what the pop shows, nothing more: the ticket view has the rest.
    const line12 = await tickets.findOneByOrFail({ subject: "Ticket 12" });
    expect(pop.openTickets[0]).to.deep.equal({ id: line12.id, number: line12.number, contactType: "incident", status: "in_progress", subject: "Ticket 12", sla: "breached" });
    expect(pop.openTickets[1]).to.include({ sla: "none", status: "new" });
    expect(pop.recentTickets[0]).to.include({ sla: "done", status: "closed" });
    expect(pop.callId).to.equal(call.id);
  });

  it("gives an agent who connects while a call waits its pop at once", async () => {
    const late = await agent("Els", ["nl"]);
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    let pops: ReturnType<typeof collect<"screenpop:show">> = [];
    const socket = await connectSocket(bed.server.url, late.cookie, (s) => (pops = collect(s, "screenpop:show")));
    bed.sockets.push(socket);
    expect((await eventually(() => pops[0], 3000, "the pop pushed on connect")).callId).to.equal(call.id);
    // A reconnecting console may also ask: the same pops come back.
    const synced = await new Promise<{ callId: number }[]>((resolve) => socket.emit("screenpop:sync", resolve));
    expect(synced.map((p) => p.callId)).to.deep.equal([call.id]);
  });

  it("gives an agent who becomes available the calls already waiting", async () => {
    const els = await agent("Els", ["nl"], "away");
    const socket = await online(els);
    const pops = collect(socket, "screenpop:show");
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    await settle();
    expect(pops).to.be.empty;
    await api(bed.server.url, els.cookie, "PUT", "/api/me/status", { status: "available" });
    expect((await eventually(() => pops[0], 3000, "the pop")).callId).to.equal(call.id);
  });

  it("sends a waiting call's pop only to the agent who became available, not again to those who have it", async () => {
    const els = await online(await agent("Els", ["nl"]));
    const elsPops = collect(els, "screenpop:show");
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    await eventually(() => elsPops[0], 3000, "Els's pop");
    await settle();
    const shownToEls = elsPops.length;
    const piet = await agent("Piet", ["nl"], "away");
    const pietPops = collect(await online(piet), "screenpop:show");
    await api(bed.server.url, piet.cookie, "PUT", "/api/me/status", { status: "available" });
    expect((await eventually(() => pietPops[0], 3000, "Piet's pop")).callId).to.equal(call.id);
    await settle();
    expect(elsPops.length).to.equal(shownToEls);
  });

  it("shows the waiting calls again once the instance's Redis subscriber is back (what was published meanwhile is lost)", async () => {
    const { call, pops } = await queuedCallPoppedAtEls();
    const rechecks = collect(bed.sockets.at(-1)!, "console:recheck");
    await settle();
    const shown = pops.length;
    await dropAdapterSubscriber(bed.server.context);
    await eventually(() => pops.length > shown, 5000, "the pop shown again after the reconnect");
    expect(pops.at(-1)!.callId).to.equal(call.id);
    // And closes may have been missed too: the console is asked to check the pops it shows.
    await eventually(() => rechecks.length > 0, 1000, "the request to check the pops shown");
  });

  it("tells a console which of the pops it shows are gone for good, and why", async () => {
    const { call: waiting } = await queuedCallPoppedAtEls();
    const socket = bed.sockets.at(-1)!;
    const piet = await fixtures(bed.server.context.dataSource).agent({ name: "Piet", languages: ["nl"] });
    // Changed behind the console's back, as when their closes were lost.
    const calls = bed.server.context.dataSource.getRepository(Call);
    const taken = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    await calls.update({ id: taken.id }, { acceptedByAgentId: piet.id, outcome: "answered" });
    const ended = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    await calls.update({ id: ended.id }, { endedAt: new Date(), outcome: "abandoned" });

    const answer = await socket.timeout(3000).emitWithAck("screenpop:check", [waiting.id, taken.id, ended.id, 999_999]);
    expect(answer).to.deep.equal({
      gone: [
        { callId: taken.id, reason: "accepted", acceptedBy: { id: piet.id, name: "Piet" } },
        { callId: ended.id, reason: "ended", acceptedBy: null },
        { callId: 999_999, reason: "ended", acceptedBy: null },
      ],
    });
    expect(await socket.timeout(3000).emitWithAck("screenpop:check", ["x" as never])).to.have.property("error").that.matches(/callIds/);
  });

  it("lets exactly one of two simultaneous accepts win; the loser's pop closes naming the winner", async () => {
    const els = await agent("Els", ["nl"]);
    const jan = await agent("Jan", ["nl"]);
    const [elsSocket, janSocket] = [await online(els), await online(jan)];
    const janPops = collect(janSocket, "screenpop:show");
    const janCloses = collect(janSocket, "screenpop:close");
    const elsAssigned = collect(elsSocket, "call:assigned");
    const janAssigned = collect(janSocket, "call:assigned");
    const ticket = await ticketCreator(bed.server.context, { contactType: "question", customerId: bed.world.customer.id, reporterId: bed.world.person.id, language: "nl", actor: { type: "caller", id: bed.world.person.id } });
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true, ticketId: ticket.id });
    await eventually(() => janPops[0], 3000, "Jan's pop");

    const [first, second] = await Promise.all([
      api(bed.server.url, els.cookie, "POST", `/api/calls/${call.id}/accept`),
      api(bed.server.url, jan.cookie, "POST", `/api/calls/${call.id}/accept`),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).to.deep.equal([200, 409]);
    const [winner, loser] = first.status === 200 ? [els, jan] : [jan, els];
    const lost = first.status === 409 ? first : second;
    expect(lost.body.error).to.deep.include({ id: "call_taken", message: `${winner.row.name} already took this call.` });

    const stored = await bed.server.context.dataSource.getRepository(Call).findOneByOrFail({ id: call.id });
    expect(stored.acceptedByAgentId).to.equal(winner.row.id);
    const agents = await bed.server.context.dataSource.getRepository(Agent).find();
    expect(agents.find((a) => a.id === winner.row.id)!.status).to.equal("on_call");
    expect(agents.find((a) => a.id === loser.row.id)!.status).to.equal("available");
    const assigned = await bed.server.context.dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id });
    expect(assigned.assigneeId).to.equal(winner.row.id);
    expect(assigned.firstRespondedAt).to.be.instanceOf(Date);

    if (loser === jan) {
      const close = await eventually(() => janCloses.find((c) => c.callId === call.id), 3000, "Jan's pop to close");
      expect(close).to.deep.equal({ callId: call.id, reason: "accepted", acceptedBy: { id: els.row.id, name: "Els" } });
    }
    await eventually(() => (winner === els ? elsAssigned : janAssigned)[0], 3000, "the winner's assignment");
    expect((winner === els ? janAssigned : elsAssigned)).to.be.empty;

    // The caller waits in the queue: the simulated Twilio got the redirect to the winner.
    const requests = await (bed.server.context.twilio as SimulatedTwilioClient).requests();
    const redirect = requests.filter((r) => r.kind === "redirectQueueMember");
    expect(redirect).to.have.length(1);
    expect(redirect[0]!.params).to.deep.equal({ queueName: "support-nl", callSid: call.callSid, url: `${bed.server.url}/twilio/connect-agent?agentId=${winner.row.id}` });
  });

  it("undoes an accept whose caller Twilio cannot dequeue (404: no longer in the queue) and offers the call again", async () => {
    const tickets = bed.server.context.dataSource.getRepository(Ticket);
    const ticket = await tickets.save({ number: "2026-900777", contactType: "incident", customerId: bed.world.customer.id, language: "nl", status: "new", subject: "Printer" });
    const els = await agent("Els", ["nl"]);
    const socket = await online(els);
    const pops = collect(socket, "screenpop:show");
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true, ticketId: ticket.id });
    await eventually(() => pops[0], 3000, "the pop");
    // Twilio no longer has the caller in that queue: its Queue Member update answers 404.
    await (bed.server.context.twilio as SimulatedTwilioClient).queues.leave(call.queueName!, call.callSid, Date.now());

    const refused = await api(bed.server.url, els.cookie, "POST", `/api/calls/${call.id}/accept`);
    expect(refused.status).to.equal(502);
    expect(refused.body.error).to.deep.include({ id: "dequeue_failed" });
    expect(refused.body.error.message).to.match(/could not be put through/);

    const stored = await bed.server.context.dataSource.getRepository(Call).findOneByOrFail({ id: call.id });
    expect(stored).to.include({ acceptedByAgentId: null, answeredAt: null, outcome: "queued" });
    expect((await bed.server.context.dataSource.getRepository(Agent).findOneByOrFail({ id: els.row.id })).status).to.equal("available");
    expect(await tickets.findOneByOrFail({ id: ticket.id })).to.include({ assigneeId: null, firstRespondedAt: null, status: "new" });
    const events = await bed.server.context.dataSource.query(`SELECT type FROM ticket_events WHERE ticketId = ? ORDER BY id`, [ticket.id]) as { type: string }[];
    expect(events.map((e) => e.type)).to.deep.equal(["assigned", "unassigned"]);
    const callEvents = await bed.server.context.dataSource.query(`SELECT type FROM call_events WHERE callId = ? ORDER BY id`, [call.id]) as { type: string }[];
    expect(callEvents.map((e) => e.type)).to.include.members(["accepted", "accept_undone"]);
    // The pop is offered again, and the call can be accepted again (once the caller waits in the queue).
    await eventually(() => pops.find((pop, index) => index > 0 && pop.callId === call.id), 3000, "the pop offered again");
    await (bed.server.context.twilio as SimulatedTwilioClient).queues.join(call.queueName!, call.callSid, Date.now());
    expect((await api(bed.server.url, els.cookie, "POST", `/api/calls/${call.id}/accept`)).status).to.equal(200);
  });

  it("answers a stale pop accepted again with 409 and changes nothing", async () => {
    const els = await agent("Els", ["nl"]);
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    expect((await api(bed.server.url, els.cookie, "POST", `/api/calls/${call.id}/accept`)).status).to.equal(200);
    const again = await api(bed.server.url, els.cookie, "POST", `/api/calls/${call.id}/accept`);
    expect(again.status).to.equal(409);
    expect(again.body.error).to.deep.equal({ id: "call_already_yours", message: "You already accepted this call." });

    await updateCall(bed.server.context, call.id, { endedAt: new Date(), outcome: "completed" }, "call.ended");
    const jan = await agent("Jan", ["nl"]);
    const ended = await api(bed.server.url, jan.cookie, "POST", `/api/calls/${call.id}/accept`);
    expect(ended.status).to.equal(409);
    expect(ended.body.error.id).to.equal("call_taken");
  });

  it("refuses with 409 an accept while the caller is still in the menu or leaving a message, and accepts once queued", async () => {
    const els = await agent("Els", ["nl"]);
    const pops = collect(await online(els), "screenpop:show");
    const call = await identifiedCall(bed.server.context, { person: bed.world.person });
    expect(await eventually(() => pops[0], 3000, "the pop in the menu")).to.include({ callId: call.id, stage: "menu" });
    const early = await api(bed.server.url, els.cookie, "POST", `/api/calls/${call.id}/accept`);
    expect(early.status).to.equal(409);
    expect(early.body.error).to.deep.equal({ id: "call_not_queued", message: "The caller is still in the menu: you can accept the call once they wait in the queue." });
    const stored = await bed.server.context.dataSource.getRepository(Call).findOneByOrFail({ id: call.id });
    expect(stored.acceptedByAgentId).to.equal(null);
    expect((await bed.server.context.dataSource.getRepository(Agent).findOneByOrFail({ id: els.row.id })).status).to.equal("available");

    await updateCall(bed.server.context, call.id, { outcome: "queued", queueName: "desk-nl", queuedAt: new Date(), ivrStep: "queue" });
    // The caller now waits in Twilio's queue too: the simulated client dequeues only a member.
    await new RedisQueueRegistry(bed.server.context.redis, bed.server.context.env.REDIS_PREFIX).join("desk-nl", call.callSid, Date.now());
    expect(await eventually(() => pops.find((pop) => pop.stage === "queued"), 3000, "the pop once queued")).to.include({ callId: call.id });
    expect((await api(bed.server.url, els.cookie, "POST", `/api/calls/${call.id}/accept`)).status).to.equal(200);

    const toVoicemail = await identifiedCall(bed.server.context, { person: bed.world.person });
    await updateCall(bed.server.context, toVoicemail.id, { outcome: "voicemail", ivrStep: "voicemail" });
    const jan = await agent("Jan", ["nl"]);
    const refused = await api(bed.server.url, jan.cookie, "POST", `/api/calls/${toVoicemail.id}/accept`);
    expect(refused.status).to.equal(409);
    expect(refused.body.error.id).to.equal("call_in_voicemail");
  });

  it("closes the pop of a caller sent to voicemail, saying they are leaving a message, not that they hung up", async () => {
    const socket = await online(await agent("Els", ["nl"]));
    const [pops, closes] = [collect(socket, "screenpop:show"), collect(socket, "screenpop:close")];
    const call = await identifiedCall(bed.server.context, { person: bed.world.person });
    await eventually(() => pops[0], 3000, "the pop in the menu");
    await updateCall(bed.server.context, call.id, { outcome: "voicemail", ivrStep: "voicemail" });
    expect(await eventually(() => closes[0], 3000, "the close")).to.deep.equal({ callId: call.id, reason: "voicemail", acceptedBy: null });
  });

  it("refuses an accept by an agent without the caller's language who was not offered the call", async () => {
    await agent("Els", ["nl"]);
    const jean = await agent("Jean", ["fr"]);
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, language: "nl" });
    const refused = await api(bed.server.url, jean.cookie, "POST", `/api/calls/${call.id}/accept`);
    expect(refused.status).to.equal(403);
    expect(refused.body.error.message).to.equal("This caller speaks NL, which is not one of your languages; an agent who speaks it takes the call.");
    expect((await bed.server.context.dataSource.getRepository(Call).findOneByOrFail({ id: call.id })).acceptedByAgentId).to.equal(null);
  });

  it("lets an agent without the language accept a call offered to them as the fallback", async () => {
    const jean = await agent("Jean", ["fr"]);
    const socket = await online(jean);
    const pops = collect(socket, "screenpop:show");
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, language: "nl", queued: true });
    expect((await eventually(() => pops[0], 3000, "the fallback pop")).offer).to.equal("fallback");
    expect((await api(bed.server.url, jean.cookie, "POST", `/api/calls/${call.id}/accept`)).status).to.equal(200);
  });

  it("refuses an accept by an agent who is not available", async () => {
    const piet = await agent("Piet", ["nl"], "away");
    const call = await identifiedCall(bed.server.context, { person: bed.world.person });
    const refused = await api(bed.server.url, piet.cookie, "POST", `/api/calls/${call.id}/accept`);
    expect(refused.status).to.equal(409);
    expect(refused.body.error.id).to.equal("agent_not_available");
  });

  it("closes the pops when the caller hangs up", async () => {
    const { call, closes } = await queuedCallPoppedAtEls();
    await updateCall(bed.server.context, call.id, { endedAt: new Date(), outcome: "abandoned", waitSeconds: 12 }, "call.ended");
    expect(await eventually(() => closes[0], 3000, "the close")).to.deep.equal({ callId: call.id, reason: "ended", acceptedBy: null });
  });

  it("never shows again a pop that was closed, even when it was built from older state", async () => {
    const { call, pops, closes } = await queuedCallPoppedAtEls();
    // The close of a delivery that ran first (the caller hung up), while the database still reads "queued" to a
    // refresh that started earlier:
    await bed.server.realtime.pops.close(call.id, "ended", null);
    await eventually(() => closes[0], 3000, "the close");
    const shown = pops.length;
    await bed.server.realtime.pops.refresh(call.id);
    await settle();
    expect(pops.length).to.equal(shown);
  });

  it("withdraws a fallback pop once an agent who speaks the language becomes available", async () => {
    const jean = await online(await agent("Jean", ["fr"]));
    const closes = collect(jean, "screenpop:close");
    const pops = collect(jean, "screenpop:show");
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, language: "nl" });
    await eventually(() => pops[0], 3000, "the fallback pop");
    await agent("Els", ["nl"]);
    expect(await eventually(() => closes[0], 3000, "the withdrawal")).to.deep.equal({ callId: call.id, reason: "withdrawn", acceptedBy: null });
  });

  it("decides the race across two server instances sharing Redis", async () => {
    const prefix = `sdtest-shared-${process.pid}-${Date.now()}`;
    await bed.server.close();
    bed.server = await startTestServer({ REDIS_PREFIX: prefix });
    const other = await startTestServer({ REDIS_PREFIX: prefix });
    try {
      const els = await agent("Els", ["nl"], "available", bed.server);
      const jan = await agent("Jan", ["nl"], "available", other);
      const janSocket = await online(jan, other);
      const janPops = collect(janSocket, "screenpop:show");
      const janCloses = collect(janSocket, "screenpop:close");
      // Committed on instance 1, pushed through the Redis adapter to Jan's socket on instance 2.
      const call = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
      await eventually(() => janPops[0], 3000, "the pop on the other instance");
      const results = await Promise.all([
        api(bed.server.url, els.cookie, "POST", `/api/calls/${call.id}/accept`),
        api(other.url, jan.cookie, "POST", `/api/calls/${call.id}/accept`),
      ]);
      expect(results.map((r) => r.status).sort()).to.deep.equal([200, 409]);
      if (results[0]!.status === 200) expect((await eventually(() => janCloses[0], 3000, "the close")).acceptedBy!.name).to.equal("Els");
    } finally {
      for (const socket of bed.sockets.splice(0)) socket.close();
      await other.close();
    }
  });
});
