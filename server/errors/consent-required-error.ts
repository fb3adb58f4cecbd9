import { HttpError } from "./http-error.js";

/** R6: billable work was logged on a ticket that has no consent given by a reference person of its customer. */
export class ConsentRequiredError extends HttpError {
  constructor(readonly ticketId: number) {
    super(
      409,
      "consent_required",
      "Billable work cannot be logged yet: first record the consent of a reference person of this customer " +
        "(who, when, how, and the estimate they were told).",
      { ticketId },
    );
    this.name = "ConsentRequiredError";
  }
}
