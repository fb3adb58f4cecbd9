import { outboxMessagePayload } from "../../../presenters/admin/outbox-message.js";
import { pagePayload } from "../../../presenters/admin/common.js";
import { listQuery } from "../common-schema.js";

/** Query of GET /outbox/dead-letters: newest first, q searches topic and error. */
export const listDeadLettersQuery = listQuery;

export const deadLetterPage = pagePayload(outboxMessagePayload);
