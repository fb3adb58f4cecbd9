import type { Call } from "../../../entities/Call.js";
import type { Contract } from "../../../entities/Contract.js";
import { Product } from "../../../entities/Product.js";
import { ReferencePerson } from "../../../entities/ReferencePerson.js";
import { Ticket } from "../../../entities/Ticket.js";
import type { Effect, IvrState } from "../../../ivr-flows/index.js";
import type { AppContext } from "../../context.js";
import { coveredProducts, entitlementOf, loadEntitlement } from "../../domain/entitlement.js";
import { findPersonByPin, findPersonsOneDigitFrom } from "../../domain/identification.js";
import { alertSupervisors } from "../../jobs/notify.js";
import type { OutboxRecorder } from "../../events/outbox.js";
import { requestCallbackInTransaction } from "../callback-requester.js";
import { createTicketInTransaction } from "../ticket-creator.js";
import { recordCallEvent } from "./call-webhook.js";

/** Everything an effect may touch: the transaction, the locked call, the instant of the webhook. */
export interface EffectScope {
  context: AppContext;
  tx: OutboxRecorder;
  call: Call;
  now: Date;
  /** Dedupe key of the delivery; secondary events append their type to it. */
  deliveryKey: string;
  /** Set when something agents see changed (→ call.updated). */
  progressed: boolean;
  /** Active persons this delivery already loaded (the caller-ID candidates), so identifying one needs no second read. */
  knownPersons?: Map<number, ReferencePerson>;
  /** Contracts by customer this delivery already loaded (those of the caller-ID candidates' customers). */
  knownContracts?: Map<number, Contract[]>;
}

/** Subjects of tickets the IVR opens (data for agents, not spoken). */
const SUBJECTS = {
  support: (state: IvrState) => `Phone call: ${state.contactType ?? "question"}`,
  notEntitled: () => "Phone call without entitlement: account management follow-up",
};

/** Applies one step effect to the database and returns the state with its result (R2, R4, R8, R10). */
export async function applyEffect(scope: EffectScope, state: IvrState, effect: Effect): Promise<IvrState> {
  const { tx, call } = scope;
  switch (effect.kind) {
    case "identify":
      return identify(scope, state, effect.personId, "caller_id_or_menu");
    case "checkPin": {
      const key = call.fromE164 ? pinFailureKey(scope.context, call.fromE164) : null;
      if (key && Number(await scope.context.redis.get(key)) >= PIN_LOCKOUT_FAILURES) return lockOut(scope, state);
      const person = await findPersonByPin(tx.manager, effect.pin, scope.context.env.PIN_SECRET);
      if (person && (await personPinFailures(scope.context, person.id)) >= PIN_LOCKOUT_FAILURES) return lockOutPerson(scope, state, person.id);
      if (person) (scope.knownPersons ??= new Map()).set(person.id, person);
      if (!person) {
        recordCallEvent(tx, call.id, `${scope.deliveryKey}/pin_rejected`, "pin_rejected", { attempt: state.pinTries + 1 });
        const lockedPerson = await countPersonPinFailures(scope, effect.pin);
        const failures = key ? await countPinFailure(scope.context, key) : 0;
        // The supervisors hear of it once, when the lock starts, not at every refused attempt after it.
        if (failures === PIN_LOCKOUT_FAILURES) {
          await alertSupervisors(tx, { kind: "pin_locked_out", key: "alertPinLockedOut", params: { phone: call.fromE164!, failures, minutes: PIN_LOCKOUT_WINDOW_SECONDS / 60 } });
        }
        if (failures >= PIN_LOCKOUT_FAILURES) return lockOut(scope, state);
        if (lockedPerson !== null) return lockOutPerson(scope, state, lockedPerson);
        return { ...state, pinRejected: true };
      }
      return identify(scope, { ...state, pinRejected: false }, person.id, "pin");
    }
    case "setLanguage": {
      call.language = effect.language;
      if (state.person) await tx.manager.getRepository(ReferencePerson).update({ id: state.person.id }, { language: effect.language });
      recordCallEvent(tx, call.id, `${scope.deliveryKey}/language_chosen`, "language_chosen", { language: effect.language });
      scope.progressed = true;
      return { ...state, language: effect.language };
    }
    case "openTicket":
      return openTicket(scope, state, effect.purpose);
    case "enqueue":
      call.queueName = effect.queueName;
      call.queuedAt = scope.now;
      if (call.outcome === "in_ivr") call.outcome = "queued";
      scope.progressed = true;
      return state;
    case "outcome":
      call.outcome = effect.outcome;
      scope.progressed = true;
      return state;
    case "requestCallback": {
      if (!state.callbackNumber || !state.language) return state;
      const { callbackId } = await requestCallbackInTransaction(tx, {
        callId: call.id,
        ticketId: call.ticketId,
        phoneNumber: state.callbackNumber,
        language: state.language,
        queuedAt: call.queuedAt ?? scope.now,
      });
      recordCallEvent(tx, call.id, `${scope.deliveryKey}/callback_requested`, "callback_requested", { callbackId });
      return state;
    }
    case "event":
      recordCallEvent(tx, call.id, `${scope.deliveryKey}/${effect.type}`, effect.type, effect.data ?? null);
      return state;
  }
}

