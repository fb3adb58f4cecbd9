import type { Agent } from "../../entities/Agent.js";
import type { HandshakeErrorData, SocketData } from "../../shared-types/socket-events.js";
import { agentForToken, readCookie, SESSION_COOKIE } from "../auth/sessions.js";
import type { AppContext } from "../context.js";
import type { RealtimeServer } from "./types.js";

/** The error a refused handshake returns; Socket.IO hands `data` to the client's connect_error listener. */
export class HandshakeRefusedError extends Error {
  readonly data: HandshakeErrorData;

  constructor(message = "Log in first: this connection has no valid session.", id: HandshakeErrorData["id"] = "unauthorized") {
    super(message);
    this.data = { id };
    this.name = "HandshakeRefusedError";
  }
}

/** What a socket knows of its account (rooms and checks are derived from it). */
export function socketDataOf(agent: Pick<Agent, "id" | "name" | "role" | "languages">): SocketData {
  return { agentId: agent.id, name: agent.name, role: agent.role, languages: agent.languages ?? [] };
}

/** Authenticates every Socket.IO handshake with the console's session cookie; refuses the rest. */
export function authenticateSockets(io: RealtimeServer, context: AppContext): void {
  io.use(async (socket, next) => {
    try {
      const agent = await agentForToken(context.dataSource, readCookie(socket.handshake.headers.cookie, SESSION_COOKIE));
      if (!agent) return next(new HandshakeRefusedError());
      socket.data = socketDataOf(agent);
      next();
    } catch (error) {
      context.logger.warn({ err: error }, "socket handshake could not be checked");
      // Not a verdict on the session: the console must retry, not send the agent back to the login page.
      next(new HandshakeRefusedError("The session could not be checked; try again.", "unavailable"));
    }
  });
}
