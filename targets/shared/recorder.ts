// Records a run as trace ticks, from the Runner's hooks: what the engine
// accepted (onEvent), what each tick gave out (onOutput), and the tick's
// end (onTick). Each finished tick goes to `write` as one line, at once, so
// recording holds no more than one tick in memory however long the run; a
// small ring of recent ticks is kept for failure messages and the control
// channel.
//
// Which tick an event belongs to: an event is delivered by the first tick
// that starts after it was queued. Within Runner.runTick, transports advance
// (their events are queued before the engine runs: this tick), then the
// engine runs, then each output goes to onOutput and commands to the
// transports — an event a transport queues while handling a command (a Send
// refused at once) arrives after the engine has emptied its queue, so it is
// the next tick's. The recorder therefore closes a tick's event list at
// that tick's first output (or at its end, when it had none).

import type { InEvent, Output } from '../../runtime/vm/io.ts';
import { encodeHeader, encodeTick, type TickEvent, type TickRecord, type TraceHeader } from '../../runtime/vm/trace.ts';
import type { RunnerOptions } from './runner.ts';

export interface RecorderOptions {
  /** Receives the header line, then one line per tick, each without a newline. */
  write?(line: string): void;
  /** Recent ticks kept in memory (default 200). */
  keep?: number;
}

export class TraceRecorder {
  private pending: TickEvent[] = [];
  /** Events queued after the current tick's engine ran: the next tick's. */
  private later: TickEvent[] = [];
  private outputsStarted = false;
  private readonly ring: TickRecord[] = [];
  private readonly keep: number;
  private listeners: Array<(r: TickRecord, chains: readonly number[]) => void> = [];
  private count = 0;

  constructor(readonly header: TraceHeader, private readonly opts: RecorderOptions = {}) {
    this.keep = Math.max(1, opts.keep ?? 200);
    opts.write?.(encodeHeader(header));
  }

  /** Ticks recorded so far. */
  get ticks(): number {
    return this.count;
  }

  /** The hooks to hand to createRuntime / Runner (compose with others through `chain`). */
  hooks(): Required<Pick<RunnerOptions, 'onEvent' | 'onOutput' | 'onTick'>> {
    return {
      onEvent: (ev, accepted) => this.onEvent(ev, accepted),
      onOutput: () => this.onOutput(),
      onTick: (tick, now, outputs, stats) => this.onTick(tick, now, outputs, stats?.cost, stats?.chains),
    };
  }

  /** Called with every finished tick, in order, and the entry pcs of the chains it ran (when the engine tells). */
  onRecord(fn: (r: TickRecord, chains: readonly number[]) => void): () => void {
    this.listeners.push(fn);
    return () => (this.listeners = this.listeners.filter((f) => f !== fn));
  }

  /** The last `n` ticks (at most the ring's size), oldest first. */
  recent(n = this.keep): TickRecord[] {
    return this.ring.slice(Math.max(0, this.ring.length - n));
  }

  private onEvent(ev: InEvent, accepted: boolean): void {
    (this.outputsStarted ? this.later : this.pending).push({ ev, accepted });
  }

  private onOutput(): void {
    this.outputsStarted = true;
  }

  private onTick(tick: number, now: number, outputs: Output[], cost: number | undefined, chains: readonly number[] = NO_CHAINS): void {
    // The engine's own array, handed over after the tick: copy so a later reuse cannot change the record.
    const r: TickRecord = { tick, time: now, events: this.pending, outputs: outputs.slice(), ...(cost ? { cost } : {}) };
    this.pending = this.later;
    this.later = [];
    this.outputsStarted = false;
    this.count++;
    this.ring.push(r);
    if (this.ring.length > this.keep) this.ring.shift();
    this.opts.write?.(encodeTick(r));
    for (const fn of this.listeners) fn(r, chains);
  }
}

const NO_CHAINS: readonly number[] = [];

type Hooks = Pick<RunnerOptions, 'onEvent' | 'onOutput' | 'onTick'>;

/** Hooks that call each of `all` in order (undefined entries skipped). */
export function chain(...all: Array<Hooks | undefined>): Hooks {
  const hs = all.filter((h): h is Hooks => h !== undefined);
  return {
    onEvent: (ev, ok) => hs.forEach((h) => h.onEvent?.(ev, ok)),
    onOutput: (o, t, n) => hs.forEach((h) => h.onOutput?.(o, t, n)),
    onTick: (t, n, out, st) => hs.forEach((h) => h.onTick?.(t, n, out, st)),
  };
}
