// Capped exponential backoff with seeded jitter, and the attempt limit: the
// one place that says how long a connection waits before it tries again
// and when it stops trying. One instance per connection; reset() after a
// successful open and on an explicit Start.

import { SeededRandom } from '../runtime/random.ts';
import type { ReconnectPolicy } from './options.ts';

export class Backoff {
  /** Waits handed out since the last reset: the exponent of the next delay. */
  private waits = 0;
  private failed = 0;
  private readonly rng: SeededRandom;
  constructor(private readonly policy: ReconnectPolicy, seed: number) {
    this.rng = new SeededRandom(seed);
  }
  /** Failed attempts in a row since the last reset. */
  get failures(): number {
    return this.failed;
  }
  /** Records a failed attempt. */
  fail(): void {
    this.failed++;
  }
  /** True when the policy allows no further attempt: reconnecting is off, or maxAttempts failed in a row. */
  exhausted(): boolean {
    return !this.policy.enabled || (this.policy.maxAttempts > 0 && this.failed >= this.policy.maxAttempts);
  }
  /** The delay before the next attempt, in ms; each call since the last reset waits longer, up to the cap. */
  next(): number {
    const p = this.policy;
    // With initialDelayMs 0 the product would become 0 × Infinity = NaN after ~1000 attempts
    // (maxAttempts 0 never stops), and a NaN deadline fires at once: a busy loop.
    const base = p.initialDelayMs > 0 ? Math.min(p.maxDelayMs, p.initialDelayMs * Math.pow(p.factor, this.waits)) : 0;
    this.waits++;
    const spread = base * p.jitter * (this.rng.next() * 2 - 1);
    return Math.max(0, Math.round(base + spread));
  }
  reset(): void {
    this.waits = 0;
    this.failed = 0;
  }
}
