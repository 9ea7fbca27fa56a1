// The host loop: wires a tick engine (the VM, in-process or in a QuickJS
// sandbox) to the transports and drives ticks in one of four modes.
//
//   fixed      tick n at logical time n × period, paced by the host clock
//              (a frame-locked HMI);
//   on-demand  a tick as soon as events are pending, a timer or a transport
//              deadline is due; logical time read from the host clock (and
//              recorded) — round trips wait for no frame;
//   fast       ticks back to back, logical time from the host clock
//              (benchmarks); I/O still gets its turn between ticks;
//   stepped    no ticks of its own: a test calls step(), logical time is a
//              virtual clock that advances only then.
//
// Each tick: transports.advance(now) → vm.tick(now) → commands to the
// transports in emission order → transports.drained(); every output also
// goes to onOutput.
//
// Backpressure: the sink tells a transport when a connection's share of the
// queue is used up (full); the connection stops reading its socket until
// drained() after the next tick, so a flood waits in TCP, not in memory,
// and nothing is refused (docs/CONNECTIONS.md, "Backpressure").

import type { InEvent, Output, Command } from '../../runtime/vm/io.ts';
import type { Schedule } from '../../runtime/schedule/schedule.ts';
import type { Value } from '../../runtime/values.ts';
import type { ConnectionStatus, Transport, TransportFactory, HostLog, TickEngine, TickStats } from '../../bindings/types.ts';
import { resolveLimits } from '../../runtime/limits.ts';

export type { TickEngine };

export type TickMode = 'fixed' | 'on-demand' | 'fast' | 'stepped';
export const TICK_MODES: readonly TickMode[] = ['fixed', 'on-demand', 'fast', 'stepped'];

export interface RunnerOptions {
  mode: TickMode;
  /** Ticks per second for fixed mode and the stepped clock's default step; default: the schedule's. */
  tickRateHz?: number;
  /** One factory per protocol family (WebSocket, Socket.IO); commands go to the family named by their prefix. */
  transports: { ws?: TransportFactory; sio?: TransportFactory };
  env?: Readonly<Record<string, string | undefined>>;
  log?: HostLog;
  /** Every output of every tick, in order, with the tick's number and logical time. */
  onOutput?(o: Output, tick: number, now: number): void;
  /** Every event as it enters the queue (recording). */
  onEvent?(ev: InEvent, accepted: boolean): void;
  /** After each tick (tracing, stop conditions). */
  onTick?(tick: number, now: number, outputs: Output[], stats?: TickStats): void;
  /** Stop after this many ticks (real-time modes). */
  maxTicks?: number;
  /** The host clock in ms (monotonic); default performance.now(). */
  clock?: () => number;
}

export class Runner {
  readonly period: number;
  private readonly transports: { ws?: Transport; sio?: Transport };
  private readonly clock: () => number;
  private t0 = 0;
  private tickCount = 0;
  private virtualNow = 0;
  private lastNow = 0;
  private running = false;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** on-demand: the deadline (ms after t0) the armed timer is for; it stays armed while that is still the next one. */
  private timerFor = NaN;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  /** on-demand: a tick is queued as a microtask (woken from an I/O callback). */
  private microtask = false;
  private inTick = false;
  /** Backpressure: events of each connection taken into the queue since the last tick. */
  private readonly inQueue: number[];
  /** How many events of one connection the queue takes between two ticks before the connection stops reading. */
  private readonly share: number;
  /** The last tick left events in the queue (its budget ran out): every connection stops reading until one does not. */
  private backlog = false;
  private readonly onMicrotask = () => {
    this.microtask = false;
    if (!this.immediate) this.loop();
  };
  private readonly onImmediate = () => {
    this.immediate = undefined;
    this.loop();
  };
  private readonly onTimer = () => {
    this.timer = undefined;
    this.timerFor = NaN;
    this.loop();
  };
  private done: Promise<void>;
  private resolveDone!: () => void;

