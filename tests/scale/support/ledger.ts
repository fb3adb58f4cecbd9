import { In, IsNull, type DataSource } from "typeorm";
import { Call } from "../../../entities/Call.js";
import { OutboxMessage } from "../../../entities/OutboxMessage.js";
import { Ticket } from "../../../entities/Ticket.js";
import type { CallerResult } from "./callers.js";

/** What the database holds for the calls of a load run, against what the callers heard. */
export interface TicketLedger {
  /** Call rows of the run's CallSids. */
  calls: Call[];
  /** Tickets opened by those calls. */
  tickets: Ticket[];
  /** Calls with more than one ticket: "CallSid ×n". */
  duplicates: string[];
  /** Callers who heard a ticket number that no ticket of their call has. */
  lost: CallerResult[];
  /** CallSids with more than one call row. */
  doubledCalls: string[];
}

/** Reads the calls and tickets of `results` and compares them with what each caller heard. */
export async function ticketLedger(dataSource: DataSource, results: CallerResult[]): Promise<TicketLedger> {
  const callSids = [...new Set(results.map((result) => result.callSid).filter((sid): sid is string => sid !== null))];
  const calls = callSids.length === 0 ? [] : await dataSource.getRepository(Call).findBy({ callSid: In(callSids) });
  const tickets = calls.length === 0 ? [] : await dataSource.getRepository(Ticket).findBy({ sourceCallId: In(calls.map((call) => call.id)) });
  const callBySid = new Map(calls.map((call) => [call.callSid, call]));
  const sidById = new Map(calls.map((call) => [call.id, call.callSid]));

  const perCall = new Map<number, number>();
  for (const ticket of tickets) perCall.set(ticket.sourceCallId!, (perCall.get(ticket.sourceCallId!) ?? 0) + 1);
  const duplicates = [...perCall.entries()].filter(([, count]) => count > 1).map(([callId, count]) => `${sidById.get(callId)} ×${count}`);

  const lost = results.filter((result) => {
    if (!result.ticketNumber) return false;
    const call = callBySid.get(result.callSid!);
    return !call || !tickets.some((ticket) => ticket.sourceCallId === call.id && ticket.number === result.ticketNumber && call.ticketId === ticket.id);
  });
  const rowsPerSid = new Map<string, number>();
  for (const call of calls) rowsPerSid.set(call.callSid, (rowsPerSid.get(call.callSid) ?? 0) + 1);
  const doubledCalls = [...rowsPerSid.entries()].filter(([, count]) => count > 1).map(([sid]) => sid);
  return { calls, tickets, duplicates, lost, doubledCalls };
}

/** Outbox messages not yet published to Socket.IO and BullMQ. */
export async function unpublishedOutbox(dataSource: DataSource): Promise<number> {
  return dataSource.getRepository(OutboxMessage).countBy({ publishedAt: IsNull() });
}
