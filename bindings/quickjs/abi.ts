// The contract between the QuickJS guest (targets/quickjs/guest.ts) and its
// host (bindings/quickjs/engine.ts): the functions the guest defines, and
// the binary layout of what crosses. docs/HOST-ABI.md is the prose version,
// for a native host on a board.
//
// Why this shape: one host→guest call per tick carries the whole ordered
// event batch and returns every output of the tick (a call costs 1–2 µs; a
// guest→host call per message would cost 5–6 µs each). ABI 1 wrote both
// directions as JSON, and parsing and writing it was about two thirds of a
// tick's cost inside the guest (QuickJS builds an object per event and
// escapes every character). Now the numbers of a tick cross as Float64 words
// in one ArrayBuffer the guest owns and the host writes and reads in place
// (the "box"), binary payloads in the same box, and the tick's strings as ONE
// JavaScript string each way, cut by the lengths in the words. A string
// crosses the C API as NUL-terminated UTF-8, so a text that holds a lone
// surrogate goes as JSON instead (flagged), and one that holds U+0000 is
// found by its length and asked again as JSON (pw_escaped); anything else
// goes as it is.
//
// Platform-neutral: imported by the guest bundle and by the Node host.

import type { Value } from '../../runtime/values.ts';
import { CONSOLE_LEVELS, type ClosedBy, type InEvent, type Output } from '../../runtime/vm/io.ts';

/** Bumped on any change to the names, arguments or layouts below. */
export const ABI_VERSION = 2;

/**
 * The global functions guest.ts defines:
 *   pw_load(schedule: ArrayBuffer, options: LoadOptions JSON) → LoadResult JSON
 *   pw_box(box: ArrayBuffer, check: number) → string   the box to use from now on (its word 0 holds `check`);
 *                                                    answers a reply the old box could not hold, or "0"
 *   pw_tick(text: string | undefined) → reply         inputs in the box and `text`; outputs in the box and the reply
 *   pw_variables() → reply                           every variable (name, value), in the box and the reply
 *   pw_escaped() → string                            the last reply's text as JSON (see OUT.textLength)
 * A reply is a flag character (0x30 + REPLY_FLAGS bits), then the text.
 */
export const GUEST_FN = { load: 'pw_load', box: 'pw_box', tick: 'pw_tick', variables: 'pw_variables', escaped: 'pw_escaped' } as const;

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

// ── the box ───────────────────────────────────────────────────────────
//
//   words   Float64, from byte 0: a header of HEADER_WORDS, then records
//   bytes   the binary payloads, back to back, from byte header[BYTES_AT]
//
// The strings of the records are not in the box: they are the call's text
// (pw_tick's argument, or the reply after its flag character), back to back
// in record order; a string field's word is its length in UTF-16 code units.
// Binary payloads are taken from the bytes in record order the same way.

/** Size of the first box; a bigger one replaces it when a call needs more (boxes never shrink). */
export const BOX_INITIAL_BYTES = 16 << 10;
export const HEADER_WORDS = 8;

/** Header words of pw_tick's input. */
export const IN = { now: 0, events: 1, dropped: 2, jsonText: 3, bytesAt: 4 } as const;
/** Header words of a reply (pw_tick, pw_variables). */
/** pw_tick's reply also has Vm.lastTick(): `cost`, and `chains` entry pcs as words after the records. */
export const OUT = { count: 0, pending: 1, nextDue: 2, queued: 3, bytesAt: 4, textLength: 5, cost: 6, chains: 7 } as const;

/** The first character of a reply: 0x30 + these bits, then the text. */
export const REPLY_FLAGS = {
  /**
   * The outputs did not fit the box: the text is the number of bytes they need, and nothing was written.
   * The host makes a box at least that big and hands it over with pw_box, which answers the reply.
   */
  needBox: 1,
  /** The text is JSON (a string literal): it held a lone surrogate, which UTF-8 cannot carry. */
  jsonText: 2,
} as const;

