// Engine.IO transports that keep a hostile or broken server's packets
// inside the binding.
//
// engine.io-client trusts the server's open packet: `0{"sid":"a"}` (no
// `upgrades`) or `0null` makes it throw a TypeError from inside the socket's
// 'message' listener, where nothing catches it — one packet on the
// Socket.IO port would end the process. These subclasses of the library's
// own Node transports (passed to the Manager as constructors, which
// engine.io-client supports) check the open packet for what the library
// reads from it, and turn anything a packet makes the library throw into a
// transport error with a stable marker: the Manager then fails the attempt
// (or drops the link) as for any transport error, and the binding reports
// code `protocol`. The protocol itself stays the library's.
//
// They also tell the connection about every packet (a sign of life, for the
// client-side liveness check) through hooks passed in the Manager's
// options, which engine.io-client hands to every transport it creates.

import { NodeWebSocket, NodeXHR, type Transport } from 'engine.io-client';

/** The reason of the TransportError a guarded transport raises for a packet that broke the protocol. */
export const ENGINE_PROTOCOL_ERROR = 'engine.io protocol error';

/** What a guarded transport tells its connection; the Manager option `pulsewireHooks`. */
export interface EngineHooks {
  /** A packet arrived (any type, the server's pings included). */
  heard(): void;
}

/** The longest ping interval + timeout a timer can wait (setTimeout's limit, 2^31 − 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Why an open packet's data cannot be used, or undefined when it can (what Socket.onHandshake reads). */
export function badHandshake(data: unknown): string | undefined {
  let h: unknown;
  try {
    h = typeof data === 'string' ? JSON.parse(data) : data;
  } catch {
    return 'the open packet is not JSON';
  }
  if (typeof h !== 'object' || h === null || Array.isArray(h)) return 'the open packet is not an object';
  const o = h as Record<string, unknown>;
  if (typeof o.sid !== 'string') return 'the open packet has no session id';
  if (!Array.isArray(o.upgrades) || o.upgrades.some((u) => typeof u !== 'string')) return 'the open packet has no list of upgrades';
  const ms = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (!ms(o.pingInterval) || !ms(o.pingTimeout)) return 'the open packet has no usable ping interval and timeout';
  if ((o.pingInterval as number) + (o.pingTimeout as number) > MAX_TIMER_MS) return 'the open packet asks for a ping interval longer than a timer can wait';
  if (o.maxPayload !== undefined && !ms(o.maxPayload)) return 'the open packet has an unusable maxPayload';
  return undefined;
}

type TransportClass = new (opts: any) => Transport;
interface Packet {
  type: string;
  data?: unknown;
}

/** A subclass of an Engine.IO transport class whose packets cannot throw out of it. */
function guarded<T extends TransportClass>(Base: T): T {
  // onData, onPacket, onError and opts are protected members of the library's Transport: reached untyped.
  const Open: new (opts: any) => any = Base;
  class Guarded extends Open {
    onData(data: unknown): void {
      try {
        super.onData(data);
      } catch (e) {
        this.broken(e instanceof Error ? e.message : String(e));
      }
    }
    onPacket(packet: Packet): void {
      (this.opts.pulsewireHooks as EngineHooks | undefined)?.heard();
      if (packet.type === 'open') {
        const why = badHandshake(packet.data);
        if (why !== undefined) return this.broken(why);
      }
      super.onPacket(packet);
    }
    broken(why: string): void {
      this.onError(ENGINE_PROTOCOL_ERROR, new Error(why));
    }
  }
  return Guarded as unknown as T;
}

/** The guarded transports by Engine.IO name, for the Manager's `transports` option. */
export const GUARDED_TRANSPORTS = {
  websocket: guarded(NodeWebSocket as unknown as TransportClass),
  polling: guarded(NodeXHR as unknown as TransportClass),
} as const;
