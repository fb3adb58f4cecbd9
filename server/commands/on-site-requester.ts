import { z } from "zod";
import { Agent } from "../../entities/Agent.js";
import { OnSiteRequest } from "../../entities/OnSiteRequest.js";
import { conflict, notFound } from "../errors/http-error.js";
import { validate } from "../errors/validation.js";
import { lockTicket } from "./locked-ticket.js";
import { inTransaction, type CommandContext } from "./transaction.js";

export interface OnSiteRequesterProps {
  ticketId: number;
  /** The agent asking. */
  agentId: number;
  /** Why remote support is not enough here (required: on-site work is the exception). */
  reason: string;
}

const schema = z.object({ reason: z.string().trim().min(1, "a written reason is required").max(5000) });

/**
 * R7: an agent asks for an exceptional on-site intervention, with a written reason. It stays pending until
 * a supervisor decides; supervisors are alerted.
 */
export async function onSiteRequester(context: CommandContext, props: OnSiteRequesterProps): Promise<OnSiteRequest> {
  const input = validate(schema, { reason: props.reason });
  return inTransaction(context, async (tx) => {
    const agent = await tx.manager.getRepository(Agent).findOneBy({ id: props.agentId, active: true });
    if (!agent) throw notFound("Agent");
    const ticket = await lockTicket(tx.manager, props.ticketId);
    if (ticket.status === "resolved" || ticket.status === "closed") {
      throw conflict("ticket_closed", `Ticket ${ticket.number} is ${ticket.status}; reopen it before asking for an on-site intervention.`);
    }
    const requests = tx.manager.getRepository(OnSiteRequest);
    if (await requests.exists({ where: { ticketId: ticket.id, status: "pending" } })) {
      throw conflict("on_site_request_pending", "An on-site request for this ticket is already waiting for a supervisor's decision.");
    }
    const request = await requests.save({ ticketId: ticket.id, requestedByAgentId: agent.id, reason: input.reason, status: "pending" });
    await tx.ticketEvent(ticket.id, "on_site_requested", { type: "agent", id: agent.id }, { requestId: request.id, reason: input.reason });
    await tx.record("supervisor.alert", {
      kind: "on_site_approval_needed",
      ticketId: ticket.id,
      message: `${agent.name} asks for an on-site intervention on ticket ${ticket.number}.`,
    });
    return request;
  });
}
