// The trace format: what a run's ticks took in and gave out, as JSON Lines.
// docs/TRACES.md is the user-facing account; this file is its one
// implementation (the recorder writes with it, the replay binding and the
// HIL kit read with it). Platform-neutral, like the rest of runtime/.
//
//   line 1      header  {"format":"pulsewire-trace","version":1,"schedule":"9f1c2a3b",
//                        "project":"telemetry","tickRateHz":60,"mode":"fixed","target":"node"}
//   line n + 2  tick n  {"tick":n,"time":ms,"events":[…],"outputs":[…]}
//
// A tick line holds the events the engine accepted for that tick, in queue
// order (plus, marked "dropped": true and without payload, those the full
// queue refused), and the outputs the tick produced, in emission order.
// Empty lists are left out. Ticks are consecutive from 0.
//
// Values are JSON, except what JSON cannot hold, written as one-key marker
// objects: bytes {"$bytes":"<base64>"}, numbers {"$num":"NaN"|"Infinity"|
// "-Infinity"|"-0"}; a genuine one-key object whose key starts with "$" is
// wrapped as {"$obj":{…}}, so that every marker is unambiguous.
//
// Records are written with `kind` first and their other fields in sorted
// order, so one output has one text on every target: comparing outputs is
// comparing strings.

import type { Value } from '../values.ts';
import type { Limits } from '../limits.ts';
import type { InEvent, Output } from './io.ts';
import type { Schedule } from '../schedule/schedule.ts';
import { encode } from '../schedule/format.ts';
import { crc32 } from '../schedule/crc32.ts';

export const TRACE_FORMAT = 'pulsewire-trace';
export const TRACE_VERSION = 1;

export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  /** scheduleChecksum() of the schedule that ran. */
  schedule: string;
  /** The project's name (from the schedule's metadata). */
  project: string;
  tickRateHz: number;
  /** The host loop's mode (fixed, on-demand, fast, stepped). */
  mode: string;
  /** The target that recorded (node, quickjs). */
  target: string;
  /** Limit overrides the run was given (a board profile's, a test's); a replay uses them too. */
  limits?: Partial<Limits>;
  /** The schedule's connections by index, for people (a timeline names its lanes by them); optional. */
  connections?: { name: string; kind: string }[];
}

/** The header's `connections`: names and kinds only (never a URL: it may carry a credential). */
export const traceConnections = (s: Schedule): { name: string; kind: string }[] => s.connections.map((c) => ({ name: c.name, kind: c.kind }));

/** One event as the engine saw it: accepted into the queue, or refused (queue full). */
export interface TickEvent {
  ev: InEvent;
  accepted: boolean;
}

/** One tick: its number, logical time, what it took in and what it gave out. */
export interface TickRecord {
  tick: number;
  time: number;
  events: TickEvent[];
  outputs: Output[];
  /** The budget the tick charged, when the engine told (left out of a line when 0); never compared by replay. */
  cost?: number;
}

/** A malformed trace: the line (1-based) and what is wrong with it. */
export class TraceError extends Error {
  constructor(readonly line: number, readonly why: string) {
    super(`line ${line}: ${why}`);
    this.name = 'TraceError';
  }
}

// ── schedule identity ─────────────────────────────────────────────────

/**
 * Names a schedule in traces: the CRC-32 of its encoded body (debug map
 * included, as `pulsewire compile` writes it) with every connection URL
 * blanked, as 8 hex digits. URLs are left out because they say where the
 * back ends were, not what the graph does: a run pointed at test servers
 * replays on the project as written. (They may also carry credentials.)
 */
export function scheduleChecksum(s: Schedule): string {
  const bytes = encode({ ...s, connections: s.connections.map((c) => ({ ...c, url: '' })) }, { debug: true });
  return crc32(bytes, 16).toString(16).padStart(8, '0');
}

// ── values ────────────────────────────────────────────────────────────

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function encodeValue(v: Value): Json {
  if (v instanceof Uint8Array) return { $bytes: toBase64(v) };
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $num: 'NaN' };
    if (v === Infinity) return { $num: 'Infinity' };
    if (v === -Infinity) return { $num: '-Infinity' };
    if (Object.is(v, -0)) return { $num: '-0' };
    return v;
  }
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    const keys = Object.keys(v);
    for (const k of keys) out[k] = encodeValue(v[k]);
    return keys.length === 1 && keys[0].startsWith('$') ? { $obj: out } : out;
  }
  return v;
}

