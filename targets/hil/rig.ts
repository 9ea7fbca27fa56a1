// The Rig: what a HIL test holds. One class whatever the runtime is behind
// it — a Controller, implemented in-process (local.ts) and over the control
// channel (remote.ts). The rig keeps a mirror of the run, built from the
// tick records the controller hands over (variables, console lines, errors,
// recent ticks), so conditions and assertions read it synchronously, and a
// failing assertion can name the tick and show what led up to it.

import { AssertionError } from 'node:assert';
import { isDeepStrictEqual } from 'node:util';
import type { InEvent, RuntimeError, ConsoleLevel } from '../../runtime/vm/io.ts';
import type { Value } from '../../runtime/values.ts';
import type { TickRecord, TraceHeader } from '../../runtime/vm/trace.ts';
import { activity, describeMatcher, matches, type Matcher } from './backends/activity.ts';
import { formatTicks, show } from './format.ts';
import { writeFailureReport } from './report.ts';

export interface RigInfo {
  target: string;
  project: string;
  /** The schedule's checksum, as traces name it. */
  schedule: string;
  tickRateHz: number;
}

/** Where the runtime stands after a controller call. */
export interface RigState {
  /** Ticks run so far: the number of the next tick. */
  tick: number;
  /** Logical time of the last tick, ms. */
  now: number;
  variables: Record<string, Value>;
  paused: boolean;
}

/** The runtime behind a rig: in-process or behind the control channel. */
export interface Controller {
  readonly info: RigInfo;
  /** Runs n ticks; every tick's record reaches onTick before this resolves. `settle`: let I/O settle first. */
  step(n: number, settle: boolean): Promise<RigState>;
  pause(): Promise<RigState>;
  resume(): Promise<RigState>;
  inject(ev: InEvent): Promise<boolean>;
  state(): Promise<RigState>;
  /** The recent ticks the runtime keeps (the whole run is in its --record file, if any). */
  trace(last?: number): Promise<{ header: TraceHeader; ticks: TickRecord[] }>;
  onTick(fn: (r: TickRecord) => void): void;
  close(): Promise<void>;
}

export interface ConsoleLine {
  tick: number;
  level: ConsoleLevel;
  text: string;
}

export interface RunLimits {
  /** Give up after this many ticks (default: 60 simulated seconds' worth). */
  maxTicks?: number;
  /** Give up after this much real time, ms (default 10 000). */
  timeoutMs?: number;
}

export interface RigOptions {
  /** Ticks shown by a failure (default 20). */
  showTicks?: number;
  /** Console lines and errors kept (default 10 000 each; older ones are counted, not kept). */
  keepLines?: number;
  /** Ticks the failure report's timeline shows (default 600: ten seconds at 60 Hz). */
  reportTicks?: number;
}

/** Anything whose received messages a test asserts on (the kit's back ends). */
export interface HasReceived<M extends { text: string }> {
  readonly received: readonly M[];
}

export class Rig {
  private tick_ = 0;
  private now_ = 0;
  private vars: Record<string, Value> = {};
  private paused_ = true;
  private readonly lines: ConsoleLine[] = [];
  private readonly errs: Array<RuntimeError & { tick: number }> = [];
  private linesLost = 0;
  private readonly ring: TickRecord[] = [];
  /** The recent ticks a failure report draws (a bounded ring, like `ring`). */
  private readonly history: TickRecord[] = [];
  private readonly reportTicks: number;
  private lastActivity = activity();
  private readonly showTicks: number;
  private readonly keepLines: number;

  constructor(private readonly ctl: Controller, initial: RigState, opts: RigOptions = {}) {
    this.showTicks = opts.showTicks ?? 20;
    this.keepLines = opts.keepLines ?? 10_000;
    this.reportTicks = Math.max(1, opts.reportTicks ?? 600);
    this.apply(initial);
    ctl.onTick((r) => this.record(r));
  }

  get target(): string {
    return this.ctl.info.target;
  }
  get project(): string {
    return this.ctl.info.project;
  }
  get info(): RigInfo {
    return this.ctl.info;
  }
  /** Ticks run so far: the number of the next tick. */
  get tick(): number {
    return this.tick_;
  }
  /** Logical time of the last tick, ms. */
  get now(): number {
    return this.now_;
  }
  get period(): number {
    return 1000 / this.ctl.info.tickRateHz;
  }

  // ── driving ──────────────────────────────────────────────────────────

  /** Runs `n` ticks on the virtual clock. */
  async step(n = 1): Promise<void> {
    const a = activity();
    const settle = a !== this.lastActivity;
    this.lastActivity = a;
    this.apply(await this.ctl.step(n, settle));
  }

  /** Runs as many ticks as `ms` of simulated time takes. */
  runFor(ms: number): Promise<void> {
    return this.step(Math.max(0, Math.ceil(ms / this.period - 1e-9)));
  }

  /**
   * Steps until `cond` holds, checking before each tick; fails (naming the
   * tick, showing the recent trace) after maxTicks ticks or timeoutMs of
   * real time. Resolves to the tick count when it held.
   */
  async runUntil(what: string, cond: (rig: Rig) => boolean, limits: RunLimits = {}): Promise<number> {
    const maxTicks = limits.maxTicks ?? Math.ceil(60 * this.ctl.info.tickRateHz);
    const timeoutMs = limits.timeoutMs ?? 10_000;
    const start = this.tick_;
    const deadline = performance.now() + timeoutMs;
    while (!cond(this)) {
      if (this.tick_ - start >= maxTicks) this.fail(`${what}: not reached within ${maxTicks} ticks (${((maxTicks * this.period) / 1000).toFixed(1)} simulated s)`);
      if (performance.now() > deadline) this.fail(`${what}: not reached within ${timeoutMs} ms of real time (${this.tick_ - start} ticks run)`);
      await this.step(1);
    }
    return this.tick_;
  }

