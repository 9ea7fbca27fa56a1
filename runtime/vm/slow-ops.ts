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

/**
 * A Format string taken apart once: `texts[0] {index[0]} texts[1] … texts[n]`,
 * with `{{` and `}}` already turned into braces. `raw[i]` is placeholder i as
 * written ("{007}"), shown as it is when there is no such input.
 */
interface Template {
  texts: string[];
  index: number[];
  raw: string[];
}

/** Templates by Format string. Bounded: a graph that builds its format strings at run time only refills it. */
const templates = new Map<string, Template>();
const TEMPLATES_KEPT = 256;

/**
 * The same reading as the regular expression /\{\{|\}\}|\{(\d+)\}/g, leftmost
 * first: `{{` → `{`, `}}` → `}`, `{digits}` → a placeholder, anything else as is.
 */
function parseTemplate(f: string): Template {
  const texts: string[] = [];
  const index: number[] = [];
  const raw: string[] = [];
  let text = '';
  let i = 0;
  while (i < f.length) {
    const c = f.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x7d /* } */) {
      if (f.charCodeAt(i + 1) === c) {
        text += f[i];
        i += 2;
        continue;
      }
      if (c === 0x7b) {
        let j = i + 1;
        while (j < f.length && f.charCodeAt(j) >= 0x30 && f.charCodeAt(j) <= 0x39) j++;
        if (j > i + 1 && f.charCodeAt(j) === 0x7d) {
          texts.push(text);
          text = '';
          index.push(Number(f.slice(i + 1, j)));
          raw.push(f.slice(i, j + 1));
          i = j + 1;
          continue;
        }
      }
    }
    text += f[i];
    i++;
  }
  texts.push(text);
  return { texts, index, raw };
}

/** R[d] := format: the Format string and its `n` arguments, read from registers `R[code[at]]`…`R[code[at + n - 1]]`. */
export function format(fmt: Value, R: readonly Value[], code: Int32Array, at: number, n: number, max: number): string {
  const f = toText(fmt);
  let t = templates.get(f);
  if (t === undefined) {
    t = parseTemplate(f);
    if (templates.size >= TEMPLATES_KEPT) templates.clear();
    templates.set(f, t);
  }
  const { texts, index, raw } = t;
  let s = texts[0];
  for (let i = 0; i < index.length; i++) {
    const k = index[i];
    s += k < n ? toText(R[code[at + k]]) : raw[i];
    s += texts[i + 1];
  }
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
  } catch {
    // Not the engine's own reason: V8 and QuickJS word it differently (and QuickJS meets its stack
    // limit on nesting that V8 parses), and an output must not depend on the target.
    const shown = s.length > 40 ? s.slice(0, 40) + '…' : s;
    throw new VmError('json', `invalid JSON in ${JSON.stringify(shown)}`);
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