  constructor(readonly schedule: Schedule, readonly engine: TickEngine, private readonly opts: RunnerOptions) {
    this.period = 1000 / (opts.tickRateHz ?? schedule.meta.tickRateHz);
    this.clock = opts.clock ?? (() => performance.now());
    this.done = new Promise((r) => (this.resolveDone = r));
    this.inQueue = new Array<number>(schedule.connections.length).fill(0);
    const capacity = resolveLimits(schedule.meta.limits, engine.limits).queueCapacity;
    this.share = Math.max(1, Math.floor((capacity * BACKPRESSURE_SHARE) / Math.max(1, schedule.connections.length)));
    const ctx = {
      connections: schedule.connections,
      sink: { post: (ev: InEvent) => this.post(ev), full: (conn: number) => this.full(conn) },
      log: opts.log ?? { warn: (t: string) => console.error(`warning: ${t}`) },
      env: opts.env ?? {},
      seed: schedule.meta.randomSeed,
      wake: () => this.wake(),
    };
    this.transports = {
      ws: opts.transports.ws && schedule.connections.some((c) => c.kind === 'ws') ? opts.transports.ws(ctx) : undefined,
      sio: opts.transports.sio && schedule.connections.some((c) => c.kind === 'sio') ? opts.transports.sio(ctx) : undefined,
    };
  }

  get ticks(): number {
    return this.tickCount;
  }

  /** The logical time of the last tick. */
  get now(): number {
    return this.lastNow;
  }

  /** Every connection's state and counters as its transport tells them (an observer's view: reading changes nothing). */
  connectionStatus(): ConnectionStatus[] {
    return [...(this.transports.ws?.status?.() ?? []), ...(this.transports.sio?.status?.() ?? [])].sort((a, b) => a.conn - b.conn);
  }

  /** Starts ticking in a real-time mode; the returned promise settles when the runner stops. */
  start(): Promise<void> {
    if (this.opts.mode === 'stepped') throw new Error('a stepped runner is driven by step()');
    this.running = true;
    this.t0 = this.clock();
    this.soon();
    return this.done;
  }

  /** Stepped mode: advances the virtual clock by `dtMs` (default one period) and runs one tick. */
  step(dtMs = this.period): Output[] {
    if (this.tickCount > 0) this.virtualNow += dtMs; // the first tick is the boot, at time 0
    return this.runTick(this.virtualNow);
  }

  /** Stepped mode: runs `n` ticks. */
  steps(n: number, dtMs = this.period): void {
    for (let i = 0; i < n; i++) this.step(dtMs);
  }

  /** Stops ticking and closes every transport (bounded). */
  async stop(): Promise<void> {
    if (this.stopped) return this.done;
    this.stopped = true;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    await Promise.all([this.transports.ws?.close(), this.transports.sio?.close()]);
    this.engine.dispose?.();
    this.resolveDone();
  }

  private post(ev: InEvent): void {
    const ok = this.engine.post(ev);
    if (ok && ev.conn >= 0 && ev.conn < this.inQueue.length) this.inQueue[ev.conn]++;
    this.opts.onEvent?.(ev, ok);
    this.wake();
  }

  /** Backpressure (EventSink.full): the connection's share of the queue is used up, or the last tick left a backlog. */
  private full(conn: number): boolean {
    return this.backlog || (this.inQueue[conn] ?? 0) >= this.share;
  }

  private wake(): void {
    if (!this.running || this.opts.mode !== 'on-demand' || this.immediate || this.microtask) return;
    if (this.inTick) return this.soon();
    // Woken from an I/O callback: the tick runs as soon as that callback returns (a microtask), where a
    // hand-written handler would answer, not after the rest of the poll phase; the events of one read
    // share the tick. Work a tick leaves goes through setImmediate (soon), so I/O always gets its turn.
    this.microtask = true;
    queueMicrotask(this.onMicrotask);
  }

  private logicalNow(): number {
    switch (this.opts.mode) {
      case 'fixed': return this.tickCount * this.period;
      case 'stepped': return this.virtualNow;
      default: return Math.max(this.lastNow, Math.floor(this.clock() - this.t0));
    }
  }

  private runTick(now: number): Output[] {
    this.inTick = true;
    try {
      return this.runTickInner(now);
    } finally {
      this.inTick = false;
    }
  }