/** A field of a record: how its value is written. */
type FieldType = 'number' | 'string' | 'optString' | 'closedBy' | 'level' | 'payload' | 'value';

/** Events (host → guest): kind code, conn, then these fields in this order (io.ts's InEvent). */
export const IN_RECORDS: { readonly [K in InEvent['kind']]: readonly (readonly [string, FieldType])[] } = {
  'ws.open': [],
  'ws.message': [['data', 'payload']],
  'ws.error': [['code', 'string'], ['message', 'string']],
  'ws.close': [['code', 'number'], ['reason', 'string'], ['by', 'closedBy']],
  'sio.open': [],
  'sio.close': [['reason', 'string'], ['by', 'closedBy']],
  'sio.event': [['ns', 'string'], ['event', 'string'], ['message', 'string']],
  'sio.error': [['ns', 'string'], ['code', 'string'], ['message', 'string']],
  'sio.subscribed': [['ns', 'string'], ['event', 'string']],
  'sio.unsubscribed': [['ns', 'string'], ['event', 'string']],
};

/** Outputs (guest → host): kind code, then these fields in this order (io.ts's Output, in the VM's key order). */
export const OUT_RECORDS: { readonly [K in Output['kind']]: readonly (readonly [string, FieldType])[] } = {
  'ws.start': [['conn', 'number']],
  'ws.stop': [['conn', 'number']],
  'ws.send': [['conn', 'number'], ['data', 'payload']],
  'sio.start': [['conn', 'number']],
  'sio.stop': [['conn', 'number']],
  'sio.emit': [['conn', 'number'], ['ns', 'string'], ['event', 'string'], ['message', 'string']],
  'sio.subscribe': [['conn', 'number'], ['ns', 'string'], ['event', 'string']],
  'sio.unsubscribe': [['conn', 'number'], ['ns', 'string'], ['event', 'string']],
  console: [['level', 'level'], ['text', 'string']],
  var: [['name', 'string'], ['value', 'value']],
  error: [['code', 'string'], ['message', 'string'], ['node', 'optString']],
};

/** Kind codes: the position in the tables above. */
export const IN_KINDS = Object.keys(IN_RECORDS) as InEvent['kind'][];
export const OUT_KINDS = Object.keys(OUT_RECORDS) as Output['kind'][];
const codes = (names: readonly string[]): Map<string, number> => new Map(names.map((n, i) => [n, i]));
const IN_CODE = codes(IN_KINDS);
const OUT_CODE = codes(OUT_KINDS);
/** A record's fields as two arrays (the guest runs in an interpreter: no destructuring, no string compares per field). */
interface Layout { kind: string; names: string[]; types: number[] }
const FIELD_TYPES: readonly FieldType[] = ['number', 'string', 'optString', 'closedBy', 'level', 'payload', 'value'];
const [NUMBER, STRING, OPT_STRING, CLOSED, LEVEL, PAYLOAD, VALUE] = [0, 1, 2, 3, 4, 5, 6];
const layouts = (table: Record<string, readonly (readonly [string, FieldType])[]>, kinds: readonly string[]): Layout[] =>
  kinds.map((kind) => ({ kind, names: table[kind].map((f) => f[0]), types: table[kind].map((f) => FIELD_TYPES.indexOf(f[1])) }));
const IN_LAYOUT = layouts(IN_RECORDS, IN_KINDS);
const OUT_LAYOUT = layouts(OUT_RECORDS, OUT_KINDS);
const CLOSED_BY: readonly ClosedBy[] = ['client', 'server', 'fault'];

/** Tags of a `value` field. */
export const VALUE_TAG = { null: 0, false: 1, true: 2, number: 3, string: 4, bytes: 5, json: 6 } as const;

// ── writing ───────────────────────────────────────────────────────────

