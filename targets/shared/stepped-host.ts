// A runtime on a virtual clock that does not outrun real I/O: what the HIL
// kit steps in-process, and what `pulsewire run --control` steps for a
// remote kit. Tick n runs at logical time n × period (like fixed mode), but
// only when asked (step) or paced to real time (play).
//
// The back ends are real, so virtual time must leave real I/O its chance.
// The rule, "I/O before time" (docs/HIL.md):
//   1. after every tick the host yields one event-loop turn, so I/O that is
//      ready is read before the next tick;
//   2. it settles — waits until no event arrived and no transport deadline
//      moved for settleMs of real time (at most settleMaxMs) — before the
//      tick after one that emitted commands (a request's reply lands in the
//      next tick), after the kit's back ends acted (a test's send lands in
//      the next tick), and before a tick that reaches a transport deadline
//      (handshake timeout, pong wait, reconnect wait: a timeout fires only
//      after the network had its chance);
//   3. while a transport has connections in flight (connecting,
//      reconnecting, closing — on the network or a library's wall-clock
//      timer), ticks are paced to real time, one period apart.
// Graph timers alone do not settle: a virtual clock that races through
// quiet time is what makes ten simulated minutes take seconds.

import type { Schedule } from '../../runtime/schedule/schedule.ts';
import type { Limits } from '../../runtime/limits.ts';
import type { Value } from '../../runtime/values.ts';
import { isCommand, type InEvent, type Output } from '../../runtime/vm/io.ts';
import { scheduleChecksum, traceConnections, TRACE_FORMAT, TRACE_VERSION, type TraceHeader } from '../../runtime/vm/trace.ts';
import type { HostLog } from '../../bindings/types.ts';
import { createRuntime, nodeTransports, type TargetName } from '../runtime.ts';
import type { Runner, RunnerOptions, TickEngine } from './runner.ts';
import { TraceRecorder, chain } from './recorder.ts';
import { probeTransports, type TransportProbe } from './transport-probe.ts';

export const DEFAULT_SETTLE_MS = 5;
export const DEFAULT_SETTLE_MAX_MS = 500;
/**
 * Event-loop turns (each one poll for I/O) that must also pass quietly:
 * time alone is not enough, since a process that was descheduled sees
 * settleMs go by without having read its sockets once.
 */
const SETTLE_TURNS = 4;

export interface SteppedRuntimeOptions {
  target?: TargetName;
  tickRateHz?: number;
  limits?: Partial<Limits>;
  env?: Readonly<Record<string, string | undefined>>;
  log?: HostLog;
  /** Default: the Node bindings (load them first: loadRuntime in targets/runtime.ts). */
  transports?: RunnerOptions['transports'];
  /** Receives the trace, line by line (a file writer). */
  record?(line: string): void;
  /** Recent ticks kept in memory (failure messages, the control channel's `trace`). */
  keep?: number;
  settleMs?: number;
  settleMaxMs?: number;
  /** A counter that changes whenever the caller's back ends act (the kit's); a change settles the next tick. */
  activity?(): number;
  /** Every output, as it happens (a CLI printing it). */
  onOutput?(o: Output, tick: number, now: number): void;
}

