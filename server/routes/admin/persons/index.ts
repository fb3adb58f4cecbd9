import { personEraser, personExporter } from "../../../commands/admin/person-privacy.js";
import { listPersons, loadPerson, personCreator, personDeleter, personUpdater, pinResetter, pinSetter } from "../../../commands/admin/persons.js";
import type { AppContext } from "../../../context.js";
import { presentPage } from "../../../presenters/admin/common.js";
import { personPayload, presentPerson } from "../../../presenters/admin/person.js";
import { idParams } from "../common-schema.js";
import { ResourceRouter } from "../route-kit.js";
import { createPersonBody, erasureResult, listPersonsQuery, personExport, personPage, setPinBody, setPinResult, updatePersonBody } from "./schema.js";

const numbers = (list?: { number: string; label?: string | null }[]) => list?.map((n) => ({ e164: n.number, label: n.label ?? null }));

/** /api/admin/persons: reference persons, their numbers and PIN, privacy export and erasure. */
export function personRoutes(context: AppContext): ResourceRouter {
  const api = new ResourceRouter("/persons", "Reference persons");
  const commandContext = () => ({ ...context, pinSecret: context.env.PIN_SECRET });

  api.route({ method: "get", path: "/", summary: "List reference persons (search on name, e-mail, customer, campus or a phone number)", access: "read", query: listPersonsQuery, response: personPage }, async ({ query }) =>
    presentPage(await listPersons(context, query), presentPerson),
  );
  api.route({ method: "post", path: "/", summary: "Create a reference person", access: "admin", body: createPersonBody, status: 201, response: personPayload, errors: [409] }, async ({ body, agent }) => {
    const { customerId, pin, phoneNumbers, ...fields } = body;
    return presentPerson(await personCreator(commandContext(), { actorId: agent.id, customerId, pin, fields: { ...fields, phoneNumbers: numbers(phoneNumbers) } }));
  });
  api.route({ method: "get", path: "/:id", summary: "One reference person", access: "read", params: idParams, response: personPayload }, async ({ params }) =>
    presentPerson(await loadPerson(context.dataSource.manager, params.id)),
  );
  api.route({ method: "patch", path: "/:id", summary: "Change a reference person (phoneNumbers replaces the set)", access: "admin", params: idParams, body: updatePersonBody, response: personPayload, errors: [409] }, async ({ params, body, agent }) => {
    const { phoneNumbers, ...fields } = body;
    return presentPerson(await personUpdater(context, { actorId: agent.id, id: params.id, fields: { ...fields, phoneNumbers: numbers(phoneNumbers) } }));
  });
  api.route({ method: "delete", path: "/:id", summary: "Delete a reference person nothing refers to", access: "admin", params: idParams, status: 204, errors: [409] }, async ({ params, agent }) => {
    await personDeleter(context, { actorId: agent.id, id: params.id });
  });
  api.route({ method: "put", path: "/:id/pin", summary: "Reset the PIN (given, or generated and returned once)", access: "admin", params: idParams, body: setPinBody, response: setPinResult, errors: [409] }, async ({ params, body, agent }) => {
    return pinResetter(commandContext(), { actorId: agent.id, id: params.id, pin: body.pin });
  });
  api.route({ method: "delete", path: "/:id/pin", summary: "Remove the PIN", access: "admin", params: idParams, status: 204 }, async ({ params, agent }) => {
    await pinSetter(commandContext(), { actorId: agent.id, id: params.id, pin: null });
  });
  api.route({ method: "get", path: "/:id/export", summary: "Export everything held about the person (privacy access request)", access: "admin", params: idParams, response: personExport }, async ({ params, agent, res }) => {
    res.setHeader("Content-Disposition", `attachment; filename="reference-person-${params.id}.json"`);
    return personExporter(context, { actorId: agent.id, id: params.id });
  });
  api.route({ method: "post", path: "/:id/erase", summary: "Erase the person's data (tickets stay, anonymised)", access: "admin", params: idParams, response: erasureResult, errors: [409] }, async ({ params, agent }) => {
    const { person, summary } = await personEraser(context, { actorId: agent.id, id: params.id });
    return { person: presentPerson(person), summary };
  });
  return api;
}
