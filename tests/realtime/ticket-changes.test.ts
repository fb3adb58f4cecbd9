import { expect } from "chai";
import type { Language } from "../../entities/enums.js";
import { ticketCreator } from "../../server/commands/ticket-creator.js";
import { fixtures } from "../support/fixtures.js";
import { api, collect, connectSocket, eventually, login, realtimeTestBed, settle } from "../routes/console/helpers.js";

describe("ticket changes over Socket.IO", () => {
  const bed = realtimeTestBed();

  async function online(name: string, languages: Language[] = ["nl"]) {
    const row = await fixtures(bed.server.context.dataSource).agent({ name, languages });
    const cookie = await login(bed.server.url, row.email);
    const socket = await connectSocket(bed.server.url, cookie);
    bed.sockets.push(socket);
    return { row, cookie, socket, changes: collect(socket, "ticket:changed") };
  }
  const newTicket = () =>
    ticketCreator(bed.server.context, { contactType: "question", customerId: bed.world.customer.id, reporterId: bed.world.person.id, language: "nl", actor: { type: "caller", id: bed.world.person.id } });

  it("tells the assignee and the consoles watching the ticket, and nobody else", async () => {
    const [assignee, watcher, bystander] = [await online("Els"), await online("Jan"), await online("Piet")];
    const ticket = await newTicket();
    expect(await watcher.socket.timeout(3000).emitWithAck("ticket:watch", [ticket.id])).to.deep.equal({ watching: 1 });

    const assigned = await api(bed.server.url, watcher.cookie, "PATCH", `/api/tickets/${ticket.id}`, { assigneeId: assignee.row.id });
    expect(assigned.status).to.equal(200);
    await eventually(() => assignee.changes.length && watcher.changes.length, 3000, "the change at the assignee and the watcher");
    expect(assignee.changes[0]).to.include({ ticketId: ticket.id });
    await settle();
    expect(bystander.changes).to.be.empty;

    // After unwatching, only the assignee hears of a change.
    expect(await watcher.socket.timeout(3000).emitWithAck("ticket:unwatch", [ticket.id])).to.deep.equal({ watching: 0 });
    const before = { assignee: assignee.changes.length, watcher: watcher.changes.length };
    await api(bed.server.url, bystander.cookie, "POST", `/api/tickets/${ticket.id}/notes`, { text: "Rang back, no answer." });
    await eventually(() => assignee.changes.length > before.assignee, 3000, "the note at the assignee");
    await settle();
    expect(watcher.changes.length).to.equal(before.watcher);
    expect(bystander.changes).to.be.empty;
  });

  it("refuses malformed watch requests and more tickets than a console shows", async () => {
    const { socket } = await online("Els");
    expect(await socket.timeout(3000).emitWithAck("ticket:watch", ["12"] as unknown as number[])).to.have.property("error").that.matches(/ticketIds/);
    expect(await socket.timeout(3000).emitWithAck("ticket:watch", [-1])).to.have.property("error");
    const many = Array.from({ length: 150 }, (_, i) => i + 1);
    expect(await socket.timeout(3000).emitWithAck("ticket:watch", many)).to.deep.equal({ watching: 150 });
    expect(await socket.timeout(3000).emitWithAck("ticket:watch", many.map((id) => id + 1000))).to.have.property("error").that.matches(/at most 200/);
    expect(await socket.timeout(3000).emitWithAck("ticket:watch", [1, 2, 3])).to.deep.equal({ watching: 150 });
  });
});