/** A box being written: its words and bytes over one buffer, and a way to make it bigger. */
export interface Box {
  words: Float64Array;
  bytes: Uint8Array;
  /** Makes room for `n` bytes in all, keeping what was written (may replace `words` and `bytes`). */
  ensure(n: number): void;
}

/**
 * Writes records into a box's words, collecting their strings and binary
 * payloads. Both sides write with it: the guest into its box, the host into
 * a copy it then puts into the guest's box in one piece.
 */
export class BoxWriter {
  /** The next word to write. */
  at = HEADER_WORDS;
  private readonly texts: string[] = [];
  private readonly bins: Uint8Array[] = [];
  private binBytes = 0;

  constructor(private readonly box: Box) {}

  word(x: number): void {
    if (this.at >= this.box.words.length) this.box.ensure(this.box.words.length * 16 + 8);
    this.box.words[this.at++] = x;
  }

  text(s: string): void {
    this.word(s.length);
    this.texts.push(s);
  }

  bytes(b: Uint8Array): void {
    this.word(b.length);
    this.bins.push(b);
    this.binBytes += b.length;
  }

  event(ev: InEvent): void {
    const code = IN_CODE.get(ev.kind)!;
    this.record(code, IN_LAYOUT[code], ev as unknown as Record<string, unknown>, ev.conn);
  }

  output(o: Output): void {
    const code = OUT_CODE.get(o.kind)!;
    this.record(code, OUT_LAYOUT[code], o as unknown as Record<string, unknown>, undefined);
  }

  /** One record, written straight into the words (a call per word costs more than the word, in QuickJS). */
  private record(code: number, l: Layout, r: Record<string, unknown>, conn: number | undefined): void {
    const names = l.names;
    const types = l.types;
    // Room for the longest record of this layout (a value is at most three words).
    if (this.at + 3 + 3 * names.length > this.box.words.length) this.box.ensure((this.at + 3 + 3 * names.length) * 16);
    const w = this.box.words;
    let at = this.at;
    w[at++] = code;
    if (conn !== undefined) w[at++] = conn;
    for (let i = 0; i < names.length; i++) {
      const v = r[names[i]];
      switch (types[i]) {
        case NUMBER: w[at++] = v as number; break;
        case STRING: w[at++] = (v as string).length; this.texts.push(v as string); break;
        case OPT_STRING:
          if (v === undefined) w[at++] = -1;
          else { w[at++] = (v as string).length; this.texts.push(v as string); }
          break;
        case CLOSED: w[at++] = CLOSED_BY.indexOf(v as ClosedBy); break;
        case LEVEL: w[at++] = CONSOLE_LEVELS.indexOf(v as never); break;
        case PAYLOAD:
          if (typeof v === 'string') { w[at++] = 0; w[at++] = v.length; this.texts.push(v); }
          else { w[at++] = 1; w[at++] = (v as Uint8Array).length; this.bins.push(v as Uint8Array); this.binBytes += (v as Uint8Array).length; }
          break;
        default: this.at = at; this.value(v as Value); at = this.at; break;
      }
    }
    this.at = at;
  }

  /** A Value: a tag word, then its number, or its length (a structured value: its JSON's, then its payload's). */
  value(v: Value): void {
    if (v === null) this.word(VALUE_TAG.null);
    else if (v === false || v === true) this.word(v ? VALUE_TAG.true : VALUE_TAG.false);
    else if (typeof v === 'number') { this.word(VALUE_TAG.number); this.word(v); }
    else if (typeof v === 'string') { this.word(VALUE_TAG.string); this.text(v); }
    else if (v instanceof Uint8Array) { this.word(VALUE_TAG.bytes); this.bytes(v); }
    else {
      const bin = new BinWriter();
      this.word(VALUE_TAG.json);
      this.text(valueToJson(v, bin));
      this.bytes(bin.finish() ?? EMPTY);
    }
  }

