// The remote rig: the same Rig, with the runtime in another process behind
// `pulsewire run --control` (a board, or a child process). connectRig
// attaches to a running control channel; spawnRig starts `pulsewire run
// --control 0 --mode stepped` itself and stops it (by its own PID) on close.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { InEvent } from '../../runtime/vm/io.ts';
import { encodeEvent, parseHeader, parseTick, type TickRecord } from '../../runtime/vm/trace.ts';
import type { TargetName } from '../runtime.ts';
import {
  CONTROL_SUBPROTOCOL, CONTROL_TOKEN_ENV, decodeState,
  type ControlOp, type ControlRequest, type ControlResponse, type TickPush, type WireState,
} from '../shared/control-protocol.ts';
import { Rig, type Controller, type RigInfo, type RigOptions, type RigState } from './rig.ts';

export interface ConnectRigOptions extends RigOptions {
  /** The control channel, e.g. ws://127.0.0.1:7070. */
  url: string;
  token: string;
  /** Bound on one request (a step of many ticks included), ms; default 60 000. */
  requestTimeoutMs?: number;
}

/** Attaches to a runtime's control channel; rejects with a clear message when the token is refused. */
export async function connectRig(opts: ConnectRigOptions): Promise<Rig> {
  const ctl = await RemoteController.connect(opts);
  return new Rig(ctl, await ctl.hello(), opts);
}

export interface SpawnRigOptions extends RigOptions {
  /** A project (.json) or schedule (.pws) file, or a project as an object (written to a temporary file). */
  project: string | object;
  connect?: Record<string, string | { url: string }>;
  target?: TargetName;
  /** The child also writes its whole trace here. */
  record?: string;
  /** Ms to wait for the child's control channel (default 15 000). */
  startTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** Starts `pulsewire run --control 0 --mode stepped` in a child process and attaches to it. */
export async function spawnRig(opts: SpawnRigOptions): Promise<Rig> {
  let tmp: string | undefined;
  let file: string;
  if (typeof opts.project === 'string') file = opts.project;
  else {
    tmp = mkdtempSync(join(tmpdir(), 'pulsewire-rig-'));
    file = join(tmp, 'project.json');
    writeFileSync(file, JSON.stringify(opts.project));
  }
  const token = randomBytes(18).toString('base64url');
  const args = [cliPath(), 'run', file, '--control', '0', '--mode', 'stepped', '--target', opts.target ?? 'node'];
  for (const [name, b] of Object.entries(opts.connect ?? {})) args.push('--connect', `${name}=${typeof b === 'string' ? b : b.url}`);
  if (opts.record !== undefined) args.push('--record', opts.record);
  const child = spawn(process.execPath, args, { env: { ...process.env, [CONTROL_TOKEN_ENV]: token }, stdio: ['ignore', 'ignore', 'pipe'] });
  const cleanup = () => tmp && rmSync(tmp, { recursive: true, force: true });
  try {
    const url = await controlUrl(child, opts.startTimeoutMs ?? 15_000);
    const ctl = await RemoteController.connect({ ...opts, url, token }, child);
    const rig = new Rig(ctl, await ctl.hello(), opts);
    ctl.afterClose = cleanup;
    return rig;
  } catch (e) {
    await stopChild(child);
    cleanup();
    throw e;
  }
}

/** bin/pulsewire.mjs of the package this file is part of (from source or from dist). */
function cliPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'pulsewire') return join(dir, 'bin', 'pulsewire.mjs');
    dir = dirname(dir);
  }
  throw new Error('cannot find the pulsewire package (bin/pulsewire.mjs) above the HIL kit');
}

/** Reads the child's stderr until it names its control channel; fails with what it said otherwise. */
function controlUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => done(new Error(`pulsewire run did not open its control channel within ${timeoutMs} ms:\n${said}`)), timeoutMs);
    const onData = (d: Buffer) => {
      said += d.toString();
      const m = /control channel on (ws:\/\/\S+)/.exec(said);
      if (m) done(undefined, m[1]);
    };
    const onExit = (code: number | null) => done(new Error(`pulsewire run exited (${code}) before its control channel opened:\n${said}`));
    const done = (err?: Error, url?: string) => {
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      // Keep draining stderr so the child never blocks on a full pipe.
      child.stderr!.on('data', () => {});
      if (err) reject(err);
      else resolve(url!);
    };
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Stops a child by its own PID: when it was not asked to stop (or ignores it), SIGTERM, then SIGKILL, each after a bound. */
async function stopChild(child: ChildProcess, asked = false, ms = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const wait = (t: number) => Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), t).unref())]);
  if (asked && (await wait(ms))) return;
  process.kill(child.pid!, 'SIGTERM');
  if (await wait(ms)) return;
  process.kill(child.pid!, 'SIGKILL');
  await wait(ms);
}

