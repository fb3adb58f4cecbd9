import { createHash, randomBytes } from "node:crypto";
import { MoreThan, type DataSource } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { AgentSession } from "../../entities/AgentSession.js";

export const SESSION_COOKIE = "sd_session";

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** Opens a session for an agent; returns the random token for the cookie (only its hash is stored). */
export async function openSession(dataSource: DataSource, agentId: number, ttlHours: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  await dataSource.getRepository(AgentSession).insert({ tokenHash: tokenHash(token), agentId, expiresAt });
  return { token, expiresAt };
}

/** The active agent behind a session token, or null when unknown, expired or deactivated. */
export async function agentForToken(dataSource: DataSource, token: string | undefined): Promise<Agent | null> {
  if (!token) return null;
  const session = await dataSource.getRepository(AgentSession).findOne({
    where: { tokenHash: tokenHash(token), expiresAt: MoreThan(new Date()) },
    relations: { agent: true },
  });
  return session?.agent?.active ? session.agent : null;
}

export async function closeSession(dataSource: DataSource, token: string | undefined): Promise<void> {
  if (token) await dataSource.getRepository(AgentSession).delete({ tokenHash: tokenHash(token) });
}

/** Reads one cookie from a Cookie header (HTTP requests and the Socket.IO handshake alike). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}
