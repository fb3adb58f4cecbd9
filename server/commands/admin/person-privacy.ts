import { In, Not, type EntityManager } from "typeorm";
import { AuditEntry } from "../../../entities/AuditEntry.js";
import { Call } from "../../../entities/Call.js";
import { CallbackRequest } from "../../../entities/CallbackRequest.js";
import { CallEvent } from "../../../entities/CallEvent.js";
import { CostConsent } from "../../../entities/CostConsent.js";
import { PhoneNumber } from "../../../entities/PhoneNumber.js";
import { ReferencePerson } from "../../../entities/ReferencePerson.js";
import { RemoteSession } from "../../../entities/RemoteSession.js";
import { SmsMessage } from "../../../entities/SmsMessage.js";
import { Ticket } from "../../../entities/Ticket.js";
import { TicketEvent } from "../../../entities/TicketEvent.js";
import { conflict } from "../../errors/http-error.js";
import { isoOrNull } from "../../presenters/format.js";
import { presentPerson } from "../../presenters/admin/person.js";
import { inTransaction, type CommandContext } from "../transaction.js";
import { writeAudit } from "./audit.js";
import { ERASED, personalDataScrubber, scrubJson } from "./personal-data.js";
import { loadPerson } from "./persons.js";
import type { Actor } from "./records.js";

/** Numbers of the person that no other person shares: SMS to those were certainly sent to them. */
async function exclusiveNumbers(manager: EntityManager, personId: number, numbers: string[]): Promise<string[]> {
  if (numbers.length === 0) return [];
  const shared = await manager.getRepository(PhoneNumber).find({ where: { e164: In(numbers), personId: Not(personId) }, select: { e164: true } });
  const sharedSet = new Set(shared.map((n) => n.e164));
  return numbers.filter((n) => !sharedSet.has(n));
}

/** Everything held about one reference person (privacy access request); the export itself is audited. */
export async function personExporter(context: CommandContext, props: Actor & { id: number }) {
  return inTransaction(context, async (tx) => {
    const manager = tx.manager;
    const person = await loadPerson(manager, props.id);
    const numbers = person.phoneNumbers.map((n) => n.e164);
    const tickets = await manager.getRepository(Ticket).find({ where: { reporterId: person.id }, relations: { product: true }, order: { id: "ASC" } });
    const consents = await manager.getRepository(CostConsent).find({ where: { decidedByPersonId: person.id }, relations: { ticket: true }, order: { id: "ASC" } });
    const calls = await manager.getRepository(Call).find({ where: { personId: person.id }, order: { id: "ASC" } });
    const callbacks = calls.length ? await manager.getRepository(CallbackRequest).find({ where: { callId: In(calls.map((c) => c.id)) }, order: { id: "ASC" } }) : [];
    const sessions = await manager.getRepository(RemoteSession).find({ where: { personId: person.id }, relations: { ticket: true }, order: { id: "ASC" } });
    const ownNumbers = await exclusiveNumbers(manager, person.id, numbers);
    const sms = ownNumbers.length ? await manager.getRepository(SmsMessage).find({ where: { toNumber: In(ownNumbers) }, order: { id: "ASC" } }) : [];
    const audit = await manager.getRepository(AuditEntry).find({ where: { entityType: "reference_person", entityId: String(person.id) }, order: { id: "ASC" } });
    await writeAudit(manager, { actorAgentId: props.actorId, entityType: "reference_person", entityId: person.id, action: "export" });
    return {
      exportedAt: new Date().toISOString(),
      person: presentPerson(person),
      phoneNumbers: person.phoneNumbers.map((n) => ({ e164: n.e164, label: n.label })),
      tickets: tickets.map((t) => ({
        number: t.number,
        contactType: t.contactType,
        priority: t.priority,
        status: t.status,
        language: t.language,
        subject: t.subject,
        description: t.description,
        product: t.product ? t.product.name : null,
        entitled: Boolean(t.entitled),
        createdAt: isoOrNull(t.createdAt),
        resolvedAt: isoOrNull(t.resolvedAt),
        closedAt: isoOrNull(t.closedAt),
      })),
      costConsents: consents.map((c) => ({
        ticketNumber: c.ticket?.number ?? null,
        status: c.status,
        estimateText: c.estimateText,
        estimateAmountCents: c.estimateAmountCents,
        method: c.method,
        decidedAt: isoOrNull(c.decidedAt),
      })),
      calls: calls.map((c) => ({
        callSid: c.callSid,
        direction: c.direction,
        fromNumber: c.fromNumber,
        toNumber: c.toNumber,
        language: c.language,
        outcome: c.outcome,
        createdAt: isoOrNull(c.createdAt),
        answeredAt: isoOrNull(c.answeredAt),
        endedAt: isoOrNull(c.endedAt),
        waitSeconds: c.waitSeconds,
        durationSeconds: c.durationSeconds,
        recordingUrl: c.recordingUrl,
      })),
      callbackRequests: callbacks.map((c) => ({ phoneNumber: c.phoneNumber, language: c.language, status: c.status, queuedAt: isoOrNull(c.queuedAt), createdAt: isoOrNull(c.createdAt) })),
      remoteSessions: sessions.map((s) => ({ ticketNumber: s.ticket?.number ?? null, scheduledAt: isoOrNull(s.scheduledAt), durationMinutes: s.durationMinutes, status: s.status, notes: s.notes })),
      smsMessages: sms.map((s) => ({ toNumber: s.toNumber, body: s.body, status: s.status, createdAt: isoOrNull(s.createdAt) })),
      auditTrail: audit.map((a) => ({ action: a.action, actorAgentId: a.actorAgentId, changes: a.changes, createdAt: isoOrNull(a.createdAt) })),
    };
  });
}

