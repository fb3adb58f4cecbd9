import { HttpError } from "./http-error.js";

/** R6: only an active reference person of the ticket's own customer may give or refuse a cost consent. */
export class IneligibleConsenterError extends HttpError {
  constructor(readonly personId: number, readonly ticketId: number) {
    super(
      422,
      "consenter_not_reference_person",
      "Only an active reference person of this ticket's customer can give or refuse consent to costs.",
      { field: "personId", personId, ticketId },
    );
    this.name = "IneligibleConsenterError";
  }
}
