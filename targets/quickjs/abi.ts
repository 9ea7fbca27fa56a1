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

export interface TickResult extends GuestState {
  out: WireOutput[];
}

export interface VariablesResult {
  vars: Record<string, WireValue>;
}

/** An InEvent / Output as io.ts defines it, with `data` and `value` as wire values. */
export type WireEvent = Record<string, unknown> & { kind: InEvent['kind'] };
export type WireOutput = Record<string, unknown> & { kind: Output['kind'] };

// ── values ────────────────────────────────────────────────────────────
//
// A Value goes as JSON, except what JSON cannot say:
//   Uint8Array        → {"$b":[offset,length]}  bytes in the call's binary buffer
//   NaN, ±Infinity, -0 → {"$n":"NaN"|"Infinity"|"-Infinity"|"-0"}
//   an object key that starts with "$" gets one more "$" in front
// so a tag can never be confused with a dictionary the graph built.

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

export function encodeValue(v: Value, bin: BinWriter): WireValue {
  switch (typeof v) {
    case 'string': case 'boolean': return v;
    case 'number': return Number.isFinite(v) && !Object.is(v, -0) ? v : { $n: Object.is(v, -0) ? '-0' : String(v) };
    default: break;
  }
  if (v === null) return null;
  if (v instanceof Uint8Array) return { $b: bin.put(v) };
  if (Array.isArray(v)) {
    let out: WireValue[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const e = encodeValue(v[i], bin);
      if (e !== v[i] && !out) out = v.slice(0, i) as WireValue[];
      if (out) out.push(e);
    }
    return out ?? (v as WireValue[]);
  }
  // A plain object (a dictionary). Copied only when something in it changes;
  // fromEntries, because assigning a "__proto__" key would set the prototype.
  const keys = Object.keys(v);
  let changed = false;
  const entries = keys.map((k): [string, WireValue] => {
    const e = encodeValue(v[k], bin);
    const key = k.charCodeAt(0) === 36 /* $ */ ? '$' + k : k;
    if (e !== v[k] || key !== k) changed = true;
    return [key, e];
  });
  return changed ? Object.fromEntries(entries) : (v as { [k: string]: WireValue });
}

/** The inverse of encodeValue; `bin` is the call's binary buffer. Binary payloads are copied out of it. */
export function decodeValue(w: WireValue, bin: Uint8Array | undefined): Value {
  if (w === null || typeof w !== 'object') return w;
  if (Array.isArray(w)) {
    let out: Value[] | undefined;
    for (let i = 0; i < w.length; i++) {
      const d = decodeValue(w[i], bin);
      if (d !== w[i] && !out) out = w.slice(0, i) as Value[];
      if (out) out.push(d);
    }
    return out ?? (w as Value[]);
  }
  const keys = Object.keys(w);
  if (keys.length === 1 && keys[0] === '$b') {
    const [at, len] = w.$b as [number, number];
    if (len === 0) return new Uint8Array(0); // a call whose payloads are all empty has no buffer
    if (!bin || !(at >= 0 && len > 0 && at + len <= bin.length)) throw new RangeError(`binary payload [${at}, ${len}] is outside the call's buffer`);
    return bin.slice(at, at + len);
  }
  if (keys.length === 1 && keys[0] === '$n' && typeof w.$n === 'string' && w.$n in SPECIAL) return SPECIAL[w.$n];
  let changed = false;
  const entries = keys.map((k): [string, Value] => {
    const d = decodeValue(w[k], bin);
    const key = k.charCodeAt(0) === 36 ? k.slice(1) : k;
    if (d !== w[k] || key !== k) changed = true;
    return [key, d];
  });
  return changed ? Object.fromEntries(entries) : (w as { [k: string]: Value });
}

// ── events and outputs ────────────────────────────────────────────────
// Only ws.message / ws.send `data` and var `value` carry Values; every other
// field is a JSON string or number already.

export function encodeEvent(ev: InEvent, bin: BinWriter): WireEvent {
  return ev.kind === 'ws.message' ? { ...ev, data: encodeValue(ev.data, bin) } : (ev as WireEvent);
}

export function decodeEvent(w: WireEvent, bin: Uint8Array | undefined): InEvent {
  return (w.kind === 'ws.message' ? { ...w, data: decodeValue(w.data as WireValue, bin) } : w) as InEvent;
}

export function encodeOutput(o: Output, bin: BinWriter): WireOutput {
  if (o.kind === 'ws.send') return typeof o.data === 'string' ? (o as WireOutput) : { ...o, data: encodeValue(o.data, bin) };
  if (o.kind === 'var') {
    const value = encodeValue(o.value, bin);
    return value === o.value ? (o as WireOutput) : { ...o, value };
  }
  return o as WireOutput;
}

export function decodeOutput(w: WireOutput, bin: Uint8Array | undefined): Output {
  if (w.kind === 'ws.send' && typeof w.data === 'object') return { ...w, data: decodeValue(w.data as WireValue, bin) } as Output;
  if (w.kind === 'var' && w.value !== null && typeof w.value === 'object') return { ...w, value: decodeValue(w.value as WireValue, bin) } as Output;
  return w as Output;
}
