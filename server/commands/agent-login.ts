import { z } from "zod";
import { Agent } from "../../entities/Agent.js";
import { hashPassword, verifyPassword } from "../auth/passwords.js";
import { openSession } from "../auth/sessions.js";
import { HttpError } from "../errors/http-error.js";
import { validate } from "../errors/validation.js";
import type { CommandContext } from "./transaction.js";

export interface AgentLoginProps {
  email: string;
  password: string;
  /** Session lifetime in hours (SESSION_TTL_HOURS). */
  ttlHours: number;
}

const schema = z.object({
  email: z.string().trim().min(1, "enter your e-mail address").max(200),
  password: z.string().min(1, "enter your password").max(500),
});

/** Wrong e-mail, wrong password and a deactivated account get the same answer, so accounts cannot be probed. */
export const wrongCredentials = () => new HttpError(401, "wrong_credentials", "Wrong e-mail address or password.");

let dummyHash: Promise<string> | undefined;

/** Checks an agent's password and opens a session; returns the agent and the cookie token. */
export async function agentLogin(context: CommandContext, props: AgentLoginProps): Promise<{ agent: Agent; token: string; expiresAt: Date }> {
  const input = validate(schema, { email: props.email, password: props.password });
  const agent = await context.dataSource
    .getRepository(Agent)
    .createQueryBuilder("agent")
    .where("LOWER(agent.email) = :email", { email: input.email.toLowerCase() })
    .getOne();
  // An unknown address still costs one scrypt, so response times do not reveal which accounts exist.
  const stored = agent?.passwordHash ?? (await (dummyHash ??= hashPassword("not-a-real-password")));
  const matches = await verifyPassword(input.password, stored);
  if (!agent || !matches || !agent.active) throw wrongCredentials();
  const session = await openSession(context.dataSource, agent.id, props.ttlHours);
  return { agent, ...session };
}
