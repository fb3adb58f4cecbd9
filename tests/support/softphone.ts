import { io as connect, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents, SoftphoneAnswer, SoftphoneEnded, SoftphoneIncoming } from "../../shared-types/socket-events.js";
import { openSession } from "../../server/auth/sessions.js";
import type { SimCall, TwilioSimulator } from "../../server/twilio/simulator.js";
import type { TestServer } from "./app.js";

type PhoneSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A test's simulated softphone: a real Socket.IO client logged in as the agent (a real session), registered with
 * `softphone:register`, that records the rings (`softphone:incoming`) and ends (`softphone:ended`) it gets and answers,
 * declines or hangs up through the same events as the console. Use `registerSoftphone` to make one.
 */
export class TestSoftphone {
  readonly incoming: SoftphoneIncoming[] = [];
  readonly ended: SoftphoneEnded[] = [];

  constructor(readonly socket: PhoneSocket, readonly identity: string) {
    socket.on("softphone:incoming", (ring) => this.incoming.push(ring));
    socket.on("softphone:ended", (end) => this.ended.push(end));
  }

  /** The ring of this caller's call (the first not yet taken when `callSid` is omitted), waiting up to `timeoutMs`. */
  async ringOf(callSid?: string, timeoutMs = 5000): Promise<SoftphoneIncoming> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ring = this.incoming.find((candidate) => (callSid === undefined || candidate.callSid === callSid) && !this.ended.some((end) => end.dialCallSid === candidate.dialCallSid));
      if (ring) return ring;
      if (Date.now() > deadline) throw new Error(`no softphone ring for ${callSid ?? "any call"} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async send(event: "softphone:answer" | "softphone:reject" | "softphone:hangup", dialCallSid: string): Promise<SoftphoneAnswer> {
    return this.socket.timeout(5000).emitWithAck(event, { dialCallSid });
  }

  async answer(dialCallSid: string): Promise<SoftphoneAnswer> {
    return this.send("softphone:answer", dialCallSid);
  }
  async reject(dialCallSid: string): Promise<SoftphoneAnswer> {
    return this.send("softphone:reject", dialCallSid);
  }
  async hangup(dialCallSid: string): Promise<SoftphoneAnswer> {
    return this.send("softphone:hangup", dialCallSid);
  }

  /**
   * Picks up the call ringing for this caller: waits for the ring, answers it, and lets the simulator take the answer
   * (pollDial), so the caller is connected when this returns.
   */
  async pickUp(sim: TwilioSimulator, call: SimCall): Promise<SoftphoneIncoming> {
    const ring = await this.ringOf(call.callSid);
    const answer = await this.answer(ring.dialCallSid);
    if (!("ok" in answer)) throw new Error(`the softphone could not answer: ${answer.error}`);
    await sim.pollDial(call);
    if (call.connectedTo !== `client:${this.identity}`) throw new Error(`answered, yet the call is ${call.status} (${call.outcome})`);
    return ring;
  }

  /** The agent hangs up the connected call, and the simulator takes it (the Dial action gets completed). */
  async hangUp(sim: TwilioSimulator, call: SimCall): Promise<void> {
    const dialCallSid = call.dial?.dialCallSid;
    if (!dialCallSid) throw new Error(`no dial under way (call is ${call.status})`);
    const answer = await this.hangup(dialCallSid);
    if (!("ok" in answer)) throw new Error(`the softphone could not hang up: ${answer.error}`);
    await sim.pollDial(call);
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * Connects a console socket for `cookie` (or for `agentId`, through a new session on the test server's database) and
 * registers its simulated softphone; fails when the server refuses the registration.
 */
export async function registerSoftphone(baseUrl: string, who: { cookie: string } | { server: TestServer; agentId: number }): Promise<TestSoftphone> {
  const cookie = "cookie" in who ? who.cookie : `sd_session=${(await openSession(who.server.context.dataSource, who.agentId, 1)).token}`;
  const socket: PhoneSocket = connect(baseUrl, { forceNew: true, reconnection: false, transports: ["websocket"], extraHeaders: { cookie } });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
  const answer = await socket.timeout(5000).emitWithAck("softphone:register");
  if ("error" in answer) {
    socket.close();
    throw new Error(`softphone:register refused: ${answer.error}`);
  }
  return new TestSoftphone(socket, answer.identity);
}
