// Values and data types, as the editor's typed sockets know them.
//
// A Value is what a register, a variable or a constant holds at run time:
//   Bool → boolean, Int/Float → number, String → string,
//   Binary → Uint8Array, Any → any JSON value (null, boolean, number, string,
//   array, plain object).
// Pulse is a pin kind, never a value.
//
// The rules for which data links are allowed live here too (linkRule), so
// the compiler's type check and the VM's run-time coercion (coerce) agree.

export type Value = boolean | number | string | Uint8Array | null | Value[] | { [key: string]: Value };

/** The editor's data types. Numbers are the type codes stored in schedules (never reorder). */
export const TYPES = {
  Any: 0,
  Bool: 1,
  Int: 2,
  Float: 3,
  String: 4,
  Binary: 5,
} as const;
export type TypeName = keyof typeof TYPES;
export type TypeCode = (typeof TYPES)[TypeName];
export const TYPE_NAMES: readonly TypeName[] = Object.keys(TYPES) as TypeName[];
export const typeName = (code: number): TypeName | undefined => TYPE_NAMES.find((n) => TYPES[n] === code);
export const isTypeName = (s: unknown): s is TypeName => typeof s === 'string' && Object.prototype.hasOwnProperty.call(TYPES, s);

/** The value a socket of this type holds before anything wrote it. */
export function defaultValue(t: TypeName): Value {
  switch (t) {
    case 'Bool': return false;
    case 'Int': case 'Float': return 0;
    case 'String': return '';
    case 'Binary': return new Uint8Array(0);
    case 'Any': return null;
  }
}

/**
 * How a data link from an output of type `from` to an input of type `to` is
 * compiled: 'same' (no conversion), 'widen' (safe at compile time: Int→Float,
 * anything→Any, Bool/Int/Float→String as text), 'check' (Any→T: converted at
 * run time, a clear error if impossible), or 'no' (a diagnostic).
 */
export type LinkRule = 'same' | 'widen' | 'check' | 'no';
export function linkRule(from: TypeName, to: TypeName): LinkRule {
  if (from === to) return 'same';
  if (to === 'Any') return 'widen';
  if (from === 'Any') return 'check';
  if (from === 'Int' && to === 'Float') return 'widen';
  if (to === 'String' && (from === 'Bool' || from === 'Int' || from === 'Float')) return 'widen';
  return 'no';
}

/** A short designer-facing hint for a refused link. */
export function linkHint(from: TypeName, to: TypeName): string {
  if (from === 'Float' && to === 'Int') return 'pass it through Round, Floor, Ceil or Conversion first';
  return 'pass it through a Conversion node first';
}

/** Result of a conversion: the value, or a sentence saying why it is impossible. */
export type Converted = { ok: true; value: Value } | { ok: false; why: string };

const utf8 = new TextEncoder();
const utf8d = new TextDecoder('utf-8', { fatal: false });
export const encodeUtf8 = (s: string): Uint8Array => utf8.encode(s);
export const decodeUtf8 = (b: Uint8Array): string => utf8d.decode(b);

/** Text form of any value, as Console, Concat and Format show it. */
export function toText(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return hex(v);
  return JSON.stringify(v, jsonReplacer);
}

function jsonReplacer(_k: string, v: unknown): unknown {
  return v instanceof Uint8Array ? hex(v) : v;
}

export function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

function describe(v: Value): string {
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return String(v);
}

/**
 * Converts a value to a type, the way the Conversion node and Any→T links do.
 * Never throws: an impossible conversion comes back with a reason.
 */
export function coerce(v: Value, to: TypeName): Converted {
  switch (to) {
    case 'Any':
      return { ok: true, value: v };
    case 'String':
      return { ok: true, value: v instanceof Uint8Array ? decodeUtf8(v) : toText(v) };
    case 'Bool':
      if (typeof v === 'boolean') return { ok: true, value: v };
      if (typeof v === 'number') return { ok: true, value: v !== 0 };
      if (typeof v === 'string') {
        const t = v.trim().toLowerCase();
        if (t === 'true' || t === '1') return { ok: true, value: true };
        if (t === 'false' || t === '0') return { ok: true, value: false };
      }
      return { ok: false, why: `cannot convert ${describe(v)} to Bool` };
    case 'Int':
    case 'Float': {
      let n: number | undefined;
      if (typeof v === 'number') n = v;
      else if (typeof v === 'boolean') n = v ? 1 : 0;
      else if (typeof v === 'string' && v.trim() !== '') {
        const p = Number(v.trim());
        if (!Number.isNaN(p)) n = p;
      }
      if (n === undefined || !Number.isFinite(n)) return { ok: false, why: `cannot convert ${describe(v)} to ${to}` };
      return { ok: true, value: to === 'Int' ? Math.trunc(n) : n };
    }
    case 'Binary':
      if (v instanceof Uint8Array) return { ok: true, value: v };
      if (typeof v === 'string') return { ok: true, value: encodeUtf8(v) };
      if (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 255)) {
        return { ok: true, value: Uint8Array.from(v as number[]) };
      }
      return { ok: false, why: `cannot convert ${describe(v)} to Binary` };
  }
}

/** The type of a value as the editor would name it (for messages and Any checks). */
export function typeOfValue(v: Value): TypeName {
  if (typeof v === 'boolean') return 'Bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Int' : 'Float';
  if (typeof v === 'string') return 'String';
  if (v instanceof Uint8Array) return 'Binary';
  return 'Any';
}

/** Structural equality: what Is Equal, Switch and variable-change detection use. */
export function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!sameValue((a as Record<string, Value>)[k], (b as Record<string, Value>)[k])) return false;
  }
  return true;
}

/** Checks that a JSON literal from a project file fits a type (for literals and initial values). */
export function literalFits(v: unknown, t: TypeName): boolean {
  switch (t) {
    case 'Any': return true;
    case 'Bool': return typeof v === 'boolean';
    case 'Int': return typeof v === 'number' && Number.isInteger(v);
    case 'Float': return typeof v === 'number' && Number.isFinite(v);
    case 'String': return typeof v === 'string';
    case 'Binary': return typeof v === 'string' && /^([0-9a-fA-F]{2})*$/.test(v);
  }
}

/** A literal from the project file as a run-time value (Binary literals are hex strings). */
export function literalValue(v: unknown, t: TypeName): Value {
  if (t === 'Binary' && typeof v === 'string') {
    const out = new Uint8Array(v.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(v.slice(i * 2, i * 2 + 2), 16);
    return out;
  }
  return v as Value;
}