const NUMS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/** The inverse of encodeValue; throws a plain Error (with the reason) on a bad marker. */
export function decodeValue(j: unknown): Value {
  if (j === null || typeof j === 'boolean' || typeof j === 'number' || typeof j === 'string') return j;
  if (Array.isArray(j)) return j.map(decodeValue);
  if (typeof j !== 'object') throw new Error(`not a JSON value: ${typeof j}`);
  const o = j as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0].startsWith('$')) {
    const [k] = keys;
    const x = o[k];
    if (k === '$bytes' && typeof x === 'string') return fromBase64(x);
    if (k === '$num' && typeof x === 'string' && x in NUMS) return NUMS[x];
    if (k === '$obj' && x !== null && typeof x === 'object' && !Array.isArray(x)) return decodeFields(x as Record<string, unknown>);
    throw new Error(`bad marker ${JSON.stringify(k)}`);
  }
  return decodeFields(o);
}

function decodeFields(o: Record<string, unknown>): { [k: string]: Value } {
  const out: { [k: string]: Value } = {};
  for (const k of Object.keys(o)) out[k] = decodeValue(o[k]);
  return out;
}

// ── records ───────────────────────────────────────────────────────────

/** `kind` first, the other defined fields sorted, values encoded. */
function encodeRecord(r: object): { [k: string]: Json } {
  const o = r as Record<string, Value | undefined>;
  const out: { [k: string]: Json } = { kind: o.kind as string };
  const keys = Object.keys(o);
  // The VM builds its records with their fields already in order: sort only when they are not (replay's hot path).
  let prev = '';
  for (const k of keys) {
    if (k === 'kind') continue;
    if (k < prev) {
      keys.sort();
      break;
    }
    prev = k;
  }
  for (const k of keys) {
    if (k === 'kind' || o[k] === undefined) continue;
    out[k] = encodeValue(o[k] as Value);
  }
  return out;
}

/** An output's one text: what replay compares. */
export const outputText = (o: Output): string => JSON.stringify(encodeRecord(o));

export function encodeTick(r: TickRecord): string {
  const line: { [k: string]: Json } = { tick: r.tick, time: encodeValue(r.time) };
  if (r.events.length > 0) {
    // A refused event is recorded by kind and connection only: its payload never reached the graph.
    line.events = r.events.map((e) => (e.accepted ? encodeRecord(e.ev) : { kind: e.ev.kind, conn: e.ev.conn, dropped: true }));
  }
  if (r.outputs.length > 0) line.outputs = r.outputs.map(encodeRecord);
  if (r.cost) line.cost = r.cost;
  return JSON.stringify(line);
}

export function encodeHeader(h: TraceHeader): string {
  return JSON.stringify(h);
}

// ── reading ───────────────────────────────────────────────────────────

/** The fields each event kind carries besides kind and conn, and their JSON types. */
type FieldType = 'string' | 'number' | 'payload' | 'closedBy';
const EVENT_FIELDS: { readonly [K in InEvent['kind']]: Readonly<Record<string, FieldType>> } = {
  'ws.open': {},
  'ws.message': { data: 'payload' },
  'ws.error': { code: 'string', message: 'string' },
  'ws.close': { code: 'number', reason: 'string', by: 'closedBy' },
  'sio.open': {},
  'sio.close': { reason: 'string', by: 'closedBy' },
  'sio.event': { ns: 'string', event: 'string', message: 'string' },
  'sio.error': { ns: 'string', code: 'string', message: 'string' },
  'sio.subscribed': { ns: 'string', event: 'string' },
  'sio.unsubscribed': { ns: 'string', event: 'string' },
};
const isEventKind = (k: unknown): k is InEvent['kind'] => typeof k === 'string' && Object.prototype.hasOwnProperty.call(EVENT_FIELDS, k);

/** Parses the first line; throws TraceError. */
export function parseHeader(text: string, lineNo = 1): TraceHeader {
  const h = parseJson(text, lineNo);
  if (h.format !== TRACE_FORMAT) throw new TraceError(lineNo, `not a pulsewire trace (the first line must be its header, with "format": "${TRACE_FORMAT}")`);
  if (h.version !== TRACE_VERSION) throw new TraceError(lineNo, `trace format version ${JSON.stringify(h.version)} is not supported (this pulsewire reads version ${TRACE_VERSION})`);
  for (const k of ['schedule', 'project', 'mode', 'target'] as const) {
    if (typeof h[k] !== 'string') throw new TraceError(lineNo, `the header's "${k}" must be a string`);
  }
  if (typeof h.tickRateHz !== 'number' || !(h.tickRateHz > 0)) throw new TraceError(lineNo, 'the header\'s "tickRateHz" must be a number above 0');
  if (h.limits !== undefined && (h.limits === null || typeof h.limits !== 'object' || Array.isArray(h.limits))) {
    throw new TraceError(lineNo, 'the header\'s "limits" must be an object');
  }
  if (h.connections !== undefined && !(Array.isArray(h.connections) && h.connections.every((c) => typeof c?.name === 'string' && typeof c?.kind === 'string'))) {
    throw new TraceError(lineNo, 'the header\'s "connections" must be a list of {"name", "kind"}');
  }
  return h as unknown as TraceHeader;
}

