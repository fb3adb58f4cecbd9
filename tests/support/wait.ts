import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";

/** Children still running: killed if the test process exits without stopping them (an aborted run). */
const children = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

/** Registers a child process to be killed when the test process exits before it did. */
export function killOnExit(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
}

/**
 * Polls an async check until it returns a truthy value (every `intervalMs`), or fails after `timeoutMs`.
 * A check that throws ends the wait at once with its error.
 */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Can a server listen on this port on every address (IPv6 and IPv4, as the app does)? */
async function canListen(port: number): Promise<boolean> {
  for (const host of ["::", "0.0.0.0"]) {
    const server = net.createServer();
    const outcome = await new Promise<"free" | "taken" | "no-address-family">((resolve) => {
      server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EAFNOSUPPORT" || error.code === "EADDRNOTAVAIL" ? "no-address-family" : "taken"));
      server.listen({ port, host }, () => resolve("free"));
    });
    if (outcome === "free") await new Promise((resolve) => server.close(resolve));
    if (outcome !== "no-address-family") return outcome === "free";
  }
  return false;
}

/** Ports freePort gave this test process. */
const handedOut = new Set<number>();

/** The kernel's range of ports for outgoing connections (and for listen(0)). */
function ephemeralPortRange(): [number, number] {
  try {
    const [low, high] = fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch { /* not Linux */ }
  return [49152, 65535];
}

/**
 * A TCP port nobody listens on right now, for a child process to listen on. Chosen below the kernel's ephemeral range:
 * a port from listen(0) lies in that range, and an outgoing connection (to Redis or MariaDB) could take it between
 * this check and the child's listen, which then fails with EADDRINUSE (seen once in CI).
 */
export async function freePort(): Promise<number> {
  const [ephemeralLow] = ephemeralPortRange();
  const low = 20_000;
  if (ephemeralLow - low > 1000) {
    for (let attempt = 0; attempt < 100; attempt++) {
      const port = low + Math.floor(Math.random() * (ephemeralLow - low));
      // Two ports asked for in a row are not listened on yet: never hand out the same one twice.
      if (handedOut.has(port) || !(await canListen(port))) continue;
      handedOut.add(port);
      return port;
    }
  }
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
