// The .pws file: a Schedule as bytes, and back.
//
// Header, 16 bytes, multi-byte fields little-endian:
//
//    0    1    2    3    4    5    6    7    8    9   10   11   12   13   14   15
//  +----+----+----+----+---------+---------+-------------------+-------------------+
//  | 50 | 57 | 53 | 00 | version |  flags  |    body length    | CRC-32 of the body|
//  +----+----+----+----+---------+---------+-------------------+-------------------+
//    'P'  'W'  'S'  \0    u16       u16            u32                 u32
//
//  version  FORMAT_VERSION; a file of another version is refused, not guessed at.
//  flags    bit 0: the DEBUG section is present. Other bits must be 0.
//  body     everything after the header; the file is exactly 16 + length bytes.
//
// The body is a run of sections, each  | id u8 | length varint | body |,
// in this fixed order, every one present except DEBUG (optional, last):
//
//   1 META    name:str  tickRateHz:f64  startScene:sint  randomSeed:uint  limits:json
//   2 CONSTS  count, count × constant (see below)
//   3 CONNS   count, count × (kind:u8 [0 ws, 1 sio]  name:str  url:str  options:json)
//   4 SCENES  count, count × name:str
//   5 VARS    count, count × (name:str  type:uint  scene:sint  init:uint)
//   6 EVENTS  count, count × (kind:uint  key:sint  scene:sint  flags:uint  pc:uint
//                             nregs:uint  nregs × reg:uint)
//   7 REGS    regCount:uint  pairs:uint  pairs × (reg:uint  const:uint)
//   8 CODE    words:uint  words × word:uint          (Schedule.code, word by word)
//   9 DEBUG   count, count × (pc delta:uint  node:str)  (first delta is from pc 0)
//
// Field encodings:
//   uint   unsigned LEB128 varint, at most a safe integer (2^53 - 1), minimal length
//   sint   zigzag (0 → 0, -1 → 1, 1 → 2, …) then uint; -1 means "none" (scene, key)
//   f64    IEEE double, 8 bytes LE; NaN always as 00 00 00 00 00 00 f8 7f
//   str    uint byte length, then UTF-8
//   json   str holding JSON.stringify of the value (an object or an array)
//
// Constants, a tag byte then the data:
//   0 null   1 false   2 true   3 int:sint   4 f64   5 string:str
//   6 binary (uint length, bytes)   7 json:json (an array or an object)
// A number is stored as int when it is an integer in [-2^52, 2^52 - 1] and not -0,
// and as f64 otherwise. tickRateHz is an f64, since rates like 59.94 Hz exist.
//
// One schedule, one byte string: the decoder refuses every encoding the
// encoder would not have produced (overlong varints, an integer stored as
// f64, non-canonical JSON text, another NaN, invalid UTF-8), so that
// encode(decode(b)) is b for every b that decodes, and builds are
// reproducible down to the byte.
//
// Nothing in a file is trusted before the checksum matches, and every count or
// length is checked against the bytes that are left before anything is
// allocated for it. decode() throws ScheduleError, and only ScheduleError.

import type { ConnectionEntry, EventEntry, Schedule, VariableEntry, EventKind } from './schedule.ts';
import type { Value, TypeCode } from '../values.ts';
import type { Limits } from '../limits.ts';
import { crc32 } from './crc32.ts';
import { ScheduleError } from './errors.ts';
import { verify, MAX_JSON_DEPTH } from './verify.ts';

export const FORMAT_VERSION = 1;
export const MAGIC: readonly number[] = [0x50, 0x57, 0x53, 0x00];
export const HEADER_SIZE = 16;
/** Header flag bits. */
export const FLAG_DEBUG = 1;

/** Section ids, in the order they must appear. */
export const SECTIONS = { META: 1, CONSTS: 2, CONNS: 3, SCENES: 4, VARS: 5, EVENTS: 6, REGS: 7, CODE: 8, DEBUG: 9 } as const;
export type SectionName = keyof typeof SECTIONS;
const SECTION_NAMES = Object.keys(SECTIONS) as SectionName[];
const REQUIRED: readonly SectionName[] = SECTION_NAMES.filter((n) => n !== 'DEBUG');
/** What a section holds, for "truncated constant pool". */
const SECTION_WHAT: { readonly [K in SectionName]: string } = {
  META: 'metadata', CONSTS: 'constant pool', CONNS: 'connection table', SCENES: 'scene table', VARS: 'variable table',
  EVENTS: 'event table', REGS: 'register table', CODE: 'code', DEBUG: 'debug map',
};

