import { createHash, randomBytes } from "node:crypto";
import { In, MoreThan, type DataSource } from "typeorm";
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

/** The active agents behind several session tokens at once (one query), keyed by token; unknown, expired or deactivated ones are absent. */
export async function agentsForTokens(dataSource: DataSource, tokens: string[]): Promise<Map<string, Agent>> {
  const byHash = new Map(tokens.map((token) => [tokenHash(token), token]));
  const found = new Map<string, Agent>();
  if (byHash.size === 0) return found;
  const hashes = [...byHash.keys()];
  for (let start = 0; start < hashes.length; start += 500) {
    const sessions = await dataSource.getRepository(AgentSession).find({
      where: { tokenHash: In(hashes.slice(start, start + 500)), expiresAt: MoreThan(new Date()) },
      relations: { agent: true },
    });
    for (const session of sessions) if (session.agent?.active) found.set(byHash.get(session.tokenHash)!, session.agent);
  }
  return found;
}

/** Deletes the session of a token (on the DataSource, or a transaction's manager). */
export async function closeSession(db: Pick<DataSource, "getRepository">, token: string | undefined): Promise<void> {
  if (token) await db.getRepository(AgentSession).delete({ tokenHash: tokenHash(token) });
}

/** Reads one cookie from a Cookie header (HTTP requests and the Socket.IO handshake alike). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}