export function createSteppedRuntime(schedule: Schedule, opts: SteppedRuntimeOptions = {}): SteppedHost {
  const target = opts.target ?? 'node';
  const probe = probeTransports(opts.transports ?? nodeTransports(schedule));
  const rate = opts.tickRateHz ?? schedule.meta.tickRateHz;
  const header: TraceHeader = {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    schedule: scheduleChecksum(schedule),
    project: schedule.meta.name,
    tickRateHz: rate,
    mode: 'stepped',
    target,
    ...(opts.limits && Object.keys(opts.limits).length > 0 ? { limits: opts.limits } : {}),
    connections: traceConnections(schedule),
  };
  const recorder = new TraceRecorder(header, { write: opts.record, keep: opts.keep });
  let lastAccepted = false;
  const hooks = chain(recorder.hooks(), { onEvent: (_ev, ok) => (lastAccepted = ok), onOutput: opts.onOutput });
  const { runner, engine } = createRuntime(schedule, {
    target,
    mode: 'stepped',
    tickRateHz: rate,
    limits: opts.limits,
    env: opts.env ?? {},
    log: opts.log,
    transports: probe.factories,
    ...hooks,
  });
  return new SteppedHost(schedule, header, runner, engine, probe, recorder, () => lastAccepted, opts);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const turn = () => new Promise<void>((r) => setImmediate(r));

export class SteppedHost {
  private hadCommands = false;
  private lastActivity: number | undefined;
  private lastTickReal = 0;
  private playing_: Promise<void> | undefined;
  private stopPlay = false;
  private closed = false;
  /** One operation at a time: steps, plays and closes never interleave. */
  private busy: Promise<unknown> = Promise.resolve();
  private readonly settleMs: number;
  private readonly settleMaxMs: number;

  constructor(
    readonly schedule: Schedule,
    readonly header: TraceHeader,
    readonly runner: Runner,
    readonly engine: TickEngine,
    private readonly probe: TransportProbe,
    readonly recorder: TraceRecorder,
    private readonly accepted: () => boolean,
    private readonly opts: SteppedRuntimeOptions,
  ) {
    this.settleMs = opts.settleMs ?? DEFAULT_SETTLE_MS;
    this.settleMaxMs = opts.settleMaxMs ?? DEFAULT_SETTLE_MAX_MS;
    this.lastActivity = opts.activity?.();
  }

  get target(): string {
    return this.header.target;
  }
  /** Ticks run so far: the number of the next tick. */
  get ticks(): number {
    return this.runner.ticks;
  }
  /** Logical time of the last tick, ms. */
  get now(): number {
    return this.runner.now;
  }
  get period(): number {
    return this.runner.period;
  }
  get playing(): boolean {
    return this.playing_ !== undefined;
  }

  variables(): Record<string, Value> {
    return this.engine.variables();
  }

  /** Queues an event for the next tick as a transport would; false when the full queue refused it. */
  inject(ev: InEvent): boolean {
    if (this.closed) throw new Error('the runtime is closed');
    this.probe.inject(ev);
    return this.accepted();
  }

  /** Runs `n` ticks by the rule above; `settle` settles before the first. */
  step(n = 1, o: { settle?: boolean } = {}): Promise<void> {
    if (this.playing) return Promise.reject(new Error('the runtime is running in real time: pause it before stepping'));
    return this.serial(async () => {
      for (let i = 0; i < n && !this.closed; i++) await this.tickOnce(i === 0 && !!o.settle);
    });
  }

  /** Runs ticks paced to real time (one period apart, drift-free) until pause(). */
  play(): void {
    if (this.playing || this.closed) return;
    this.stopPlay = false;
    this.playing_ = this.serial(async () => {
      const start = performance.now();
      for (let k = 1; !this.stopPlay && !this.closed; k++) {
        await this.tickOnce(false);
        const wait = start + k * this.period - performance.now();
        if (wait > 0) await sleep(wait);
      }
    }).finally(() => (this.playing_ = undefined));
  }

  /** Stops a play() after its current tick. */
  async pause(): Promise<void> {
    this.stopPlay = true;
    await this.playing_;
  }

  /** Stops ticking, closes every transport, releases the engine; idempotent. */
  async close(): Promise<void> {
    this.stopPlay = true;
    await this.playing_;
    await this.serial(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.runner.stop();
    });
  }

  private async tickOnce(force: boolean): Promise<void> {
    // Tick n at exactly n × period, as in fixed mode (no drift from adding periods up).
    const next = this.runner.ticks * this.period;
    const deadline = this.probe.nextDeadline();
    const activity = this.opts.activity?.();
    if (force || this.hadCommands || activity !== this.lastActivity || (deadline !== undefined && deadline <= next)) await this.settle();
    if (this.probe.inFlight() > 0) {
      const wait = this.lastTickReal + this.period - performance.now();
      if (wait > 0) await sleep(wait);
    }
    this.lastActivity = this.opts.activity?.();
    if (this.closed) return;
    const out = this.runner.step(next - this.runner.now);
    this.hadCommands = out.some(isCommand);
    this.lastTickReal = performance.now();
    await turn();
  }

  /** Waits until nothing has changed for settleMs and SETTLE_TURNS event-loop turns (bounded by settleMaxMs). */
  private async settle(): Promise<void> {
    const sig = () => `${this.probe.delivered}/${this.probe.nextDeadline()}/${this.probe.inFlight()}/${this.opts.activity?.()}`;
    const start = performance.now();
    let last = sig();
    let quietSince = start;
    let quietTurns = 0;
    for (;;) {
      await sleep(1); // a timer, so that each turn passes the event loop's poll phase
      const now = performance.now();
      const s = sig();
      if (s !== last) {
        last = s;
        quietSince = now;
        quietTurns = 0;
      } else {
        quietTurns++;
      }
      if ((quietTurns >= SETTLE_TURNS && now - quietSince >= this.settleMs) || now - start >= this.settleMaxMs) return;
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.busy.then(fn);
    this.busy = p.catch(() => undefined);
    return p;
  }
}