  /**
   * Ends the records: the payloads go after the words (the header's bytesAt slot says where) and
   * `count` into the header's first slot (IN.events = OUT.count). Returns the text and the box's size in use.
   */
  finish(): { text: string; size: number } {
    const start = this.at * 8;
    const size = start + this.binBytes;
    if (size > this.box.bytes.length) this.box.ensure(size);
    this.box.words[IN.bytesAt] = start;
    let o = start;
    for (const b of this.bins) {
      this.box.bytes.set(b, o);
      o += b.length;
    }
    return { text: this.texts.length === 1 ? this.texts[0] : this.texts.join(''), size };
  }
}

const EMPTY = new Uint8Array(0);

/** A box over a plain buffer that doubles when it must. */
export function growableBox(bytes: number): Box {
  const box: Box = {
    words: new Float64Array(bytes >> 3),
    bytes: new Uint8Array(0),
    ensure(n) {
      if (n <= box.bytes.length) return;
      const buf = new ArrayBuffer(Math.max(n, box.bytes.length * 2) + 7 & ~7);
      new Uint8Array(buf).set(box.bytes);
      box.words = new Float64Array(buf);
      box.bytes = new Uint8Array(buf);
    },
  };
  box.bytes = new Uint8Array(box.words.buffer);
  return box;
}

// ── reading ───────────────────────────────────────────────────────────

/** Reads records back from a box's words, the call's text and the box's bytes. */
export class BoxReader {
  at = HEADER_WORDS;
  private pos = 0;
  private binAt: number;

  constructor(private readonly words: Float64Array, private readonly view: Uint8Array, private readonly text: string) {
    this.binAt = words[IN.bytesAt];
  }

  word(): number {
    return this.words[this.at++];
  }

  /** A header word (IN, OUT). */
  header(i: number): number {
    return this.words[i];
  }

