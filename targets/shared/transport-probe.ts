// Wraps transport factories so that a host driving a stepped Runner (the
// HIL kit, `run --control`) can see what the transports are waiting for —
// their next tick-clock deadline, connections in flight, events they
// delivered — and can queue an event as if a transport had (injection goes
// through the same sink, so the Runner's onEvent hook records it).

import type { Transport, TransportContext, TransportFactory } from '../../bindings/types.ts';
import type { InEvent } from '../../runtime/vm/io.ts';
import type { RunnerOptions } from './runner.ts';

type Family = 'ws' | 'sio';

export interface TransportProbe {
  /** The factories to hand to createRuntime. */
  readonly factories: RunnerOptions['transports'];
  /** The earliest deadline of any transport, in tick-clock ms. */
  nextDeadline(): number | undefined;
  /** Connections waiting on the network or a wall-clock timer, over every transport. */
  inFlight(): number;
  /** Events the transports (and inject) have queued so far. */
  readonly delivered: number;
  /** Queues `ev` through its connection's transport sink; throws when no connection of that index and kind exists. */
  inject(ev: InEvent): void;
}

export function probeTransports(base: RunnerOptions['transports']): TransportProbe {
  const made: Transport[] = [];
  const contexts: Partial<Record<Family, TransportContext>> = {};
  let delivered = 0;
  const wrap = (family: Family, factory: TransportFactory | undefined): TransportFactory | undefined => {
    if (!factory) return undefined;
    return (ctx) => {
      const counted: TransportContext = {
        ...ctx,
        sink: {
          post(ev) {
            delivered++;
            ctx.sink.post(ev);
          },
        },
      };
      contexts[family] = counted;
      const t = factory(counted);
      made.push(t);
      return t;
    };
  };
  return {
    factories: { ws: wrap('ws', base.ws), sio: wrap('sio', base.sio) },
    nextDeadline() {
      let m: number | undefined;
      for (const t of made) {
        const d = t.nextDeadline();
        if (d !== undefined && (m === undefined || d < m)) m = d;
      }
      return m;
    },
    inFlight: () => made.reduce((n, t) => n + (t.inFlight?.() ?? 0), 0),
    get delivered() {
      return delivered;
    },
    inject(ev) {
      const family: Family = ev.kind.startsWith('ws.') ? 'ws' : 'sio';
      const ctx = contexts[family];
      const entry = ctx?.connections[ev.conn];
      if (!ctx || entry?.kind !== family) {
        throw new Error(`cannot inject ${ev.kind}: connection ${ev.conn} is not a ${family === 'ws' ? 'WebSocket' : 'Socket.IO'} connection of this schedule`);
      }
      ctx.sink.post(ev);
    },
  };
}
