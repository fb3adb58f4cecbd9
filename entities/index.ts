import { Agent } from "./Agent.js";
import { AgentSession } from "./AgentSession.js";
import { AuditEntry } from "./AuditEntry.js";
import { BillableEntry } from "./BillableEntry.js";
import { Call } from "./Call.js";
import { CallbackRequest } from "./CallbackRequest.js";
import { CallEvent } from "./CallEvent.js";
import { Campus } from "./Campus.js";
import { Contract } from "./Contract.js";
import { CostConsent } from "./CostConsent.js";
import { Customer } from "./Customer.js";
import { OnSiteRequest } from "./OnSiteRequest.js";
import { OutboxMessage } from "./OutboxMessage.js";
import { PhoneNumber } from "./PhoneNumber.js";
import { Product } from "./Product.js";
import { ReferencePerson } from "./ReferencePerson.js";
import { RemoteSession } from "./RemoteSession.js";
import { SlaPolicy } from "./SlaPolicy.js";
import { SmsMessage } from "./SmsMessage.js";
import { Ticket } from "./Ticket.js";
import { TicketEvent } from "./TicketEvent.js";
import { TicketSequence } from "./TicketSequence.js";

export {
  Agent, AgentSession, AuditEntry, BillableEntry, Call, CallbackRequest, CallEvent, Campus, Contract, CostConsent,
  Customer, OnSiteRequest, OutboxMessage, PhoneNumber, Product, ReferencePerson, RemoteSession, SlaPolicy, SmsMessage,
  Ticket, TicketEvent, TicketSequence,
};
export * from "./enums.js";

/** Every entity, for the DataSource. */
export const allEntities = [
  Agent, AgentSession, AuditEntry, BillableEntry, Call, CallbackRequest, CallEvent, Campus, Contract, CostConsent,
  Customer, OnSiteRequest, OutboxMessage, PhoneNumber, Product, ReferencePerson, RemoteSession, SlaPolicy, SmsMessage,
  Ticket, TicketEvent, TicketSequence,
];
