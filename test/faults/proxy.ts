// A TCP fault proxy on node:net, between a client under test and its back
// end, on 127.0.0.1. It forwards bytes as they are (it knows nothing of
// WebSocket or Engine.IO) and injects the faults a car's network and its
// back ends produce:
//
//   pass       forward both ways; a slow reader slows the writer (pause/resume),
//              so TCP flow control reaches through the proxy as it would a router
//   delay(ms)  forward both ways, every chunk `ms` late (order kept)
//   blackhole  existing and new links stay open and carry nothing, either way:
//              a half-open link (no FIN, no RST) until release()
//   stall      new links are accepted and held, nothing forwarded (a back end
//              that accepts TCP and never answers the upgrade) until release(),
//              which connects them through
//   cutFin()   ends every existing link with a FIN on both sides
//   cutRst()   resets every existing link (RST) on both sides
//   refuse()   stops listening (connection refused); accept() listens again
//
// Every socket it opens is destroyed by close(), which is bounded.

import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'delay' | 'blackhole' | 'stall';

interface Link {
  client: Socket;
  upstream: Socket | undefined;
  /** Client bytes held while stalled, sent once the upstream connects. */
  held: Buffer[];
  /** Blackholed links are dead for good: release() ends them rather than resume a stream with a hole in it. */
  dead: boolean;
  timers: Set<ReturnType<typeof setTimeout>>;
  /** Per direction, when the last delayed chunk goes out. */
  due: { up: number; down: number };
}

export class FaultProxy {
  private server: Server | undefined;
  private readonly links = new Set<Link>();
  private mode: ProxyMode = 'pass';
  private delayMs = 0;
  /** Links accepted so far (a client's attempts, as the proxy saw them). */
  accepted = 0;
  port = 0;

  constructor(private upstreamPort: number) {}

  /** Listens on `port` (0: an ephemeral one, kept for later accept()). */
  listen(port = this.port): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer((c) => this.onClient(c));
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        this.server = server;
        this.port = (server.address() as { port: number }).port;
        resolve(this.port);
      });
    });
  }

  /** Where links go from now on (a back end restarted on another port). */
  retarget(port: number): void {
    this.upstreamPort = port;
  }

  get linkCount(): number {
    return this.links.size;
  }

  // ── faults ───────────────────────────────────────────────────────────

  delay(ms: number): void {
    this.mode = 'delay';
    this.delayMs = ms;
  }

  blackhole(): void {
    this.mode = 'blackhole';
    for (const l of this.links) l.dead = true;
  }

  stall(): void {
    this.mode = 'stall';
  }

  /** Back to pass: held links connect through; blackholed links end (RST), as a link that died would. */
  release(): void {
    this.mode = 'pass';
    for (const l of [...this.links]) {
      if (l.dead) this.drop(l, true);
      else if (!l.upstream) this.connectUpstream(l);
    }
  }

  cutFin(): void {
    for (const l of [...this.links]) {
      this.links.delete(l);
      for (const s of [l.client, l.upstream]) {
        if (!s) continue;
        s.end();
        // A peer that never closes its side must not keep the socket: gone after a short grace.
        setTimeout(() => s.destroy(), 1_000).unref();
      }
    }
  }

  cutRst(): void {
    for (const l of [...this.links]) this.drop(l, true);
  }

  /** Stops listening: new connections are refused. Existing links carry on. */
  refuse(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    return new Promise((r) => (s ? s.close(() => r()) : r()));
  }

  /** Listens again on the same port. */
  accept(): Promise<number> {
    return this.server ? Promise.resolve(this.port) : this.listen(this.port);
  }

  async close(): Promise<void> {
    for (const l of [...this.links]) this.drop(l, false);
    const s = this.server;
    this.server = undefined;
    if (s) await Promise.race([new Promise<void>((r) => s.close(() => r())), new Promise((r) => setTimeout(r, 1_000).unref())]);
  }

  // ── links ────────────────────────────────────────────────────────────

  private onClient(client: Socket): void {
    this.accepted++;
    const l: Link = { client, upstream: undefined, held: [], dead: this.mode === 'blackhole', timers: new Set(), due: { up: 0, down: 0 } };
    this.links.add(l);
    client.setNoDelay(true);
    client.on('error', () => this.drop(l, true));
    client.on('close', () => this.drop(l, false));
    client.on('end', () => l.upstream?.end());
    client.on('data', (d: Buffer) => {
      if (l.dead) return;
      if (!l.upstream) l.held.push(d);
      else this.forward(l, client, l.upstream, d);
    });
    if (this.mode !== 'stall' && !l.dead) this.connectUpstream(l);
  }

  private connectUpstream(l: Link): void {
    const up = createConnection({ host: '127.0.0.1', port: this.upstreamPort });
    l.upstream = up;
    up.setNoDelay(true);
    // A back end that is gone: the client sees its link closed, as through a router.
    up.on('error', () => this.drop(l, true));
    up.on('close', () => this.drop(l, false));
    up.on('end', () => l.client.end());
    up.on('data', (d: Buffer) => {
      if (!l.dead) this.forward(l, up, l.client, d);
    });
    for (const d of l.held) up.write(d);
    l.held = [];
  }

  private forward(l: Link, from: Socket, to: Socket, d: Buffer): void {
    // Order is kept across a change of mode: after a delay ends, a chunk waits for the delayed ones before it.
    const now = performance.now();
    const dir = from === l.client ? 'up' : 'down';
    const due = Math.max(this.mode === 'delay' ? now + this.delayMs : now, l.due[dir]);
    if (due > now) {
      l.due[dir] = due;
      const t = setTimeout(() => {
        l.timers.delete(t);
        if (!to.destroyed) to.write(d);
      }, due - now);
      l.timers.add(t);
      return;
    }
    if (!to.write(d)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  }

  private drop(l: Link, reset: boolean): void {
    if (!this.links.delete(l) && l.client.destroyed && (!l.upstream || l.upstream.destroyed)) return;
    for (const t of l.timers) clearTimeout(t);
    l.timers.clear();
    for (const s of [l.client, l.upstream]) {
      if (!s || s.destroyed) continue;
      if (reset) s.resetAndDestroy();
      else s.destroy();
    }
  }
}
