// Child processes of the benchmark: echo servers and clients, each pinned to
// a core with `taskset -c N` when the machine has the cores for it, talking
// to the parent over Node's IPC channel (JSON messages with a `type`).
//
// Every child is stopped by its own PID (SIGTERM, then SIGKILL after a
// bound), never by name; every wait has a deadline.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Msg {
  type: string;
  [k: string]: unknown;
}

let tasksetOk: boolean | undefined;
/** True when `taskset` exists and there are two cores to pin server and client apart. */
export function canPin(): boolean {
  if (tasksetOk === undefined) {
    const r = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    tasksetOk = r.status === 0 && availableParallelism() >= 2;
  }
  return tasksetOk;
}

export interface ChildOptions {
  /** Core to pin to (taskset -c); undefined: not pinned. */
  core?: number;
  /** Run through tsx (a .ts entry); false: plain node. */
  tsx?: boolean;
  env?: Record<string, string>;
  /** Extra options for node itself (--cpu-prof when profiling). */
  nodeArgs?: string[];
}

export class Child {
  readonly proc: ChildProcess;
  readonly pid: number;
  private readonly inbox: Msg[] = [];
  private waiter: ((m: Msg | undefined) => void) | undefined;
  private stderrTail = '';
  exited = false;
  exitCode: number | null = null;
  /** Settles when the process has exited. */
  readonly exitedP: Promise<void>;

  constructor(script: string, args: string[], opts: ChildOptions = {}) {
    const nodeArgs = [...(opts.nodeArgs ?? []), ...(opts.tsx === false ? [] : ['--import', 'tsx']), script, ...args];
    const pinned = opts.core !== undefined && canPin();
    const [cmd, argv] = pinned ? ['taskset', ['-c', String(opts.core), process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
    this.proc = spawn(cmd, argv, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ...opts.env },
    });
    if (this.proc.pid === undefined) throw new Error(`could not start ${script}`);
    this.pid = this.proc.pid; // taskset execs node: this is node's own PID
    this.proc.on('message', (m: Msg) => {
      m.receivedAt = performance.now(); // the parent's clock: start-up is measured from the spawn
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w(m);
      } else this.inbox.push(m);
    });
    const keep = (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-2000);
    };
    this.proc.stderr!.on('data', keep);
    this.proc.stdout!.on('data', keep);
    this.exitedP = new Promise((resolve) => {
      this.proc.once('exit', (code) => {
        this.exited = true;
        this.exitCode = code;
        this.waiter?.(undefined);
        this.waiter = undefined;
        resolve();
      });
    });
  }

  send(m: Msg): void {
    if (!this.exited && this.proc.connected) this.proc.send(m);
  }

  /** The next message of one of `types` (others are kept for later), or an error after `timeoutMs` or the child's exit. */
  async next(types: string[], timeoutMs: number): Promise<Msg> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => types.includes(m.type));
      if (i >= 0) return this.inbox.splice(i, 1)[0];
      if (this.exited) throw new Error(`child exited (code ${this.exitCode}) before "${types.join('|')}": ${this.tail()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no "${types.join('|')}" from the child within ${timeoutMs} ms: ${this.tail()}`);
      const m = await new Promise<Msg | undefined>((resolve) => {
        const t = setTimeout(() => {
          this.waiter = undefined;
          resolve(undefined);
        }, left);
        this.waiter = (x) => {
          clearTimeout(t);
          resolve(x);
        };
      });
      if (m) this.inbox.push(m);
    }
  }

  tail(): string {
    return this.stderrTail.trim().split('\n').slice(-6).join(' | ') || '(no output)';
  }

  /** Stops the child by its PID: SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.exited) return;
    try {
      process.kill(this.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const t = setTimeout(() => {
      try {
        if (!this.exited) process.kill(this.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, graceMs);
    await this.exitedP;
    clearTimeout(t);
  }
}

/** Live children, so that an interrupted run still stops every one it started. */
const live = new Set<Child>();
export function startChild(script: string, args: string[], opts: ChildOptions = {}): Child {
  const c = new Child(script, args, opts);
  live.add(c);
  c.proc.once('exit', () => live.delete(c));
  return c;
}
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => c.stop(1000)));
}
