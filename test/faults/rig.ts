// One fault run: a telemetry back end (child process), the fault proxy (in
// this process) and one client under test (child process), and what each
// reported. A scenario (scenarios.ts) drives it; finish() stops everything,
// each child by its own PID, and returns the accounting (verdict.ts).
//
// Every wait is bounded; every process started here is stopped here.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Child, startChild, type Msg } from '../../bench/lib/children.ts';
import { compile } from '../../runtime/compiler/index.ts';
import { encode } from '../../runtime/schedule/index.ts';
import type { Bundles } from './bundle.ts';
import { FaultProxy } from './proxy.ts';
import { telemetryProject } from './project.ts';
import type { AgentConfig, AgentStats, ClientKind, Engine, FromAgent, FromServer, Proto, SeenEvent, ServerConfig, ToAgent, ToServer } from './protocol.ts';

export interface RigOptions {
  bundles: Bundles;
  proto: Proto;
  client: ClientKind;
  engine: Engine;
  /** pulsewire's tick mode (default on-demand). */
  mode?: 'fixed' | 'on-demand';
  /** Connection settings of the project beyond the defaults (pulsewire). */
  connection?: Record<string, unknown>;
  /** The client talks to the back end directly, not through the proxy. */
  direct?: boolean;
  /** A TLS back end (key and certificate files). */
  tls?: { key: string; cert: string };
  /** The client's URL instead of the proxy's or the back end's (an unresolvable name). */
  url?: string;
  /** A unique name for this run's files. */
  name: string;
}

/** An event as the harness received it: which client process, and when (ms since the rig started). */
export interface Seen extends SeenEvent {
  instance: number;
  at: number;
}

export interface UpRecord {
  instance: number;
  n: number;
  outcome: 'written' | 'reported';
  code?: string;
  at: number;
}