  string(): string {
    const n = this.words[this.at++];
    const s = this.text.substring(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** A copy of the next payload (never a view into the box, which the next call overwrites). */
  bytes(): Uint8Array {
    const n = this.words[this.at++];
    const b = this.view.slice(this.binAt, this.binAt + n);
    this.binAt += n;
    return b;
  }

  event(): InEvent {
    const l = IN_LAYOUT[this.words[this.at++]];
    const ev: Record<string, unknown> = { kind: l.kind, conn: this.words[this.at++] };
    this.fields(l, ev);
    return ev as unknown as InEvent;
  }

  output(): Output {
    const l = OUT_LAYOUT[this.words[this.at++]];
    const o: Record<string, unknown> = { kind: l.kind };
    this.fields(l, o);
    return o as unknown as Output;
  }

  private fields(l: Layout, r: Record<string, unknown>): void {
    const names = l.names;
    const types = l.types;
    const w = this.words;
    const text = this.text;
    for (let i = 0; i < names.length; i++) {
      const type = types[i];
      if (type === STRING || (type === PAYLOAD && w[this.at++] === 0) || (type === OPT_STRING && w[this.at] !== -1)) {
        const n = w[this.at++];
        r[names[i]] = text.substring(this.pos, this.pos + n);
        this.pos += n;
        continue;
      }
      switch (type) {
        case NUMBER: r[names[i]] = w[this.at++]; break;
        case OPT_STRING: this.at++; break;
        case CLOSED: r[names[i]] = CLOSED_BY[w[this.at++]]; break;
        case LEVEL: r[names[i]] = CONSOLE_LEVELS[w[this.at++]]; break;
        case PAYLOAD: r[names[i]] = this.bytes(); break;
        default: r[names[i]] = this.value(); break;
      }
    }
  }

  value(): Value {
    const tag = this.word();
    switch (tag) {
      case VALUE_TAG.null: return null;
      case VALUE_TAG.false: return false;
      case VALUE_TAG.true: return true;
      case VALUE_TAG.number: return this.word();
      case VALUE_TAG.string: return this.string();
      case VALUE_TAG.bytes: return this.bytes();
      case VALUE_TAG.json: {
        const json = this.string();
        const n = this.words[this.at++];
        const bin = this.view.subarray(this.binAt, this.binAt + n);
        this.binAt += n;
        return parseWire<Value>(json, bin);
      }
      default: throw new RangeError(`unknown value tag ${tag} in the box`);
    }
  }
}

// ── the text of a call ──────────────────────────────────────────────────

/** Whether a string crosses a C string API (UTF-8, NUL-terminated) unchanged: no U+0000, no lone surrogate. */
export const crossesAsIs = (s: string): boolean => wellFormed(s) && s.indexOf('\u0000') === -1;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;
/** String.prototype.isWellFormed (ES2024, in QuickJS and Node 20), or the same by a regular expression. */
export const wellFormed: (s: string) => boolean = typeof (''as unknown as { isWellFormed?: unknown }).isWellFormed === 'function'
  ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
  : (s) => !LONE_SURROGATE.test(s);

// ── structured Values inside a value field ───────────────────────────────
//
// An array or dictionary goes as JSON, except what JSON cannot say:
//   Uint8Array        → {"$b":[offset,length]}  bytes in the value's own payload
//   NaN, ±Infinity, -0 → {"$n":"NaN"|"Infinity"|"-Infinity"|"-0"}
//   an object key that starts with "$" gets one more "$" in front
// so a tag can never be confused with a dictionary the graph built.
// Both directions run inside JSON.stringify / JSON.parse (a replacer, a
// reviver): a deeply nested dictionary recurses in the engine's JSON code,
// which meets QuickJS's stack limit cleanly, not in guest JavaScript frames.

/** Collects the binary parts of one structured value into one payload. */
export class BinWriter {
  private chunks: Uint8Array[] = [];
  size = 0;

  put(b: Uint8Array): [number, number] {
    const at = this.size;
    this.chunks.push(b);
    this.size += b.length;
    return [at, b.length];
  }

  /** The parts, back to back, in a buffer of exactly their size; undefined when there were none. */
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

/** A JSON.stringify replacer that writes Values in the wire encoding, binary parts into `bin`. */
function valueReplacer(bin: BinWriter): (key: string, v: unknown) => unknown {
  return (_key, v) => {
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : { $n: Object.is(v, -0) ? '-0' : String(v) };
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    if (v instanceof Uint8Array) return { $b: bin.put(v) };
    for (const k in v) if (isDollar(k)) return renameKeys(v as Record<string, unknown>, (k) => (isDollar(k) ? '$' + k : k));
    return v;
  };
}

/** The JSON.parse reviver that reads the wire encoding back; parts are copied out of `bin`. */
function valueReviver(bin: Uint8Array | undefined): (key: string, v: unknown) => unknown {
  return (_key, v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$b' && Array.isArray(o.$b)) {
      const [at, len] = o.$b as [number, number];
      if (len === 0) return new Uint8Array(0);
      if (!bin || !(at >= 0 && len > 0 && at + len <= bin.length)) throw new RangeError(`binary part [${at}, ${len}] is outside the value's payload`);
      return bin.slice(at, at + len);
    }
    if (keys.length === 1 && keys[0] === '$n' && typeof o.$n === 'string' && o.$n in SPECIAL) return SPECIAL[o.$n];
    return keys.some(isDollar) ? renameKeys(o, (k) => (isDollar(k) ? k.slice(1) : k)) : o;
  };
}

/** A Value as wire JSON. */
export const valueToJson = (v: Value, bin: BinWriter): string => JSON.stringify(v, valueReplacer(bin));

/** Parses wire JSON (the reviver runs only if a tag or an escaped key can be there). */
export const parseWire = <T>(json: string, bin: Uint8Array | undefined): T =>
  JSON.parse(json, json.includes('"$') ? valueReviver(bin) : undefined) as T;
