import net from "node:net";

/**
 * A TCP relay in front of a server (MariaDB), to make it unreachable on demand: `refuse()` cuts every open
 * connection and refuses new ones (a database that went down), `stall()` keeps connections open but passes
 * nothing on (a database that stops answering), `restore()` relays again on the same port.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private readonly clients = new Set<net.Socket>();
  private stalled = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(port = 0): Promise<this> {
    this.stalled = false;
    const server = net.createServer((client) => this.relay(client));
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this;
  }

  private relay(client: net.Socket): void {
    client.on("error", () => undefined);
    this.clients.add(client);
    client.once("close", () => this.clients.delete(client));
    if (this.stalled) return; // accepted, never answered
    const upstream = net.connect(this.target.port, this.target.host);
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    client.once("close", () => this.pairs.delete(pair));
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** The database went down: open connections are reset, new ones refused. */
  async refuse(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const [, upstream] of this.pairs) upstream.destroy();
    for (const client of this.clients) client.resetAndDestroy();
    this.pairs.clear();
    this.clients.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** The database stops answering: bytes in either direction are dropped, connections stay open. */
  stall(): void {
    this.stalled = true;
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Relays again, on the same port. */
  async restore(): Promise<void> {
    await this.refuse();
    await this.start(this.port);
  }

  async close(): Promise<void> {
    await this.refuse();
  }
}