export interface Delivered {
  instance: number;
  n: number;
  dup: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Rig {
  readonly proxy: FaultProxy;
  readonly seen: Seen[] = [];
  readonly ups: UpRecord[] = [];
  /** Ups a later report named, per client process: `${instance}:${n}`. */
  readonly reportedLater = new Set<string>();
  readonly marks = new Map<string, number>();
  readonly problems: string[] = [];
  server: Child | undefined;
  serverPort = 0;
  agent: Child | undefined;
  /** Client processes started so far; the current one's number. */
  instance = 0;
  /** Client processes that were killed, with the ups they had written but not seen confirmed. */
  readonly killed: number[] = [];
  lastStats: AgentStats | undefined;
  idleRss = 0;
  private readonly t0 = performance.now();
  private readonly upsFile: string;
  private readonly pws: string;
  private serverConns = 0;
  private serverGone = 0;
  private floodDone: { n: number; ms: number } | undefined;
  private serverStats: Extract<FromServer, { type: 'stats' }> | undefined;

  constructor(readonly o: RigOptions) {
    this.proxy = new FaultProxy(0);
    this.upsFile = join(o.bundles.dir, `${o.name}.ups`);
    this.pws = join(o.bundles.dir, `${o.name}.pws`);
  }

  now(): number {
    return Math.round(performance.now() - this.t0);
  }

  mark(name: string): void {
    this.marks.set(name, this.now());
  }

  // ── the back end ─────────────────────────────────────────────────────

  async startServer(port = this.serverPort): Promise<void> {
    const cfg: ServerConfig = { proto: this.o.proto, port, upsFile: this.upsFile, tls: this.o.tls };
    const server = startChild(this.o.bundles.server, [JSON.stringify(cfg)], { tsx: false });
    this.server = server;
    server.proc.on('message', (m: FromServer) => {
      if (m.type === 'conn') this.serverConns++;
      else if (m.type === 'gone') this.serverGone++;
      else if (m.type === 'flood-done') this.floodDone = m;
      else if (m.type === 'stats') this.serverStats = m;
    });
    const m = (await server.next(['listening'], 10_000)) as Msg & { port: number };
    this.serverPort = m.port;
    this.proxy.retarget(m.port);
    this.toServer({ type: 'epoch', epoch: this.instance });
  }

  toServer(m: ToServer): void {
    this.server?.send(m as unknown as Msg);
  }

  /** The back end dies (SIGKILL: no close frame, no goodbye). */
  async killServer(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    process.kill(s.pid, 'SIGKILL');
    await s.exitedP;
  }

  get floodResult(): { n: number; ms: number } | undefined {
    return this.floodDone;
  }

  async serverCounts(): Promise<{ echoes: number; conns: number; frames: number }> {
    this.serverStats = undefined;
    this.toServer({ type: 'stats' });
    // A back end busy sending a flood answers late.
    await this.waitFor('the back end\'s counters', () => this.serverStats !== undefined, 30_000);
    return this.serverStats!;
  }

  /** Connections the back end accepted and saw end so far. */
  get backEnd(): { conns: number; gone: number } {
    return { conns: this.serverConns, gone: this.serverGone };
  }

  // ── the client ───────────────────────────────────────────────────────

  /** The URL the client is given: the proxy's, the back end's, or the one the scenario names. */
  clientUrl(): string {
    if (this.o.url) return this.o.url;
    const port = this.o.direct ? this.serverPort : this.proxy.port;
    const scheme = this.o.proto === 'ws' ? (this.o.tls ? 'wss' : 'ws') : this.o.tls ? 'https' : 'http';
    return `${scheme}://127.0.0.1:${port}`;
  }

  async startAgent(): Promise<void> {
    const url = this.clientUrl();
    if (this.o.client === 'pulsewire' && !existsSync(this.pws)) {
      const r = compile(telemetryProject(this.o.proto, url, this.o.connection));
      if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.node}: ${d.message}`).join('\n'));
      writeFileSync(this.pws, encode(r.schedule));
    }
    const instance = ++this.instance;
    this.toServer({ type: 'epoch', epoch: instance });
    const cfg: AgentConfig = { client: this.o.client, engine: this.o.engine, mode: this.o.mode, proto: this.o.proto, url, pws: this.pws };
    const agent = startChild(this.o.bundles.agent, [JSON.stringify(cfg)], { tsx: false });
    this.agent = agent;
    agent.proc.on('message', (m: FromAgent) => this.fromAgent(instance, m));
    agent.proc.once('exit', (code, signal) => {
      if (this.agent === agent && !this.stopping) this.problems.push(`the client exited by itself (code ${code}, signal ${signal}): ${agent.tail()}`);
    });
    await agent.next(['started'], 15_000);
  }

  private stopping = false;

  private fromAgent(instance: number, m: FromAgent): void {
    const at = this.now();
    switch (m.type) {
      case 'event':
        this.seen.push({ ...m.ev, instance, at });
        return;
      case 'up':
        this.ups.push({ instance, n: m.n, outcome: m.outcome, code: m.code, at });
        return;
      case 'ups-reported':
        for (const n of m.ns) this.reportedLater.add(`${instance}:${n}`);
        return;
      case 'stats':
        this.lastStats = m.stats;
        return;
      case 'fatal':
        this.problems.push(`client ${instance}: ${m.message}`);
        return;
      default:
        return;
    }
  }

  /** The client process dies (SIGKILL), as a board's process does when it crashes or loses power. */
  async killAgent(): Promise<void> {
    const a = this.agent;
    if (!a) return;
    this.agent = undefined;
    this.killed.push(this.instance);
    process.kill(a.pid, 'SIGKILL');
    await a.exitedP;
  }

  async agentStats(type: ToAgent['type'] = 'stats'): Promise<AgentStats> {
    this.lastStats = undefined;
    this.agent?.send({ type });
    await this.waitFor('the client\'s counters', () => this.lastStats !== undefined, 5_000);
    return this.lastStats!;
  }

  /** Remembers the client's RSS now, in steady state, as its idle figure. */
  async noteIdle(): Promise<void> {
    this.idleRss = (await this.agentStats('idle')).rss;
  }

  // ── waiting ──────────────────────────────────────────────────────────

  /** Polls `pred` every 10 ms; false after `timeoutMs` (the scenario decides whether that is a problem). */
  async until(pred: () => boolean, timeoutMs: number): Promise<boolean> {
    const end = performance.now() + timeoutMs;
    while (!pred()) {
      if (performance.now() > end) return false;
      await sleep(10);
    }
    return true;
  }

  async waitFor(what: string, pred: () => boolean, timeoutMs: number): Promise<void> {
    if (!(await this.until(pred, timeoutMs))) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }

  /** Events of the current client process (or of `instance`) at or after harness time `from`. */
  events(from = 0, instance = this.instance): Seen[] {
    return this.seen.filter((e) => e.instance === instance && e.at >= from);
  }

  /** Waits for an event of the current client after `from`; its time, or undefined. */
  async nextEvent(kind: SeenEvent['kind'], from: number, timeoutMs: number): Promise<Seen | undefined> {
    let found: Seen | undefined;
    await this.until(() => (found = this.events(from).find((e) => e.kind === kind)) !== undefined, timeoutMs);
    return found;
  }

  /** Waits until the link is up and `count` ups went out since. */
  async steady(count = 3, timeoutMs = 15_000): Promise<void> {
    const open = await this.nextEvent('open', 0, timeoutMs);
    if (!open) throw new Error(`the client never connected: ${JSON.stringify(this.events())}`);
    await this.waitFor(`${count} ups after the open`, () => this.ups.filter((u) => u.instance === this.instance && u.at >= open.at).length >= count, timeoutMs);
  }

  sleep(ms: number): Promise<void> {
    return sleep(ms);
  }

  // ── the end ──────────────────────────────────────────────────────────

  /** Ups the back end has recorded, with their client process. */
  delivered(): Delivered[] {
    if (!existsSync(this.upsFile)) return [];
    return readFileSync(this.upsFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [e, , n, dup] = line.split(' ').map(Number);
        return { instance: e, n, dup: dup === 1 };
      });
  }

  /**
   * Ends the run: the ups the current client has sent so far are what is
   * accounted; it gets `settleMs` to deliver or report them, then is
   * stopped (SIGTERM; it must then exit on its own), then the back end and
   * the proxy.
   */
  async finish(settleMs = 3_000): Promise<void> {
    this.mark('end');
    const cut = this.ups.filter((u) => u.instance === this.instance).length;
    const mine = () => this.ups.filter((u) => u.instance === this.instance).slice(0, cut);
    if (this.agent) {
      await this.until(() => {
        const got = new Set(this.delivered().filter((d) => d.instance === this.instance).map((d) => d.n));
        return mine().every((u) => u.outcome === 'reported' || got.has(u.n) || this.reportedLater.has(`${u.instance}:${u.n}`));
      }, settleMs);
    }
    this.accountedUps = cut;
    await this.stopAgent();
    await this.stopServer();
    await this.proxy.close();
  }

  /** How many of the current client's ups are accounted (those sent before finish() began). */
  accountedUps = Infinity;

  private async stopAgent(): Promise<void> {
    const a = this.agent;
    if (!a) return;
    this.stopping = true;
    this.lastStats = undefined;
    try {
      process.kill(a.pid, 'SIGTERM');
    } catch {
      /* gone already: reported by the exit listener */
    }
    const exited = await Promise.race([a.exitedP.then(() => true), sleep(5_000).then(() => false)]);
    if (!exited) {
      this.problems.push('the client did not exit within 5 s after its stop (a timer or socket left open)');
      await a.stop(0);
    } else if (a.exitCode !== 0) this.problems.push(`the client exited with code ${a.exitCode} after its stop: ${a.tail()}`);
  }

  async stopServer(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    await s?.stop(2_000);
  }

  /** Stops whatever is still running (a scenario that threw). */
  async abort(): Promise<void> {
    this.stopping = true;
    await Promise.all([this.agent?.stop(1_000), this.server?.stop(1_000), this.proxy.close()]);
  }
}