/** Constant tags. */
export const CONST_TAG = { null: 0, false: 1, true: 2, int: 3, f64: 4, string: 5, binary: 6, json: 7 } as const;
const CONN_KIND_CODE = { ws: 0, sio: 1 } as const;

const INT_MIN = -(2 ** 52);
const INT_MAX = 2 ** 52 - 1;
/** Numbers the int tag stores; everything else is an f64. */
const isIntConst = (v: number): boolean => Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX && !Object.is(v, -0);

const utf8 = new TextEncoder();
// Not fatal (a polyfill may not support it): invalid UTF-8 is caught by re-encoding instead.
const utf8d = new TextDecoder('utf-8', { ignoreBOM: true });

// ── encode ───────────────────────────────────────────────────────────────

/** A growable byte buffer with the field encoders above. */
class Writer {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(b: number): void {
    this.room(1);
    this.buf[this.length++] = b;
  }
  uint(v: number): void {
    // verify() has made sure of this; a failure here is a bug in this file.
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`format: ${v} is not an unsigned safe integer`);
    while (v >= 0x80) {
      this.u8((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.u8(v);
  }
  sint(v: number): void {
    this.uint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  f64(v: number): void {
    this.room(8);
    if (Number.isNaN(v)) {
      // One NaN bit pattern, whatever the engine holds, so bytes stay reproducible.
      this.view.setUint32(this.length, 0, true);
      this.view.setUint32(this.length + 4, 0x7ff80000, true);
    } else {
      this.view.setFloat64(this.length, v, true);
    }
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  str(s: string): void {
    const b = utf8.encode(s);
    this.uint(b.length);
    this.bytes(b);
  }
  json(v: unknown): void {
    this.str(JSON.stringify(v));
  }
  /** Appends a section: id, length, then what `body` writes. */
  section(id: number, body: (w: Writer) => void): void {
    const w = new Writer();
    body(w);
    this.u8(id);
    this.uint(w.length);
    this.bytes(w.result());
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function writeConst(w: Writer, v: Value): void {
  if (v === null) w.u8(CONST_TAG.null);
  else if (v === false) w.u8(CONST_TAG.false);
  else if (v === true) w.u8(CONST_TAG.true);
  else if (typeof v === 'number') {
    if (isIntConst(v)) w.u8(CONST_TAG.int), w.sint(v);
    else w.u8(CONST_TAG.f64), w.f64(v);
  } else if (typeof v === 'string') w.u8(CONST_TAG.string), w.str(v);
  else if (v instanceof Uint8Array) w.u8(CONST_TAG.binary), w.uint(v.length), w.bytes(v);
  else w.u8(CONST_TAG.json), w.json(v);
}

/**
 * The schedule as .pws bytes. Verifies it first (a schedule that decode()
 * would refuse is never written). `debug: false` leaves the debug map out.
 */
export function encode(s: Schedule, opts: { debug?: boolean } = {}): Uint8Array {
  verify(s);
  const debug = (opts.debug ?? true) && s.debug !== undefined;
  const w = new Writer();
  w.section(SECTIONS.META, (b) => {
    b.str(s.meta.name);
    b.f64(s.meta.tickRateHz);
    b.sint(s.meta.startScene);
    b.uint(s.meta.randomSeed);
    b.json(s.meta.limits);
  });
  w.section(SECTIONS.CONSTS, (b) => {
    b.uint(s.consts.length);
    for (const v of s.consts) writeConst(b, v);
  });
  w.section(SECTIONS.CONNS, (b) => {
    b.uint(s.connections.length);
    for (const c of s.connections) b.u8(CONN_KIND_CODE[c.kind]), b.str(c.name), b.str(c.url), b.json(c.options);
  });
  w.section(SECTIONS.SCENES, (b) => {
    b.uint(s.scenes.length);
    for (const name of s.scenes) b.str(name);
  });
  w.section(SECTIONS.VARS, (b) => {
    b.uint(s.variables.length);
    for (const v of s.variables) b.str(v.name), b.uint(v.type), b.sint(v.scene), b.uint(v.init);
  });
  w.section(SECTIONS.EVENTS, (b) => {
    b.uint(s.events.length);
    for (const e of s.events) {
      b.uint(e.kind), b.sint(e.key), b.sint(e.scene), b.uint(e.flags), b.uint(e.pc);
      b.uint(e.regs.length);
      for (const r of e.regs) b.uint(r);
    }
  });
  w.section(SECTIONS.REGS, (b) => {
    b.uint(s.regCount);
    b.uint(s.regInit.length / 2);
    for (const x of s.regInit) b.uint(x);
  });
  w.section(SECTIONS.CODE, (b) => {
    b.uint(s.code.length);
    for (let i = 0; i < s.code.length; i++) b.uint(s.code[i]);
  });
  if (debug) {
    w.section(SECTIONS.DEBUG, (b) => {
      const d = s.debug!;
      b.uint(d.pcs.length);
      let prev = 0;
      d.pcs.forEach((pc, i) => {
        b.uint(pc - prev), b.str(d.nodes[i]);
        prev = pc;
      });
    });
  }
  return seal(w.result(), debug ? FLAG_DEBUG : 0);
}

/** Header + body: magic, version, flags, length and CRC of the body. */
export function seal(body: Uint8Array, flags: number): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE + body.length);
  const dv = new DataView(out.buffer);
  out.set(MAGIC, 0);
  dv.setUint16(4, FORMAT_VERSION, true);
  dv.setUint16(6, flags, true);
  dv.setUint32(8, body.length, true);
  dv.setUint32(12, crc32(body), true);
  out.set(body, HEADER_SIZE);
  return out;
}

/** The same schedule without its debug map: bytes in, bytes out (re-sealed); or a Schedule without `debug`. */
export function strip(bytes: Uint8Array): Uint8Array;
export function strip(s: Schedule): Schedule;
export function strip(x: Uint8Array | Schedule): Uint8Array | Schedule {
  if (x instanceof Uint8Array) return encode(decode(x), { debug: false });
  const { debug: _debug, ...rest } = x;
  return rest;
}

// ── decode ───────────────────────────────────────────────────────────────

/** A cursor over bytes [pos, end) that fails with the byte offset. */
class Reader {
  private readonly view: DataView;
  constructor(readonly b: Uint8Array, public pos: number, readonly end: number, readonly what: string) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  fail(why: string, at = this.pos): never {
    throw new ScheduleError(why, { offset: at });
  }
  get left(): number {
    return this.end - this.pos;
  }
  private need(n: number): void {
    if (n > this.left) this.fail(`truncated ${this.what}`);
  }
  u8(): number {
    this.need(1);
    return this.b[this.pos++];
  }
  uint(): number {
    const at = this.pos;
    let v = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      v += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (byte === 0 && i > 0) this.fail(`${this.what}: overlong varint`, at);
        break;
      }
      // 8 bytes carry 56 bits, more than any safe integer needs.
      if (i === 7) this.fail(`${this.what}: varint longer than 8 bytes`, at);
      scale *= 0x80;
    }
    if (v > Number.MAX_SAFE_INTEGER) this.fail(`${this.what}: varint larger than 2^53 - 1`, at);
    return v;
  }
  sint(): number {
    const v = this.uint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }
  /** A count of items (`what`, plural) that take at least `size` bytes each: never more than the bytes left allow. */
  count(what: string, size = 1): number {
    const at = this.pos;
    const n = this.uint();
    if (n * size > this.left) this.fail(`truncated ${this.what}: ${n} ${what} need more than the ${this.left} bytes left`, at);
    return n;
  }
  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    if (Number.isNaN(v) && !(this.view.getUint32(this.pos, true) === 0 && this.view.getUint32(this.pos + 4, true) === 0x7ff80000)) {
      this.fail(`${this.what}: a NaN other than the canonical one`);
    }
    this.pos += 8;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = new Uint8Array(n); // a copy, and a plain Uint8Array even if the input is a Buffer
    out.set(this.b.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }
  str(): string {
    const at = this.pos;
    const n = this.count('string bytes');
    const raw = this.b.subarray(this.pos, this.pos + n);
    const s = utf8d.decode(raw);
    const back = utf8.encode(s);
    if (back.length !== raw.length || back.some((x, i) => x !== raw[i])) this.fail(`${this.what}: a string is not valid UTF-8`, at);
    this.pos += n;
    return s;
  }
  /** JSON text of an array or object (or, with `object`, a plain object only), canonical. */
  json(object: boolean): Value {
    const at = this.pos;
    const text = this.str();
    // Depth first, so a forged "[[[[…" never reaches the engine's recursive JSON code.
    if (jsonDepth(text) > MAX_JSON_DEPTH) this.fail(`${this.what}: JSON nested deeper than ${MAX_JSON_DEPTH}`, at);
    let v: unknown;
    try {
      v = JSON.parse(text);
      if (JSON.stringify(v) !== text) this.fail(`${this.what}: JSON text is not in canonical form`, at);
    } catch (e) {
      if (e instanceof ScheduleError) throw e;
      this.fail(`${this.what}: invalid JSON text`, at);
    }
    if (typeof v !== 'object' || v === null || (object && Array.isArray(v))) {
      this.fail(`${this.what}: JSON text is not ${object ? 'an object' : 'an array or an object'}`, at);
    }
    return v as Value;
  }
  /** Refuses bytes left over at the end of a section. */
  done(): void {
    if (this.left > 0) this.fail(`${this.left} unexpected bytes at the end of the ${this.what}`);
  }
}

/** The deepest bracket nesting of a JSON text, brackets inside strings not counted. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

function readConst(r: Reader): Value {
  const at = r.pos;
  const tag = r.u8();
  switch (tag) {
    case CONST_TAG.null: return null;
    case CONST_TAG.false: return false;
    case CONST_TAG.true: return true;
    case CONST_TAG.int: return r.sint();
    case CONST_TAG.f64: {
      const v = r.f64();
      if (isIntConst(v)) r.fail(`${r.what}: the integer ${v} is stored as f64, not as int`, at);
      return v;
    }
    case CONST_TAG.string: return r.str();
    case CONST_TAG.binary: return r.bytes(r.count('binary bytes'));
    case CONST_TAG.json: return r.json(false);
    default: return r.fail(`${r.what}: unknown constant tag ${tag}`, at);
  }
}

/** Reads the body of one section into the schedule under construction. */
const READ: { readonly [K in SectionName]: (r: Reader, s: Schedule, wordAt: number[]) => void } = {
  META(r, s) {
    s.meta.name = r.str();
    s.meta.tickRateHz = r.f64();
    s.meta.startScene = r.sint();
    s.meta.randomSeed = r.uint();
    s.meta.limits = r.json(true) as Partial<Limits>;
  },
  CONSTS(r, s) {
    for (let n = r.count('constants'); n > 0; n--) s.consts.push(readConst(r));
  },
  CONNS(r, s) {
    for (let n = r.count('connections', 4); n > 0; n--) {
      const at = r.pos;
      const code = r.u8();
      const kind = code === CONN_KIND_CODE.ws ? 'ws' : code === CONN_KIND_CODE.sio ? 'sio' : r.fail(`${r.what}: unknown connection kind ${code}`, at);
      const c: ConnectionEntry = { kind, name: r.str(), url: r.str(), options: r.json(true) as ConnectionEntry['options'] };
      s.connections.push(c);
    }
  },
  SCENES(r, s) {
    for (let n = r.count('scenes'); n > 0; n--) s.scenes.push(r.str());
  },
  VARS(r, s) {
    for (let n = r.count('variables', 4); n > 0; n--) {
      const v: VariableEntry = { name: r.str(), type: r.uint() as TypeCode, scene: r.sint(), init: r.uint() };
      s.variables.push(v);
    }
  },
  EVENTS(r, s) {
    for (let n = r.count('events', 6); n > 0; n--) {
      const e: EventEntry = { kind: r.uint() as EventKind, key: r.sint(), scene: r.sint(), flags: r.uint(), pc: r.uint(), regs: [] };
      for (let k = r.count('payload registers'); k > 0; k--) e.regs.push(r.uint());
      s.events.push(e);
    }
  },
  REGS(r, s) {
    s.regCount = r.uint();
    for (let n = r.count('register initialisers', 2) * 2; n > 0; n--) s.regInit.push(r.uint());
  },
  CODE(r, s, wordAt) {
    const n = r.count('code words');
    s.code = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const at = r.pos;
      wordAt.push(at);
      const w = r.uint();
      if (w > 0x7fffffff) r.fail(`${r.what}: word ${i} is ${w}, larger than a code word can be`, at);
      s.code[i] = w;
    }
  },
  DEBUG(r, s) {
    const d = { pcs: [] as number[], nodes: [] as string[] };
    let pc = 0;
    for (let n = r.count('debug entries', 2); n > 0; n--) {
      pc += r.uint();
      d.pcs.push(pc);
      d.nodes.push(r.str());
    }
    s.debug = d;
  },
};

/**
 * Reads and fully verifies a .pws file. Throws ScheduleError, and nothing
 * else, for any input at all.
 */
export function decode(bytes: Uint8Array): Schedule {
  try {
    return decodeChecked(bytes);
  } catch (e) {
    if (e instanceof ScheduleError) throw e;
    // A bug in this file, not in the input; still, a loader must not crash the host.
    throw new ScheduleError(`internal error while reading: ${e instanceof Error ? e.message : 'unknown'}`);
  }
}

function decodeChecked(bytes: Uint8Array): Schedule {
  if (!(bytes instanceof Uint8Array)) throw new ScheduleError('not a byte array');
  for (let i = 0; i < Math.min(bytes.length, MAGIC.length); i++) {
    if (bytes[i] !== MAGIC[i]) throw new ScheduleError('not a pulsewire schedule: it does not start with "PWS\\0"');
  }
  if (bytes.length < HEADER_SIZE) {
    throw new ScheduleError(`truncated header: ${bytes.length} bytes, the header alone has ${HEADER_SIZE}`, { offset: bytes.length });
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint16(4, true);
  if (version !== FORMAT_VERSION) throw new ScheduleError(`format version ${version}, this runtime reads version ${FORMAT_VERSION}`);
  const flags = dv.getUint16(6, true);
  if ((flags & ~FLAG_DEBUG) !== 0) throw new ScheduleError(`unknown header flags 0x${flags.toString(16)}`, { offset: 6 });
  const length = dv.getUint32(8, true);
  const actual = bytes.length - HEADER_SIZE;
  if (length > actual) throw new ScheduleError(`truncated file: the header says ${length} bytes follow it, ${actual} do`, { offset: bytes.length });
  if (length < actual) throw new ScheduleError(`${actual - length} bytes of garbage after the end of the schedule`, { offset: HEADER_SIZE + length });
  if (crc32(bytes, HEADER_SIZE) !== dv.getUint32(12, true)) throw new ScheduleError('checksum mismatch: the file is damaged');

  const s: Schedule = {
    meta: { name: '', tickRateHz: 0, startScene: -1, randomSeed: 0, limits: {} },
    consts: [], connections: [], scenes: [], variables: [], events: [], regCount: 0, regInit: [], code: new Int32Array(0),
  };
  const wordAt: number[] = []; // byte offset of each code word, to place verifier errors
  const r: Reader = new Reader(bytes, HEADER_SIZE, bytes.length, 'section header');
  let next = 0; // index into REQUIRED of the section expected next
  while (r.left > 0) {
    const at = r.pos;
    const id = r.u8();
    const name = SECTION_NAMES.find((n) => SECTIONS[n] === id);
    if (name === undefined) r.fail(`unknown section id ${id}`, at);
    if (s.debug !== undefined) r.fail(name === 'DEBUG' ? 'duplicate section DEBUG' : `section ${name} after DEBUG, which must be last`, at);
    if (name !== 'DEBUG' && REQUIRED.indexOf(name) < next) r.fail(`duplicate section ${name}`, at);
    if (name !== REQUIRED[next] && next < REQUIRED.length) r.fail(`expected section ${REQUIRED[next]}, found ${name} (sections come in a fixed order)`, at);
    const lenAt = r.pos;
    const len = r.uint();
    if (len > r.left) r.fail(`truncated section ${name}: its length says ${len} bytes, ${r.left} are left`, lenAt);
    const body = new Reader(bytes, r.pos, r.pos + len, SECTION_WHAT[name]);
    READ[name](body, s, wordAt);
    body.done();
    r.pos += len;
    if (name !== 'DEBUG') next++;
  }
  if (next < REQUIRED.length) r.fail(`missing section ${REQUIRED[next]}`);
  if (((flags & FLAG_DEBUG) !== 0) !== (s.debug !== undefined)) {
    throw new ScheduleError(s.debug ? 'a DEBUG section is present but the header flags say none is' : 'the header flags say a DEBUG section is present, but there is none', { offset: 6 });
  }

  try {
    verify(s);
  } catch (e) {
    // Place an instruction's error at its bytes too: "at byte 812: pc 14, JMP: …".
    if (e instanceof ScheduleError && e.pc !== undefined && e.offset === undefined) {
      throw new ScheduleError(e.reason, { offset: wordAt[e.pc], pc: e.pc });
    }
    throw e;
  }
  return s;
}
