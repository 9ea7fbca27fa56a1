// A connection's delivery ledger: the messages written to its socket that
// the peer has not yet been seen to receive. A message enters when it is
// written and leaves when evidence arrives that the peer got it (the
// protocol decides what counts: a pong to a ping written after it, an
// acknowledgement). When the link dies, take() hands over everything still
// unconfirmed — the count always exact, the messages themselves as far as
// the byte bound kept them — for one report to the graph and, when the
// connection asks for it, a re-send after the next open.
//
// Bounded: the count is a number; the kept messages are at most
// `maxKeptBytes` (the oldest first: a re-send keeps its order; what is past
// the bound is counted, never silently forgotten).

export type Message = string | Uint8Array;

export interface Unconfirmed {
  /** Messages written since the last confirmation, all of them. */
  count: number;
  /** The oldest of them, in order, as many as the bound kept. */
  kept: Message[];
}

const sizeOf = (m: Message): number => (typeof m === 'string' ? m.length * 2 : m.byteLength);

export class Ledger {
  /** Sequence number of the last message written. */
  private written = 0;
  /** Sequence number of the last message confirmed. */
  private confirmed = 0;
  /** Kept messages, oldest first, with their sequence numbers. */
  private kept: Array<{ seq: number; m: Message }> = [];
  private keptBytes = 0;

  constructor(private readonly maxKeptBytes: number) {}

  /** Messages written and not confirmed. */
  get count(): number {
    return this.written - this.confirmed;
  }

  /** Records a message written to the socket; returns its sequence number (a mark for confirm()). */
  write(m: Message): number {
    const seq = ++this.written;
    const bytes = sizeOf(m);
    if (this.keptBytes + bytes <= this.maxKeptBytes && this.kept.length === seq - this.confirmed - 1) {
      this.kept.push({ seq, m });
      this.keptBytes += bytes;
    }
    return seq;
  }

  /** The mark of everything written so far: evidence about it confirms up to here. */
  get mark(): number {
    return this.written;
  }

  /** The peer got every message up to `mark`. */
  confirm(mark: number): void {
    if (mark <= this.confirmed) return;
    this.confirmed = Math.min(mark, this.written);
    let i = 0;
    while (i < this.kept.length && this.kept[i].seq <= this.confirmed) this.keptBytes -= sizeOf(this.kept[i++].m);
    if (i > 0) this.kept = this.kept.slice(i);
  }

  /** Everything unconfirmed, handed over; the ledger starts empty. */
  take(): Unconfirmed {
    const out: Unconfirmed = { count: this.count, kept: this.kept.map((k) => k.m) };
    this.confirmed = this.written;
    this.kept = [];
    this.keptBytes = 0;
    return out;
  }
}
