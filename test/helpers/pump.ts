// Drives a tick-clock transport from a test: a clock that counts real
// elapsed milliseconds from the transport's first pump, and pump loops that
// call advance() every few ms until a condition holds. Every loop is
// bounded; a timeout fails with the events seen so far.

import type { InEvent } from '../../runtime/vm/io.ts';
import { describeEvents } from './sink.ts';

/** Anything driven by advance(now) on the tick clock (a Transport, a VM host). */
export interface Advanceable {
  advance(now: number): void;
}

export interface EventSource {
  readonly events: readonly InEvent[];
}

/** Real elapsed ms since creation, as integer tick-clock times starting at 0. */
export class TestClock {
  private readonly t0 = performance.now();
  now(): number {
    return Math.floor(performance.now() - this.t0);
  }
}

const clocks = new WeakMap<Advanceable, TestClock>();

/** The clock of a transport; created on first use, so call it (or pump) right after creating the transport. */
export function clockFor(target: Advanceable): TestClock {
  let c = clocks.get(target);
  if (!c) clocks.set(target, (c = new TestClock()));
  return c;
}

export interface PumpOptions {
  /** Give up after this many real ms (default 2000). */
  timeoutMs?: number;
  /** Real ms between two advance() calls (default 5). */
  stepMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Advances `target` until `predicate(events)` holds; throws with the events seen so far on timeout. */
export async function pumpUntil(
  target: Advanceable,
  source: EventSource,
  predicate: (events: readonly InEvent[]) => boolean,
  { timeoutMs = 2_000, stepMs = 5 }: PumpOptions = {},
): Promise<void> {
  const clock = clockFor(target);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    target.advance(clock.now());
    if (predicate(source.events)) return;
    if (performance.now() > deadline) {
      throw new Error(`pumpUntil: condition not met within ${timeoutMs} ms; events so far:\n${describeEvents(source.events)}`);
    }
    await sleep(stepMs);
  }
}

/** Advances `target` for `ms` real ms (to check that nothing more happens). */
export async function pumpFor(target: Advanceable, ms: number, stepMs = 5): Promise<void> {
  const clock = clockFor(target);
  const end = performance.now() + ms;
  while (performance.now() < end) {
    target.advance(clock.now());
    await sleep(stepMs);
  }
  target.advance(clock.now());
}

/** Waits (real time, bounded) for a condition outside the transport, e.g. what a server saw. */
export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`waitFor: ${what} did not happen within ${timeoutMs} ms`);
    await sleep(5);
  }
}
