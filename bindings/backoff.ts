// Capped exponential backoff with seeded jitter. One instance per
// connection; reset() after a successful open.

import { SeededRandom } from '../runtime/random.ts';
import type { ReconnectPolicy } from './options.ts';

export class Backoff {
  private attempts = 0;
  private readonly rng: SeededRandom;
  constructor(private readonly policy: ReconnectPolicy, seed: number) {
    this.rng = new SeededRandom(seed);
  }
  /** Failed attempts since the last reset. */
  get failures(): number {
    return this.attempts;
  }
  /** True when the policy allows no further attempt. */
  exhausted(): boolean {
    return !this.policy.enabled || (this.policy.maxAttempts > 0 && this.attempts >= this.policy.maxAttempts);
  }
  /** Records a failed attempt and returns the delay before the next one, in ms. */
  next(): number {
    const p = this.policy;
    // With initialDelayMs 0 the product would become 0 × Infinity = NaN after ~1000 attempts
    // (maxAttempts 0 never stops), and a NaN deadline fires at once: a busy loop.
    const base = p.initialDelayMs > 0 ? Math.min(p.maxDelayMs, p.initialDelayMs * Math.pow(p.factor, this.attempts)) : 0;
    this.attempts++;
    const spread = base * p.jitter * (this.rng.next() * 2 - 1);
    return Math.max(0, Math.round(base + spread));
  }
  reset(): void {
    this.attempts = 0;
  }
}
