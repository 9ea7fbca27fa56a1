// An EventSink that keeps every event, in posting order, for assertions.
// Generic over the whole InEvent union, so WebSocket, Socket.IO and VM tests
// can share it.

import type { EventSink } from '../../bindings/types.ts';
import type { InEvent } from '../../runtime/vm/io.ts';

export type EventOf<K extends InEvent['kind']> = Extract<InEvent, { kind: K }>;

export class CollectingSink implements EventSink {
  readonly events: InEvent[] = [];
  /** Called after each post: lets a test note what else was true at that moment. */
  onPost: ((ev: InEvent) => void) | undefined;

  post(ev: InEvent): void {
    this.events.push(ev);
    this.onPost?.(ev);
  }

  /** The events of one kind, in order. */
  of<K extends InEvent['kind']>(kind: K): EventOf<K>[] {
    return this.events.filter((e): e is EventOf<K> => e.kind === kind);
  }

  /** `kind` or `kind:code` per event: a compact shape to compare sequences. */
  trail(): string[] {
    return this.events.map((e) => ('code' in e && e.kind.endsWith('.error') ? `${e.kind}:${e.code}` : e.kind));
  }
}

/** Events as readable JSON for failure messages (binary shown as hex, long strings cut). */
export function describeEvents(events: readonly InEvent[]): string {
  return JSON.stringify(
    events,
    (_k, v: unknown) => {
      if (v instanceof Uint8Array) return `<bytes ${Buffer.from(v).toString('hex').slice(0, 64)}>`;
      if (typeof v === 'string' && v.length > 200) return `${v.slice(0, 200)}…`;
      return v;
    },
    1,
  );
}