/** Failed PINs from one caller ID within the window after which no PIN is accepted from it (issue 18). */
export const PIN_LOCKOUT_FAILURES = 5;
/** The counting window: the first failure starts it, so the lock lifts 15 minutes after that one. */
export const PIN_LOCKOUT_WINDOW_SECONDS = 15 * 60;

/** Redis key counting a caller ID's failed PINs; only a real caller ID is counted (an anonymous one would lock out every anonymous caller). */
export function pinFailureKey(context: AppContext, fromE164: string): string {
  return `${context.env.REDIS_PREFIX}:pin-failures:${fromE164}`;
}

/** Counts one failed PIN and returns the count; the expiry and the INCR go in one MULTI so no key is ever left without expiry. */
async function countPinFailure(context: AppContext, key: string): Promise<number> {
  // SET NX EX creates the key with its expiry only when absent: the window starts at the first failure ("5 in 15 minutes")
  // and a later failure does not extend it; unlike EXPIRE NX it needs no Redis 7 (the private redis-server may be older).
  const replies = await context.redis.multi().set(key, "0", "EX", PIN_LOCKOUT_WINDOW_SECONDS, "NX").incr(key).exec();
  const [error, count] = replies?.[1] ?? [new Error("MULTI aborted"), null];
  if (error) throw error;
  return Number(count);
}

/** Redis key counting the failed PINs meant for one person (one digit from theirs), from any number. */
export function personPinFailureKey(context: AppContext, personId: number): string {
  return `${context.env.REDIS_PREFIX}:pin-failures:person:${personId}`;
}

/** The person's failed PINs in the current window. */
async function personPinFailures(context: AppContext, personId: number): Promise<number> {
  return Number(await context.redis.get(personPinFailureKey(context, personId)));
}

/**
 * Counts a wrong PIN against every person whose PIN it misses by one digit (see docs/decisions/pin-failures-per-person.md):
 * a guesser rotating caller IDs (or withholding them) closes in on a person's code, and at the 5th such failure in
 * 15 minutes that person's code is refused from any number; supervisors hear of it once, when the lock starts. Returns
 * a locked person the code is one digit from (refused the same way as their own code, so the answer tells a guesser
 * nothing more), else null.
 */
async function countPersonPinFailures(scope: EffectScope, pin: string): Promise<number | null> {
  const { context, tx, call } = scope;
  let locked: number | null = null;
  for (const person of await findPersonsOneDigitFrom(tx.manager, pin, context.env.PIN_SECRET)) {
    const failures = await countPinFailure(context, personPinFailureKey(context, person.id));
    if (failures === PIN_LOCKOUT_FAILURES) {
      recordCallEvent(tx, call.id, `${scope.deliveryKey}/pin_person_locked/${person.id}`, "pin_person_locked", { personId: person.id, failures });
      const name = `${person.firstName} ${person.lastName}`;
      await alertSupervisors(tx, { kind: "pin_person_locked_out", key: "alertPinPersonLockedOut", params: { name, customer: person.customer?.name ?? "", failures, minutes: PIN_LOCKOUT_WINDOW_SECONDS / 60 } });
    }
    if (failures >= PIN_LOCKOUT_FAILURES) locked ??= person.id;
  }
  return locked;
}

