import { z } from "zod";
import { Agent } from "../../entities/Agent.js";
import { OnSiteRequest } from "../../entities/OnSiteRequest.js";
import { conflict, forbidden, HttpError, notFound } from "../errors/http-error.js";
import { validate } from "../errors/validation.js";
import { lockTicket } from "./locked-ticket.js";
import { inTransaction, type CommandContext } from "./transaction.js";

export interface OnSiteDeciderProps {
  requestId: number;
  /** The supervisor or administrator deciding; the role is checked against the database. */
  deciderAgentId: number;
  decision: "approved" | "refused";
  /** Why it was approved or refused (required either way). */
  reason: string;
  now?: Date;
}

const schema = z.object({
  decision: z.enum(["approved", "refused"]),
  reason: z.string().trim().min(1, "a written reason is required").max(5000),
});

/** R7: a supervisor (or administrator) other than the requester approves, or anyone of them refuses, an on-site request with a written reason; who and when are recorded. */
export async function onSiteDecider(context: CommandContext, props: OnSiteDeciderProps): Promise<OnSiteRequest> {
  const input = validate(schema, { decision: props.decision, reason: props.reason });
  const now = props.now ?? new Date();
  return inTransaction(context, async (tx) => {
    const decider = await tx.manager.getRepository(Agent).findOneBy({ id: props.deciderAgentId, active: true });
    if (!decider || (decider.role !== "supervisor" && decider.role !== "admin")) {
      throw forbidden("Only a supervisor or an administrator can approve or refuse an on-site intervention.");
    }
    const requests = tx.manager.getRepository(OnSiteRequest);
    const found = await requests.findOne({ where: { id: props.requestId }, select: { id: true, ticketId: true } });
    if (!found) throw notFound("On-site request");
    const ticket = await lockTicket(tx.manager, found.ticketId);
    const request = await requests.findOneByOrFail({ id: found.id });
    if (request.status !== "pending") throw conflict("on_site_already_decided", `This on-site request was already ${request.status}.`);
    // R7's approval is a second person's check: a supervisor who asked for the intervention cannot approve it
    // (refusing one's own request, i.e. withdrawing it, needs no second person).
    if (input.decision === "approved" && request.requestedByAgentId === decider.id) {
      throw new HttpError(403, "on_site_self_approval", "You asked for this on-site intervention: another supervisor or administrator must approve it.");
    }

    const changes = { status: input.decision, decidedByAgentId: decider.id, decisionReason: input.reason, decidedAt: now };
    await requests.update({ id: request.id }, changes);
    Object.assign(request, changes);
    await tx.ticketEvent(ticket.id, input.decision === "approved" ? "on_site_approved" : "on_site_refused", { type: "agent", id: decider.id }, {
      requestId: request.id,
      reason: input.reason,
      requestedByAgentId: request.requestedByAgentId,
      decidedAt: now.toISOString(),
    });
    await tx.record("agent.notice", {
      agentId: request.requestedByAgentId,
      kind: input.decision === "approved" ? "on_site_approved" : "on_site_refused",
      ticketId: ticket.id,
      message: `On-site intervention for ticket ${ticket.number} ${input.decision} by ${decider.name}: ${input.reason}`,
    });
    return request;
  });
}