  private runTickInner(now: number): Output[] {
    this.lastNow = now;
    this.transports.ws?.advance(now);
    this.transports.sio?.advance(now);
    const tick = this.tickCount++;
    let outputs: Output[];
    try {
      outputs = this.engine.tick(now);
    } catch (e) {
      // The engine never throws for graph problems; this is a broken sandbox or a bug. Report, keep the host alive.
      outputs = [{ kind: 'error', code: 'internal', message: `the runtime failed: ${(e as Error)?.message ?? e}` }];
      this.running = false;
      queueMicrotask(() => void this.stop());
    }
    // The tick took what was queued, unless its budget ran out: then every connection waits for the backlog.
    this.inQueue.fill(0);
    this.backlog = this.engine.hasPendingWork();
    for (const o of outputs) {
      this.opts.onOutput?.(o, tick, now);
      if (o.kind.startsWith('ws.')) this.transports.ws?.handle(o as Command);
      else if (o.kind.startsWith('sio.')) this.transports.sio?.handle(o as Command);
    }
    this.transports.ws?.drained?.();
    this.transports.sio?.drained?.();
    this.opts.onTick?.(tick, now, outputs, this.engine.lastTick?.());
    if (this.opts.maxTicks !== undefined && this.tickCount >= this.opts.maxTicks) {
      this.running = false;
      queueMicrotask(() => void this.stop());
    }
    return outputs;
  }

  /** Arranges the next tick of a real-time mode as soon as I/O allows. */
  private soon(): void {
    if (!this.running) return;
    // An armed timer stays (on-demand: it is for a deadline): clearing and re-arming it around every
    // event cost more than the tick itself.
    if (!this.immediate) this.immediate = setImmediate(this.onImmediate);
  }

  /** on-demand: wakes the loop for the deadline `at` (ms after t0), keeping a timer already armed for it. */
  private wakeAt(at: number): void {
    if (!this.running || this.immediate) return;
    if (this.timer && this.timerFor === at) return;
    if (this.timer) clearTimeout(this.timer);
    // A timer armed this tick fires in a later tick even when already due: at least 1 ms on.
    this.timerFor = at;
    this.timer = setTimeout(this.onTimer, Math.max(1, at - (this.clock() - this.t0)));
  }

  /**
   * fixed: runs the loop when tick n is due (`due` on the host clock). setTimeout alone fires up to a
   * millisecond or more late, in whole-millisecond steps, which a frame's round trip then carries (p99
   * over the period + 1 ms); so the timer wakes the loop FIXED_EARLY_MS before, and a precise wait
   * (Atomics.wait, no spinning) covers the rest. The event loop is held for at most that long, once
   * a tick, and what arrived meanwhile is read before the tick (setImmediate runs after the poll).
   */
  private scheduleFixed(due: number): void {
    const delay = due - this.clock();
    if (delay <= FIXED_EARLY_MS) {
      this.sleepUntil(due);
      return this.soon();
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.running) return;
      this.sleepUntil(due);
      this.soon();
    }, delay - FIXED_EARLY_MS);
  }

  private sleepUntil(due: number): void {
    // Bounded, whatever the clock says (a test's clock need not advance).
    const ms = Math.min(due - this.clock(), FIXED_EARLY_MS + 1);
    if (ms > 0.05 && sleeper) Atomics.wait(sleeper, 0, 0, ms);
  }

  private loop(): void {
    if (!this.running) return;
    const mode = this.opts.mode;
    if (mode === 'fixed') {
      this.runTick(this.logicalNow());
      // Drift-free: tick n is due at t0 + n × period; a late host runs the next tick at once.
      this.scheduleFixed(this.t0 + this.tickCount * this.period);
      return;
    }
    this.runTick(this.logicalNow());
    if (mode === 'fast' || this.engine.hasPendingWork()) return this.soon();
    // on-demand: sleep until the next timer or transport deadline; events wake us earlier.
    let next = Infinity;
    for (const d of [this.engine.nextDue(), this.transports.ws?.nextDeadline(), this.transports.sio?.nextDeadline()]) {
      if (d !== undefined && d < next) next = d;
    }
    if (next !== Infinity) this.wakeAt(next);
    else if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerFor = NaN;
    }
  }
}

/**
 * Backpressure: the part of the queue's capacity the connections' input may
 * fill between two ticks, shared equally among the schedule's connections.
 * The rest stays free, so that only what nothing can slow (a bound that
 * truly cannot hold) ever meets the VM's own overflow report.
 */
const BACKPRESSURE_SHARE = 3 / 4;
/** fixed mode: how long before a tick is due its timer fires; a precise wait covers the rest. */
const FIXED_EARLY_MS = 1.5;
/** What Atomics.wait sleeps on (never notified: only its timeout ends a wait). */
const sleeper = typeof SharedArrayBuffer === 'function' ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