/** A person's code is locked out: record the attempt; the pure step tells the caller and goes the unidentified way. */
function lockOutPerson(scope: EffectScope, state: IvrState, personId: number): IvrState {
  recordCallEvent(scope.tx, scope.call.id, `${scope.deliveryKey}/pin_locked_out`, "pin_locked_out", { attempt: state.pinTries + 1, personId });
  return { ...state, pinRejected: true, pinPersonLocked: true };
}

/** The caller ID is locked out: record the attempt; the pure step tells the caller and goes the unidentified way. */
function lockOut(scope: EffectScope, state: IvrState): IvrState {
  recordCallEvent(scope.tx, scope.call.id, `${scope.deliveryKey}/pin_locked_out`, "pin_locked_out", { attempt: state.pinTries + 1 });
  return { ...state, pinRejected: true, pinLocked: true };
}

/** R2 done: the person is known; load R4 entitlement, covered products and the business hours of this instant. */
async function identify(scope: EffectScope, state: IvrState, personId: number, via: string): Promise<IvrState> {
  const { tx, call, context, now } = scope;
  const person = scope.knownPersons?.get(personId) ?? await tx.manager
    .getRepository(ReferencePerson)
    .createQueryBuilder("person")
    .leftJoinAndSelect("person.phoneNumbers", "phoneNumbers")
    .where("person.id = :personId AND person.active = :active", { personId, active: true })
    .getOne();
  if (!person || person.erasedAt) return { ...state, pinRejected: true };
  // A language chosen in this call wins and becomes the remembered one (R8).
  const language = state.language ?? person.language;
  if (state.language && person.language !== state.language) await tx.manager.getRepository(ReferencePerson).update({ id: person.id }, { language: state.language });
  const today = context.calendar.localDate(now);
  const known = scope.knownContracts?.get(person.customerId);
  const verdict = known ? entitlementOf(known, null, today) : await loadEntitlement(tx.manager, person.customerId, null, today);
  const covered = coveredProducts(verdict.contracts, today).filter((product) => (product as Product).active !== false);
  call.personId = person.id;
  call.customerId = person.customerId;
  call.language = language;
  scope.progressed = true;
  recordCallEvent(tx, call.id, `${scope.deliveryKey}/identified`, "identified", { personId: person.id, via });
  return {
    ...state,
    language,
    person: { id: person.id, firstName: person.firstName, lastName: person.lastName, customerId: person.customerId, campusId: person.campusId },
    entitled: verdict.entitled,
    entitlementReason: verdict.entitled ? null : verdict.reason,
    open: context.calendar.isOpen(now),
    products: covered
      .map((product) => ({ id: product.id, name: (product as Product).name, spokenNames: (product as Product).spokenNames ?? null }))
      .sort((a, b) => a.id - b.id),
    callbackNumber: call.fromE164 ?? person.phoneNumbers?.[0]?.e164 ?? null,
  };
}

/** Opens the call's one ticket (a retried webhook finds it on the call and opens none). */
async function openTicket(scope: EffectScope, state: IvrState, purpose: "support" | "notEntitled"): Promise<IvrState> {
  const { tx, call, context, now } = scope;
  if (call.ticketId !== null) {
    if (state.ticket?.id === call.ticketId) return state;
    const existing = await tx.manager.getRepository(Ticket).findOneOrFail({ where: { id: call.ticketId }, select: { id: true, number: true } });
    return { ...state, ticket: { id: existing.id, number: existing.number } };
  }
  if (!state.person) throw new Error("openTicket needs an identified caller");
  const ticket = await createTicketInTransaction(tx, context.calendar, {
    contactType: purpose === "notEntitled" ? "question" : (state.contactType ?? "question"),
    priority: purpose === "notEntitled" ? "normal" : (state.priority ?? "normal"),
    customerId: state.person.customerId,
    campusId: state.person.campusId,
    reporterId: state.person.id,
    productId: purpose === "notEntitled" ? null : state.productId,
    language: state.language ?? "nl",
    subject: purpose === "notEntitled" ? SUBJECTS.notEntitled() : SUBJECTS.support(state),
    sourceCallId: call.id,
    actor: { type: "caller", id: state.person.id },
    openedAt: now,
  });
  call.ticketId = ticket.id;
  scope.progressed = true;
  recordCallEvent(tx, call.id, `${scope.deliveryKey}/ticket_opened`, "ticket_opened", { ticketId: ticket.id, number: ticket.number, purpose });
  return { ...state, ticket: { id: ticket.id, number: ticket.number } };
}
