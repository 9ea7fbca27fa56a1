// What socket.io-client needs of a browser, for a QuickJS guest that has
// nothing but ECMAScript: timers on the tick clock, and a WebSocket whose
// traffic the host carries, batched once per tick (the best case for
// running the protocol in the guest: no guest→host call per message).
// Imported before socket.io-client, which reads these globals when it loads.

type Timer = { id: number; due: number; fn: (...a: unknown[]) => void; args: unknown[]; every: number };

let clock = 0;
let seq = 0;
const timers = new Map<number, Timer>();
/** Commands for the host, in order: ['open', id, url] | ['send', id, text] | ['close', id]. */
export let outbox: unknown[][] = [];

const g = globalThis as Record<string, unknown>;
g.setTimeout = (fn: Timer['fn'], ms = 0, ...args: unknown[]) => {
  const id = ++seq;
  timers.set(id, { id, due: clock + Math.max(0, Number(ms) || 0), fn, args, every: 0 });
  return id;
};
g.setInterval = (fn: Timer['fn'], ms = 0, ...args: unknown[]) => {
  const id = ++seq;
  const every = Math.max(1, Number(ms) || 0);
  timers.set(id, { id, due: clock + every, fn, args, every });
  return id;
};
g.clearTimeout = g.clearInterval = (id: number) => void timers.delete(id);

/** Runs every timer due at `now`, zero-delay ones scheduled meanwhile included (engine.io's nextTick without Promise). */
export function runTimers(now: number): void {
  clock = now;
  for (let guard = 0; guard < 100_000; guard++) {
    let next: Timer | undefined;
    for (const t of timers.values()) if (t.due <= clock && (!next || t.due < next.due || (t.due === next.due && t.id < next.id))) next = t;
    if (!next) return;
    if (next.every) next.due += next.every;
    else timers.delete(next.id);
    next.fn(...next.args);
  }
}

export const sockets = new Map<number, HostWebSocket>();

class HostWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly id = ++seq;
  readyState = 0;
  binaryType = 'arraybuffer';
  protocol = '';
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;

  constructor(readonly url: string) {
    sockets.set(this.id, this);
    outbox.push(['open', this.id, url]);
  }
  send(data: string): void {
    outbox.push(['send', this.id, data]);
  }
  close(): void {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    outbox.push(['close', this.id]);
  }
}
g.WebSocket = HostWebSocket;

/** Delivers one event the host saw on a socket. */
export function deliver(ev: unknown[]): void {
  const ws = sockets.get(ev[1] as number);
  if (!ws) return;
  switch (ev[0]) {
    case 'open': ws.readyState = 1; ws.onopen?.({}); break;
    case 'message': ws.onmessage?.({ data: ev[2] }); break;
    case 'close': ws.readyState = 3; sockets.delete(ws.id); ws.onclose?.({ code: ev[2] as number, reason: ev[3] as string }); break;
    default: ws.onerror?.({ message: String(ev[2]) });
  }
}

export function takeOutbox(): unknown[][] {
  const o = outbox;
  outbox = [];
  return o;
}
