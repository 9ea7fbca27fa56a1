// Deadlines on the tick clock. Transports arm them (handshake timeout,
// heartbeat, reconnect delay) instead of calling setTimeout, so that what a
// connection does depends only on the tick times the host fed in — the same
// times a trace records. The host loop calls fire(now) before each tick and
// sleeps no longer than next().
//
// Ties break by arming order (a sequence number), never by chance.

export type DeadlineId = number & { readonly __deadline: unique symbol };

interface Entry {
  id: DeadlineId;
  at: number;
  seq: number;
  run: () => void;
}

export class Deadlines {
  private entries: Entry[] = [];
  private seq = 0;
  private nowMs = 0;

  /** The tick-clock time of the last fire(). */
  get now(): number {
    return this.nowMs;
  }

  /** Runs `run` at the first fire() whose time is at least now + delayMs. */
  after(delayMs: number, run: () => void): DeadlineId {
    const id = ++this.seq as DeadlineId;
    this.entries.push({ id, at: this.nowMs + Math.max(0, delayMs), seq: id, run });
    return id;
  }

  cancel(id: DeadlineId | undefined): void {
    if (id === undefined) return;
    const i = this.entries.findIndex((e) => e.id === id);
    if (i >= 0) this.entries.splice(i, 1);
  }

  /** Advances to `now` and runs every due deadline, in (time, arming order). */
  fire(now: number): void {
    if (now > this.nowMs) this.nowMs = now;
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.entries.length; i++) {
        const e = this.entries[i];
        if (e.at > this.nowMs) continue;
        if (best < 0 || e.at < this.entries[best].at || (e.at === this.entries[best].at && e.seq < this.entries[best].seq)) best = i;
      }
      if (best < 0) return;
      const [e] = this.entries.splice(best, 1);
      e.run();
    }
  }

  next(): number | undefined {
    let m: number | undefined;
    for (const e of this.entries) if (m === undefined || e.at < m) m = e.at;
    return m;
  }

  clear(): void {
    this.entries = [];
  }

  get size(): number {
    return this.entries.length;
  }
}