  /** Queues an event for the next tick, as a transport would; false when the full queue refused it. */
  inject(ev: InEvent): Promise<boolean> {
    return this.ctl.inject(ev);
  }

  /** Runs in real time (ticks one period apart) until pause(). */
  async resume(): Promise<void> {
    this.apply(await this.ctl.resume());
  }

  async pause(): Promise<void> {
    this.apply(await this.ctl.pause());
  }

  get paused(): boolean {
    return this.paused_;
  }

  /** Re-reads the runtime's state (after it ran in real time). */
  async refresh(): Promise<void> {
    this.apply(await this.ctl.state());
  }

  /** The recent ticks the runtime keeps, with its header. */
  trace(last?: number): Promise<{ header: TraceHeader; ticks: TickRecord[] }> {
    return this.ctl.trace(last);
  }

  close(): Promise<void> {
    return this.ctl.close();
  }

  // ── reading ──────────────────────────────────────────────────────────

  variables(): Record<string, Value> {
    return { ...this.vars };
  }

  /** A variable's value by qualified name (`speed`, `Dashboard/speedLimit`); fails for an unknown name. */
  variable(name: string): Value {
    if (!(name in this.vars)) this.fail(`no variable "${name}" (there are: ${Object.keys(this.vars).join(', ') || 'none'})`);
    return this.vars[name];
  }

  /** Console texts so far, in order (of one level if given). */
  console(level?: ConsoleLevel): string[] {
    return this.lines.filter((l) => level === undefined || l.level === level).map((l) => l.text);
  }

  consoleLines(): readonly ConsoleLine[] {
    return this.lines;
  }

  /** Runtime errors so far (stopped chains, dropped events, connection errors reported by the graph). */
  errors(): ReadonlyArray<RuntimeError & { tick: number }> {
    return this.errs;
  }

  /** The last `n` ticks the rig saw, oldest first. */
  recent(n = this.showTicks): TickRecord[] {
    return this.ring.slice(Math.max(0, this.ring.length - n));
  }

  // ── asserting ────────────────────────────────────────────────────────

  expectVariable(name: string, expected: Value): void {
    const actual = this.variable(name);
    if (!isDeepStrictEqual(actual, expected)) this.fail(`variable "${name}" is ${show(actual)}, expected ${show(expected)}`, { actual, expected });
  }

  /** Some console line (of `level`, if given) contains the string or matches the pattern. */
  expectConsole(match: string | RegExp, level?: ConsoleLevel): void {
    if (!this.findLine(match, level)) this.fail(`no console line${level ? ` of level ${level}` : ''} matches ${describeMatcher(match)}`);
  }

  expectNoConsole(match: string | RegExp, level?: ConsoleLevel): void {
    const l = this.findLine(match, level);
    if (l) this.fail(`console line ${show(l.text)} (tick ${l.tick}) matches ${describeMatcher(match)}, and none should`);
  }

  /** The back end received a message matching `match`. */
  expectReceived<M extends { text: string }>(backend: HasReceived<M>, match: Matcher<M>): M {
    const m = backend.received.find((x) => matches(x, match));
    if (!m) {
      const got = backend.received.slice(-10).map((x) => `    ${show(x.text)}`).join('\n') || '    (nothing)';
      this.fail(`the back end received nothing matching ${describeMatcher(match as Matcher<never>)}; it received (last 10):\n${got}`);
    }
    return m;
  }

  /** Throws an AssertionError that names the tick and shows the recent trace. */
  fail(message: string, detail: { actual?: unknown; expected?: unknown } = {}): never {
    const lost = this.linesLost > 0 ? `\n(${this.linesLost} older console lines and errors were not kept)` : '';
    const text = `${this.tick_ === 0 ? 'before the first tick' : `at tick ${this.tick_ - 1} (t=${round(this.now_)} ms)`} on ${this.target}: ${message}`;
    const report = writeFailureReport(this.ctl.info, this.history, { tick: Math.max(0, this.tick_ - 1), time: this.now_, message: text });
    throw new AssertionError({
      message: `${text}\n${formatTicks(this.recent())}${lost}${report}`,
      actual: detail.actual,
      expected: detail.expected,
      operator: 'rig',
    });
  }

  // ── the mirror ───────────────────────────────────────────────────────

  private findLine(match: string | RegExp, level?: ConsoleLevel): ConsoleLine | undefined {
    return this.lines.find((l) => (level === undefined || l.level === level) && (typeof match === 'string' ? l.text.includes(match) : match.test(l.text)));
  }

  private apply(s: RigState): void {
    this.tick_ = s.tick;
    this.now_ = s.now;
    this.vars = s.variables;
    this.paused_ = s.paused;
  }

  private record(r: TickRecord): void {
    this.tick_ = r.tick + 1;
    this.now_ = r.time;
    for (const o of r.outputs) {
      if (o.kind === 'var') this.vars[o.name] = o.value;
      else if (o.kind === 'console') this.keep(this.lines, { tick: r.tick, level: o.level, text: o.text });
      else if (o.kind === 'error') this.keep(this.errs, { ...o, tick: r.tick });
    }
    this.ring.push(r);
    if (this.ring.length > this.showTicks) this.ring.shift();
    this.history.push(r);
    if (this.history.length > this.reportTicks) this.history.shift();
  }

  private keep<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > this.keepLines) {
      list.shift();
      this.linesLost++;
    }
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;
