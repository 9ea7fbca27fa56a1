// The out-of-line opcodes: strings, JSON and dictionaries. Each returns the
// result or throws VmError, which stops the chain with an error naming the
// node. Values are never changed in place.

import { toText, hex, type Value } from '../values.ts';
import type { ErrorCode } from '../errors.ts';

export class VmError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

type Obj = { [key: string]: Value };
const isObj = (v: Value): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

export function checkLength(s: string, max: number): string {
  if (s.length > max) throw new VmError('string_too_long', `a string of ${s.length} characters is longer than the limit (${max})`);
  return s;
}

export function format(fmt: Value, args: Value[], max: number): string {
  const f = toText(fmt);
  const s = f.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, i: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const n = Number(i);
    return n < args.length ? toText(args[n]) : m;
  });
  return checkLength(s, max);
}

export function length(v: Value): number {
  if (typeof v === 'string' || v instanceof Uint8Array || Array.isArray(v)) return v.length;
  if (isObj(v)) return Object.keys(v).length;
  return toText(v).length;
}

export function substring(s: string, start: number, len: number): string {
  const from = Math.max(0, Math.trunc(start));
  return len < 0 ? s.slice(from) : s.slice(from, from + Math.trunc(len));
}

export function replaceAll(s: string, search: string, by: string, max: number): string {
  return search === '' ? s : checkLength(s.split(search).join(by), max);
}

export function parseJson(text: Value): Value {
  const s = toText(text);
  try {
    return JSON.parse(s) as Value;
  } catch (e) {
    const shown = s.length > 40 ? s.slice(0, 40) + '…' : s;
    throw new VmError('json', `invalid JSON (${(e as Error).message}) in ${JSON.stringify(shown)}`);
  }
}

export function stringify(v: Value): string {
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? hex(x) : x)) ?? 'null';
}

/**
 * An array index from a Key: a number, or a string of digits ("2"). Not Number(key): that made "" and
 * null index 0 and true index 1, so such a Key found (or set) the first items.
 */
function arrayIndex(key: Value): number {
  if (typeof key === 'number') return key;
  return typeof key === 'string' && /^[0-9]+$/.test(key) ? Number(key) : NaN;
}

/** [value, found] for a key of an object, or an index of an array. */
export function dictGet(d: Value, key: Value): [Value, boolean] {
  if (Array.isArray(d)) {
    const i = arrayIndex(key);
    return Number.isInteger(i) && i >= 0 && i < d.length ? [d[i], true] : [null, false];
  }
  if (isObj(d)) {
    const k = toText(key);
    return Object.prototype.hasOwnProperty.call(d, k) ? [d[k], true] : [null, false];
  }
  return [null, false];
}

export function dictSet(d: Value, key: Value, value: Value): Value {
  if (Array.isArray(d)) {
    const i = arrayIndex(key);
    if (Number.isInteger(i) && i >= 0 && i <= d.length) {
      const copy = d.slice();
      copy[i] = value;
      return copy;
    }
    throw new VmError('conversion', `index ${typeof key === 'string' ? JSON.stringify(key) : toText(key)} is outside the array (length ${d.length})`);
  }
  const copy: Obj = isObj(d) ? { ...d } : {};
  // defineProperty, not assignment: a key "__proto__" from the network must stay a plain key.
  Object.defineProperty(copy, toText(key), { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

export function dictKeys(d: Value): Value {
  if (Array.isArray(d)) return d.map((_x, i) => i);
  return isObj(d) ? Object.keys(d) : [];
}
