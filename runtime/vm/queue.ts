// The inbound event queue: a fixed-capacity ring. An event that does not
// fit is not queued; it is counted against its connection, and the VM
// reports the count as an error event once the queued ones are delivered.

import type { InEvent } from './io.ts';

export class EventQueue {
  private readonly ring: (InEvent | undefined)[];
  private head = 0;
  private count = 0;
  /** Events refused since the last report, per connection index. */
  readonly dropped: number[];
  droppedTotal = 0;

  constructor(readonly capacity: number, connections: number) {
    this.ring = new Array(capacity);
    this.dropped = new Array(connections).fill(0);
  }

  get length(): number {
    return this.count;
  }

  /** False when the queue was full (the event is counted, not kept). */
  push(ev: InEvent): boolean {
    if (this.count === this.capacity) {
      if (ev.conn >= 0 && ev.conn < this.dropped.length) this.dropped[ev.conn]++;
      this.droppedTotal++;
      return false;
    }
    this.ring[(this.head + this.count) % this.capacity] = ev;
    this.count++;
    return true;
  }

  shift(): InEvent | undefined {
    if (this.count === 0) return undefined;
    const ev = this.ring[this.head];
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return ev;
  }
}
