// Timers of Start Timeout and Start Interval, on the tick clock.
// Kept sorted by (due time, start order): ties never depend on chance.
// A timer fires only in a tick later than the one that (re)armed it, so a
// zero delay cannot loop inside one tick, and an interval fires at most
// once per tick.

export interface Timer {
  id: number;
  due: number;
  /** The period in ms of an interval (0: every tick); 0 for a timeout. */
  period: number;
  /** An interval (Start Interval): re-armed after each firing. Kept apart from `period`, which may be 0 for an interval too. */
  repeat: boolean;
  seq: number;
  firePc: number;
  cancelPc: number;
  /** 1 + owning scene index; 0 for the Project (survives scene changes). */
  owner: number;
  armedTick: number;
}

export class TimerSet {
  private list: Timer[] = [];
  private nextId = 1;
  private seq = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.list.length;
  }

  /** A new timer's id, or 0 when the set is full. */
  start(due: number, period: number, repeat: boolean, firePc: number, cancelPc: number, owner: number, tick: number): number {
    if (this.list.length >= this.capacity) return 0;
    const t: Timer = { id: this.nextId++, due, period, repeat, seq: this.seq++, firePc, cancelPc, owner, armedTick: tick };
    this.insert(t);
    return t.id;
  }

  cancel(id: number): Timer | undefined {
    const i = this.list.findIndex((t) => t.id === id);
    return i < 0 ? undefined : this.list.splice(i, 1)[0];
  }

  /** The first timer due at `now` that was armed before `tick`, removed from the set. */
  takeDue(now: number, tick: number): Timer | undefined {
    for (let i = 0; i < this.list.length; i++) {
      const t = this.list[i];
      if (t.due > now) return undefined;
      if (t.armedTick < tick) return this.list.splice(i, 1)[0];
    }
    return undefined;
  }

  /**
   * Puts an interval back for its next period (skipping periods the clock jumped over). A zero period
   * is due at once: armed in this tick, it fires in the next one, so it runs once per tick.
   */
  rearm(t: Timer, now: number, tick: number): void {
    const p = t.period;
    let due = p > 0 ? t.due + p : now;
    if (p > 0 && due <= now) due += Math.ceil((now - due + 1) / p) * p;
    t.due = due;
    t.seq = this.seq++;
    t.armedTick = tick;
    this.insert(t);
  }

  dropOwner(owner: number): void {
    this.list = this.list.filter((t) => t.owner !== owner);
  }

  nextDue(): number | undefined {
    return this.list.length ? this.list[0].due : undefined;
  }

  private insert(t: Timer): void {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.list[mid];
      if (m.due < t.due || (m.due === t.due && m.seq < t.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.list.splice(lo, 0, t);
  }
}
