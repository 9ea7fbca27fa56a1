// The contract between the QuickJS guest (guest.ts) and its host
// (bindings/quickjs): the names of the functions the guest defines, the JSON
// shapes that cross, and the value encoding. docs/HOST-ABI.md is the prose
// version, for a native host on a board.
//
// Why this shape: one host→guest call per tick carries the whole ordered
// event batch and returns every output of the tick (a call costs 1–2 µs; a
// guest→host call per message would cost 5–6 µs each). Text crosses as JSON,
// because the engine's string API works on NUL-terminated C strings and
// JSON escapes U+0000 (and lone surrogates); binary payloads cross in one
// ArrayBuffer per direction, referenced from the JSON by offset and length.
//
// Platform-neutral: imported by the guest bundle and by the Node host.

import type { Value } from '../../runtime/values.ts';
import type { InEvent, Output } from '../../runtime/vm/io.ts';

/** Bumped on any change to the names, arguments or shapes below. */
export const ABI_VERSION = 1;

/**
 * The global functions guest.ts defines (results "string | [string, ArrayBuffer]":
 * the JSON alone, or with the binary buffer when the call returns payloads):
 *   pw_load(schedule: ArrayBuffer, options: LoadOptions JSON) → LoadResult JSON
 *   pw_tick(now: number, batch: Batch JSON, bin: ArrayBuffer | undefined) → TickResult JSON [+ buffer]
 *   pw_variables() → VariablesResult JSON [+ buffer]
 */
export const GUEST_FN = { load: 'pw_load', tick: 'pw_tick', variables: 'pw_variables' } as const;

export interface LoadOptions {
  /** Overrides of the schedule's limits (runtime/limits.ts). */
  limits?: Record<string, number>;
}

/** Guest state the host caches between calls. */
export interface GuestState {
  /** Vm.hasPendingWork() after the call. */
  pending: boolean;
  /** Vm.nextDue(); absent when no timer runs. */
  nextDue?: number;
  /** Events still queued in the guest VM (a tick's budget ran out before them). */
  queued: number;
}

export type LoadResult = ({ ok: true; abi: number } & GuestState) | { ok: false; abi: number; error: string };

/** One tick's input: the events in arrival order, then the per-connection counts of events the host refused. */
export interface Batch {
  events?: WireEvent[];
  /** [connection index, count] pairs. */
  dropped?: [number, number][];
}

/** Read with parseWire: the outputs are then as io.ts defines them. */
export interface TickResult extends GuestState {
  out: Output[];
}

export interface VariablesResult {
  vars: Record<string, Value>;
}

/** An InEvent as io.ts defines it, a binary ws.message payload as {"$b":[offset,length]}. */
export type WireEvent = Record<string, unknown> & { kind: InEvent['kind'] };

// ── values ────────────────────────────────────────────────────────────
//
// A Value goes as JSON, except what JSON cannot say:
//   Uint8Array        → {"$b":[offset,length]}  bytes in the call's binary buffer
//   NaN, ±Infinity, -0 → {"$n":"NaN"|"Infinity"|"-Infinity"|"-0"}
//   an object key that starts with "$" gets one more "$" in front
// so a tag can never be confused with a dictionary the graph built.
// Both directions run inside JSON.stringify / JSON.parse (a replacer, a
// reviver): a deeply nested dictionary recurses in the engine's JSON code,
// which meets QuickJS's stack limit cleanly, not in guest JavaScript frames.

export type WireValue = null | boolean | number | string | WireValue[] | { [k: string]: WireValue };

/** Collects the binary payloads of one call into one buffer. */
export class BinWriter {
  private chunks: Uint8Array[] = [];
  size = 0;

  put(b: Uint8Array): [number, number] {
    const at = this.size;
    this.chunks.push(b);
    this.size += b.length;
    return [at, b.length];
  }

  /** The payloads, back to back, in a buffer of exactly their size; undefined when there were none. */
  finish(): Uint8Array | undefined {
    if (this.size === 0) return undefined;
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) { out.set(c, o); o += c.length; }
    return out;
  }
}

const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };
const isDollar = (k: string): boolean => k.charCodeAt(0) === 36;
/** A copy with the keys renamed, in order; fromEntries, because assigning a "__proto__" key would set the prototype. */
const renameKeys = (o: Record<string, unknown>, f: (k: string) => string) => Object.fromEntries(Object.keys(o).map((k) => [f(k), o[k]]));

/** A JSON.stringify replacer that writes Values in the wire encoding, binary payloads into `bin`. */
export function valueReplacer(bin: BinWriter): (key: string, v: unknown) => unknown {
  return (_key, v) => {
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : { $n: Object.is(v, -0) ? '-0' : String(v) };
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    if (v instanceof Uint8Array) return { $b: bin.put(v) };
    for (const k in v) if (isDollar(k)) return renameKeys(v as Record<string, unknown>, (k) => (isDollar(k) ? '$' + k : k));
    return v;
  };
}

/** The JSON.parse reviver that reads the wire encoding back; payloads are copied out of `bin`, the call's buffer. */
export function valueReviver(bin: Uint8Array | undefined): (key: string, v: unknown) => unknown {
  return (_key, v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$b' && Array.isArray(o.$b)) {
      const [at, len] = o.$b as [number, number];
      if (len === 0) return new Uint8Array(0); // a call whose payloads are all empty has no buffer
      if (!bin || !(at >= 0 && len > 0 && at + len <= bin.length)) throw new RangeError(`binary payload [${at}, ${len}] is outside the call's buffer`);
      return bin.slice(at, at + len);
    }
    if (keys.length === 1 && keys[0] === '$n' && typeof o.$n === 'string' && o.$n in SPECIAL) return SPECIAL[o.$n];
    return keys.some(isDollar) ? renameKeys(o, (k) => (isDollar(k) ? k.slice(1) : k)) : o;
  };
}

/** Whether JSON alone would not carry `v` exactly. */
const needsWire = (v: Value): boolean =>
  typeof v === 'number' ? !Number.isFinite(v) || Object.is(v, -0) : typeof v === 'object' && v !== null;

/** A Value as wire JSON. */
export const valueToJson = (v: Value, bin: BinWriter): string => JSON.stringify(v, valueReplacer(bin));

/** Parses JSON that may hold wire-encoded Values (the reviver runs only if a tag or an escaped key can be there). */
export const parseWire = <T>(json: string, bin: Uint8Array | undefined): T =>
  JSON.parse(json, json.includes('"$') ? valueReviver(bin) : undefined) as T;

// ── events and outputs ────────────────────────────────────────────────
// Only ws.message / ws.send `data` and var `value` carry Values; every other
// field is a JSON string or number already.

/** An event for the batch: a binary ws.message payload goes into `bin`. */
export function encodeEvent(ev: InEvent, bin: BinWriter): WireEvent {
  return ev.kind === 'ws.message' && typeof ev.data !== 'string' ? { ...ev, data: { $b: bin.put(ev.data) } } : (ev as WireEvent);
}

/** One output as wire JSON; JSON.stringify with the replacer only where a Value may need it. */
export function outputJson(o: Output, bin: BinWriter): string {
  if (o.kind === 'var' && needsWire(o.value)) {
    return `{"kind":"var","name":${JSON.stringify(o.name)},"value":${valueToJson(o.value, bin)}}`;
  }
  if (o.kind === 'ws.send' && typeof o.data !== 'string') {
    return `{"kind":"ws.send","conn":${o.conn},"data":${valueToJson(o.data, bin)}}`;
  }
  return JSON.stringify(o);
}