class RemoteController implements Controller {
  info!: RigInfo;
  afterClose: (() => void) | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { op: ControlOp; resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  private readonly listeners: Array<(r: TickRecord) => void> = [];
  /** Ticks pushed before anyone listened (a runtime ticking by itself while the rig attaches). */
  private early: TickRecord[] | undefined = [];
  private closedWith: Error | undefined;
  private lineNo = 0;

  private constructor(private readonly ws: WebSocket, private readonly timeoutMs: number, private readonly child?: ChildProcess) {
    ws.on('message', (data) => this.onMessage(String(data)));
    ws.on('close', (code, reason) => this.fail(new Error(`the control channel closed (${code}${reason.length ? `: ${reason}` : ''})`)));
    ws.on('error', (e) => this.fail(e));
  }

  static connect(opts: ConnectRigOptions, child?: ChildProcess): Promise<RemoteController> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(opts.url, CONTROL_SUBPROTOCOL, { headers: { authorization: `Bearer ${opts.token}` }, handshakeTimeout: 5_000 });
      ws.once('unexpected-response', (_req, res) => {
        ws.terminate();
        reject(new Error(res.statusCode === 401 ? `the control channel at ${opts.url} refused the token (HTTP 401)` : `the control channel at ${opts.url} answered HTTP ${res.statusCode}`));
      });
      ws.once('error', (e) => reject(new Error(`cannot reach the control channel at ${opts.url}: ${e.message}`)));
      ws.once('open', () => resolve(new RemoteController(ws, opts.requestTimeoutMs ?? 60_000, child)));
    });
  }

  async hello(): Promise<RigState> {
    const r = (await this.call('hello')) as { info: RigInfo; state: WireState };
    this.info = r.info;
    return decodeState(r.state);
  }

  async step(n: number, settle: boolean): Promise<RigState> {
    return decodeState((await this.call('step', { n, settle })) as WireState);
  }
  async pause(): Promise<RigState> {
    return decodeState((await this.call('pause')) as WireState);
  }
  async resume(): Promise<RigState> {
    return decodeState((await this.call('resume')) as WireState);
  }
  async state(): Promise<RigState> {
    return decodeState((await this.call('state')) as WireState);
  }
  async inject(ev: InEvent): Promise<boolean> {
    return ((await this.call('inject', { event: encodeEvent(ev) })) as { accepted: boolean }).accepted;
  }
  async trace(last?: number) {
    const r = (await this.call('trace', { last })) as { header: string; lines: string[] };
    return { header: parseHeader(r.header), ticks: r.lines.map((l, i) => parseTick(l, i + 2)) };
  }
  onTick(fn: (r: TickRecord) => void): void {
    this.listeners.push(fn);
    const early = this.early ?? [];
    this.early = undefined;
    for (const r of early) fn(r);
  }

  async close(): Promise<void> {
    try {
      const asked = this.child !== undefined && !this.closedWith && (await this.call('stop').then(() => true, () => false));
      if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
      this.fail(new Error('the rig is closed'));
      if (this.child) await stopChild(this.child, asked);
    } finally {
      this.afterClose?.();
    }
  }

  private call(op: ControlOp, args: Omit<ControlRequest, 'id' | 'op'> = {}): Promise<unknown> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`control request "${op}" got no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { op, resolve, reject, timer });
      this.ws.send(JSON.stringify({ id, op, ...args }));
    });
  }

  private onMessage(text: string): void {
    let msg: ControlResponse | TickPush;
    let r: TickRecord | undefined;
    try {
      msg = JSON.parse(text);
      if ('push' in msg) r = parseTick(msg.line, ++this.lineNo);
    } catch (e) {
      // Not a pulsewire control channel, or a broken one: end the rig rather than guess.
      this.fail(new Error(`the control channel sent something unreadable: ${(e as Error).message}`));
      this.ws.terminate();
      return;
    }
    if (r) {
      // Held for the rig's mirror until it listens (a few ticks at most, so bounded generously).
      if (this.early && this.early.length < 1_000) this.early.push(r);
      for (const fn of this.listeners) fn(r);
      return;
    }
    if ('push' in msg) return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(`the runtime refused "${p.op}": ${msg.error}`));
  }

  private fail(e: Error): void {
    this.closedWith ??= e;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(e);
    }
    this.pending.clear();
  }
}