/** Parses a tick line into a record: events ready to post, outputs ready to compare (outputText). Throws TraceError. */
export function parseTick(text: string, lineNo: number): TickRecord {
  const o = parseJson(text, lineNo);
  const bad = (why: string): never => {
    throw new TraceError(lineNo, why);
  };
  if (!Number.isInteger(o.tick) || (o.tick as number) < 0) bad('"tick" must be a whole number');
  let time: Value;
  try {
    time = decodeValue(o.time);
  } catch {
    time = null;
  }
  if (typeof time !== 'number' || Number.isNaN(time)) bad('"time" must be a number');
  const events: TickEvent[] = [];
  for (const [i, e] of listOf(o, 'events', lineNo).entries()) events.push(parseEvent(e, lineNo, i));
  const outputs: Output[] = [];
  for (const [i, x] of listOf(o, 'outputs', lineNo).entries()) {
    if (x === null || typeof x !== 'object' || Array.isArray(x) || typeof (x as { kind?: unknown }).kind !== 'string') {
      bad(`output ${i} must be an object with a "kind"`);
    }
    try {
      // Not checked field by field: an output is only ever compared (as its text) or shown.
      outputs.push(decodeFields(x as Record<string, unknown>) as unknown as Output);
    } catch (err) {
      bad(`output ${i}: ${(err as Error).message}`);
    }
  }
  const cost = Number.isInteger(o.cost) && (o.cost as number) > 0 ? { cost: o.cost as number } : {};
  return { tick: o.tick as number, time: time as number, events, outputs, ...cost };
}

/** An event as encodeEvent wrote it (a trace's, or one a control client injects); throws TraceError. */
export function decodeEvent(e: unknown, lineNo = 1, i = 0): TickEvent {
  return parseEvent(e, lineNo, i);
}

export const encodeEvent = (ev: InEvent): { [k: string]: Json } => encodeRecord(ev);

function parseEvent(e: unknown, lineNo: number, i: number): TickEvent {
  const bad = (why: string): never => {
    throw new TraceError(lineNo, `event ${i}: ${why}`);
  };
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return bad('must be an object');
  const o = e as Record<string, unknown>;
  if (!isEventKind(o.kind)) return bad(`unknown kind ${JSON.stringify(o.kind)}`);
  if (!Number.isInteger(o.conn) || (o.conn as number) < 0) return bad('"conn" must be a whole number');
  const fields = EVENT_FIELDS[o.kind];
  if (o.dropped === true) {
    // Refused by a full queue when recorded: a placeholder of the right kind, which the replay's queue must refuse too.
    const ev: Record<string, unknown> = { kind: o.kind, conn: o.conn };
    for (const [k, t] of Object.entries(fields)) ev[k] = t === 'number' ? 0 : t === 'closedBy' ? 'fault' : '';
    return { ev: ev as unknown as InEvent, accepted: false };
  }
  const ev: Record<string, unknown> = { kind: o.kind, conn: o.conn };
  for (const [k, t] of Object.entries(fields)) {
    let v: unknown = o[k];
    if (t === 'payload') {
      try {
        v = decodeValue(v);
      } catch (err) {
        return bad(`"${k}": ${(err as Error).message}`);
      }
      if (typeof v !== 'string' && !(v instanceof Uint8Array)) return bad(`"${k}" must be text or {"$bytes": …}`);
    } else if (t === 'closedBy') {
      if (v !== 'client' && v !== 'server' && v !== 'fault') return bad(`"${k}" must be "client", "server" or "fault"`);
    } else if (typeof v !== t) {
      return bad(`"${k}" must be a ${t}`);
    }
    ev[k] = v;
  }
  return { ev: ev as unknown as InEvent, accepted: true };
}

function listOf(o: Record<string, unknown>, key: string, lineNo: number): unknown[] {
  const v = o[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new TraceError(lineNo, `"${key}" must be a list`);
  return v;
}

function parseJson(text: string, lineNo: number): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new TraceError(lineNo, `not valid JSON (${(err as Error).message})${text.length > 0 && !text.trimEnd().endsWith('}') ? '; the recording may have been cut off here' : ''}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TraceError(lineNo, 'a trace line must be a JSON object');
  return v as Record<string, unknown>;
}

// ── base64 (no Buffer here: runtime/ bundles for QuickJS) ─────────────

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

export function toBase64(b: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    s += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  if (i < b.length) {
    const n = (b[i] << 16) | ((i + 1 < b.length ? b[i + 1] : 0) << 8);
    s += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + '=';
  }
  return s;
}

export function fromBase64(s: string): Uint8Array {
  if (s.length % 4 !== 0) throw new Error('base64 text must be a multiple of 4 characters');
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = s.charCodeAt(i + j);
      const isPad = c === 61 && i + 4 === s.length && j >= 4 - pad;
      const d = isPad ? 0 : c < 128 ? B64_INDEX[c] : -1;
      if (d < 0) throw new Error(`bad base64 character at ${i + j}`);
      n = (n << 6) | d;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
