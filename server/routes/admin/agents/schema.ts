import { z } from "zod";
import { AGENT_ROLES, LANGUAGES, UI_LANGUAGES } from "../../../../entities/enums.js";
import { MIN_PASSWORD_LENGTH } from "../../../auth/password-strength.js";
import { agentPayload } from "../../../presenters/admin/agent.js";
import { pagePayload } from "../../../presenters/admin/common.js";
import { email, listQuery, phoneNumber, text } from "../common-schema.js";

/** A new password: 12 to 200 characters (and strong enough: the commands check it with zxcvbn, server/auth/password-strength.ts). */
export const password = z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(200, "must be at most 200 characters");

const agentFields = z.strictObject({
  email,
  name: text(200),
  role: z.enum(AGENT_ROLES),
  languages: z
    .array(z.enum(LANGUAGES))
    .min(1, "choose at least one language")
    .refine((list) => new Set(list).size === list.length, "lists a language twice")
    .describe("languages the agent speaks; calls in these languages are offered to them first (R8)"),
  uiLanguage: z.enum(UI_LANGUAGES).optional(),
  phoneNumber: phoneNumber.nullable().optional(),
  active: z.boolean().optional(),
});

/** Body of POST /agents. */
export const createAgentBody = agentFields.extend({ password });

/** Body of PATCH /agents/:id. */
export const updateAgentBody = agentFields.partial();

/** Body of PUT /agents/:id/password. */
export const setPasswordBody = z.strictObject({ password });

/** Query of GET /agents. */
export const listAgentsQuery = listQuery.extend({ role: z.enum(AGENT_ROLES).optional() });

export const agentPage = pagePayload(agentPayload);
