import { deadLetterRetrier, listDeadLetters } from "../../../commands/admin/outbox-dead-letters.js";
import type { AppContext } from "../../../context.js";
import { presentPage } from "../../../presenters/admin/common.js";
import { outboxMessagePayload, presentOutboxMessage } from "../../../presenters/admin/outbox-message.js";
import { idParams } from "../common-schema.js";
import { ResourceRouter } from "../route-kit.js";
import { deadLetterPage, listDeadLettersQuery } from "./schema.js";

/** /api/admin/outbox: the messages the outbox relay gave up on, for administrators only. */
export function outboxRoutes(context: AppContext): ResourceRouter {
  const api = new ResourceRouter("/outbox", "Outbox");
  api.route({ method: "get", path: "/dead-letters", summary: "Dead-lettered outbox messages, newest first (q searches topic and error)", access: "admin", query: listDeadLettersQuery, response: deadLetterPage }, async ({ query }) =>
    presentPage(await listDeadLetters(context, query), presentOutboxMessage),
  );
  api.route(
    { method: "post", path: "/dead-letters/:id/retry", summary: "Retry a dead-lettered message (only the processors that failed get it)", access: "admin", params: idParams, response: outboxMessagePayload, errors: [409] },
    async ({ params, agent }) => presentOutboxMessage(await deadLetterRetrier(context, { actorId: agent.id, id: params.id })),
  );
  return api;
}