/** What an erasure touched, by kind. */
export interface ErasureSummary {
  tickets: number;
  ticketEvents: number;
  calls: number;
  callbackRequests: number;
  costConsents: number;
  remoteSessions: number;
  smsMessages: number;
  phoneNumbers: number;
  auditEntries: number;
}

/**
 * Erases a person on request: tickets stay but their personal data is replaced by "[erased]", numbers are deleted,
 * the PIN removed, calls anonymised, the person row kept as an anonymous stub with `erasedAt`; the erasure is audited.
 */
export async function personEraser(context: CommandContext, props: Actor & { id: number; now?: Date }): Promise<{ person: ReferencePerson; summary: ErasureSummary }> {
  const summary = await inTransaction(context, async (tx) => {
    const manager = tx.manager;
    const person = await loadPerson(manager, props.id);
    if (person.erasedAt) throw conflict("already_erased", "This reference person was already erased.");
    const numbers = person.phoneNumbers.map((n) => n.e164);
    const scrub = personalDataScrubber(person, numbers);
    const count: ErasureSummary = { tickets: 0, ticketEvents: 0, calls: 0, callbackRequests: 0, costConsents: 0, remoteSessions: 0, smsMessages: 0, phoneNumbers: numbers.length, auditEntries: 0 };

    const tickets = await manager.getRepository(Ticket).find({ where: { reporterId: person.id }, select: { id: true, subject: true, description: true } });
    for (const ticket of tickets) {
      const subject = scrub(ticket.subject);
      const description = ticket.description === null ? null : scrub(ticket.description);
      if (subject !== ticket.subject || description !== ticket.description) await manager.getRepository(Ticket).update({ id: ticket.id }, { subject, description });
      count.tickets++;
    }
    if (tickets.length) {
      const events = await manager.getRepository(TicketEvent).find({ where: { ticketId: In(tickets.map((t) => t.id)) }, select: { id: true, data: true } });
      for (const event of events) {
        const data = scrubJson(event.data, scrub);
        if (JSON.stringify(data) !== JSON.stringify(event.data)) {
          await manager.getRepository(TicketEvent).update({ id: event.id }, { data: data as never });
          count.ticketEvents++;
        }
      }
    }

    const calls = await manager.getRepository(Call).find({ where: { personId: person.id }, select: { id: true } });
    if (calls.length) {
      const callIds = calls.map((c) => c.id);
      await manager.getRepository(Call).update({ id: In(callIds) }, { fromNumber: "anonymous", fromE164: null, recordingUrl: null });
      count.calls = calls.length;
      const events = await manager.getRepository(CallEvent).find({ where: { callId: In(callIds) }, select: { id: true, data: true } });
      for (const event of events) {
        const data = scrubJson(event.data, scrub);
        if (JSON.stringify(data) !== JSON.stringify(event.data)) await manager.getRepository(CallEvent).update({ id: event.id }, { data: data as never });
      }
      const callbacks = await manager.getRepository(CallbackRequest).find({ where: { callId: In(callIds) }, select: { id: true, status: true } });
      for (const callback of callbacks) {
        const open = ["pending", "offered", "dialing"].includes(callback.status);
        await manager.getRepository(CallbackRequest).update({ id: callback.id }, { phoneNumber: "", ...(open ? { status: "cancelled" as const } : {}) });
      }
      count.callbackRequests = callbacks.length;
    }

    const consents = await manager.getRepository(CostConsent).find({ where: { decidedByPersonId: person.id }, select: { id: true, estimateText: true } });
    for (const consent of consents) {
      const estimateText = scrub(consent.estimateText);
      if (estimateText !== consent.estimateText) await manager.getRepository(CostConsent).update({ id: consent.id }, { estimateText });
    }
    count.costConsents = consents.length;

    const sessions = await manager.getRepository(RemoteSession).find({ where: { personId: person.id }, select: { id: true, notes: true } });
    for (const session of sessions) {
      if (session.notes !== null && scrub(session.notes) !== session.notes) await manager.getRepository(RemoteSession).update({ id: session.id }, { notes: scrub(session.notes) });
    }
    count.remoteSessions = sessions.length;

    const ownNumbers = await exclusiveNumbers(manager, person.id, numbers);
    if (ownNumbers.length) {
      const sms = await manager.getRepository(SmsMessage).find({ where: { toNumber: In(ownNumbers) }, select: { id: true } });
      if (sms.length) await manager.getRepository(SmsMessage).update({ id: In(sms.map((s) => s.id)) }, { toNumber: "anonymous", body: ERASED });
      count.smsMessages = sms.length;
    }

    // Earlier audit entries hold the person's names and numbers in their changes.
    const audit = await manager.getRepository(AuditEntry).find({ where: { entityType: "reference_person", entityId: String(person.id) }, select: { id: true, changes: true } });
    for (const entry of audit) {
      const changes = scrubJson(entry.changes, scrub);
      if (JSON.stringify(changes) !== JSON.stringify(entry.changes)) {
        await manager.getRepository(AuditEntry).update({ id: entry.id }, { changes: changes as never });
        count.auditEntries++;
      }
    }

    await manager.getRepository(PhoneNumber).delete({ personId: person.id });
    await manager.getRepository(ReferencePerson).update(
      { id: person.id },
      { firstName: ERASED, lastName: ERASED, email: null, pinHash: null, active: false, erasedAt: props.now ?? new Date() },
    );
    await writeAudit(manager, { actorAgentId: props.actorId, entityType: "reference_person", entityId: person.id, action: "erase", changes: { ...count } });
    return count;
  });
  return { person: await loadPerson(context.dataSource.manager, props.id), summary };
}
