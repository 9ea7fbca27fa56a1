// The verifier: everything the VM relies on without checking again.
//
// decode() runs it on every file it reads, encode() on every schedule it
// writes, and tests run it on compiler output. After it passes, the VM may
// index registers, constants, connections, variables and scenes with operand
// words directly, follow any jump, and never run off the end of the code.
//
// Every rule about instructions is derived from the opcode table (OPS): the
// operand letters say what each word must be in range of, `n` bounds an
// immediate, `conn` names the connection kind, `ends` marks the opcodes the
// code may end on. Adding an opcode row needs no change here.

import { OPS, OP_BY_CODE, OP_NAMES, instructionLength, type OpName, type OpRow } from './opcodes.ts';
import { EVENT_KINDS, EVENT_PAYLOAD, type ConnKind, type EventKindName, type Schedule } from './schedule.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import { typeName, type Value } from '../values.ts';
import { ScheduleError } from './errors.ts';
import { operandLetters } from './operands.ts';

/**
 * Most registers a schedule may declare. The VM allocates regCount slots up
 * front, so a forged count must not turn into a huge allocation.
 */
export const MAX_REGISTERS = 1 << 20;

/** Deepest bracket nesting of a value stored as JSON (constants, connection options, in the JSON text). */
export const MAX_JSON_DEPTH = 256;

/** The opcodes the code may end on ("RET or JMP"), for messages. */
const ENDERS = OP_NAMES.filter((n) => (OPS[n] as OpRow).ends).join(' or ');

const KIND_BY_CODE = new Map<number, EventKindName>(
  (Object.keys(EVENT_KINDS) as EventKindName[]).map((k) => [EVENT_KINDS[k], k]),
);

/**
 * The connection kind an event kind listens on, read off its name (WsReceive →
 * 'ws', SioStop → 'sio'); undefined for events keyed by scene (SceneLoaded).
 */
export function eventConnKind(kind: EventKindName): ConnKind | undefined {
  return kind.startsWith('Ws') ? 'ws' : kind.startsWith('Sio') ? 'sio' : undefined;
}

export const CONN_KIND_NAME: { readonly [K in ConnKind]: string } = { ws: 'WebSocket', sio: 'Socket.IO' };

const isIndex = (x: unknown, n: number): x is number => Number.isInteger(x) && (x as number) >= 0 && (x as number) < n;
const isIndexOrNone = (x: unknown, n: number): boolean => x === -1 || isIndex(x, n);

/** True if the string has no lone UTF-16 surrogate (it survives UTF-8 unchanged). */
export function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return false;
    const d = s.charCodeAt(i + 1);
    if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
    i++;
  }
  return true;
}

const plural = (n: number, one: string, many = one + 's'): string => `${n} ${n === 1 ? one : many}`;

function fail(reason: string, pc?: number): never {
  throw new ScheduleError(reason, pc === undefined ? {} : { pc });
}

/** Throws a ScheduleError naming the first rule the schedule breaks. */
export function verify(s: Schedule): void {
  checkMeta(s);
  s.consts.forEach((v, i) => checkConst(v, `constant k${i}`));
  checkConnections(s);
  s.scenes.forEach((name, i) => checkString(name, `scene s${i}: name`));
  if (!isIndex(s.regCount, MAX_REGISTERS + 1)) fail(`register count ${s.regCount} is not an integer from 0 to ${MAX_REGISTERS}`);
  const starts = checkCode(s);
  checkVariables(s);
  checkRegInit(s);
  checkEvents(s, starts);
  if (s.debug !== undefined) checkDebug(s, starts);
}

function checkString(x: unknown, what: string): void {
  if (typeof x !== 'string') fail(`${what} is not a string`);
  if (!isWellFormed(x)) fail(`${what} holds a lone UTF-16 surrogate, which UTF-8 cannot store`);
}

function checkMeta(s: Schedule): void {
  const m = s.meta;
  checkString(m.name, 'meta: project name');
  if (typeof m.tickRateHz !== 'number' || !(m.tickRateHz > 0) || !Number.isFinite(m.tickRateHz)) {
    fail(`meta: tick rate ${m.tickRateHz} Hz is not a positive number`);
  }
  if (s.scenes.length > 0 ? !isIndex(m.startScene, s.scenes.length) : m.startScene !== -1) {
    fail(`meta: start scene ${m.startScene} is not ${s.scenes.length > 0 ? `a scene (${plural(s.scenes.length, 'scene')})` : '-1 (the project has no scenes)'}`);
  }
  if (!isIndex(m.randomSeed, 2 ** 32)) fail(`meta: random seed ${m.randomSeed} is not a 32-bit unsigned integer`);
  if (!isPlainObject(m.limits)) fail('meta: limits is not an object');
  for (const k of Object.keys(m.limits)) {
    if (!Object.prototype.hasOwnProperty.call(DEFAULT_LIMITS, k)) fail(`meta: unknown limit ${JSON.stringify(k)}`);
    const v = (m.limits as Record<string, unknown>)[k];
    if (!Number.isSafeInteger(v) || (v as number) <= 0) fail(`meta: limit ${k} is not a positive integer`);
  }
}

function checkConnections(s: Schedule): void {
  s.connections.forEach((c, i) => {
    const at = `connection c${i}`;
    if (c.kind !== 'ws' && c.kind !== 'sio') fail(`${at}: unknown kind ${JSON.stringify(c.kind)}`);
    checkString(c.name, `${at}: name`);
    checkString(c.url, `${at} (${c.name}): URL`);
    // Option values may be secrets (tokens, headers): messages name keys only.
    if (!isPlainObject(c.options)) fail(`${at} (${c.name}): options is not an object`);
    for (const k of Object.keys(c.options)) checkJson(c.options[k], `${at} (${c.name}): option ${JSON.stringify(k)}`, 1);
  });
}

/** First pass over the code: instruction starts, lengths, known opcodes, the last one ends. */
function checkCode(s: Schedule): Uint8Array {
  const code = s.code;
  if (!(code instanceof Int32Array)) fail('code is not an Int32Array');
  const starts = new Uint8Array(code.length);
  let pc = 0;
  let last: OpName | undefined;
  let lastPc = 0;
  while (pc < code.length) {
    const name = OP_BY_CODE[code[pc]];
    if (name === undefined) fail(`pc ${pc}: unknown opcode ${code[pc]}`, pc);
    const shape = OPS[name].shape;
    if (shape.endsWith('*')) {
      const countAt = pc + shape.length;
      if (countAt >= code.length) fail(`pc ${pc}, ${name}: the code ends before its argument count`, pc);
      if (code[countAt] < 0) fail(`pc ${pc}, ${name}: negative argument count ${code[countAt]}`, pc);
    }
    const len = instructionLength(code, pc, name);
    if (len < 1 || pc + len > code.length) {
      fail(`pc ${pc}, ${name}: the instruction needs ${plural(len, 'word')}, the code has ${code.length - pc} left`, pc);
    }
    starts[pc] = 1;
    last = name;
    lastPc = pc;
    pc += len;
  }
  if (last !== undefined && !(OPS[last] as OpRow).ends) {
    fail(`pc ${lastPc}, ${last}: the code ends without ${ENDERS} (control would run off the end)`, lastPc);
  }
  for (pc = 0; pc < code.length; pc++) if (starts[pc]) checkOperands(s, starts, pc);
  return starts;
}

/** Second pass: each operand word in range of what its letter names. */
function checkOperands(s: Schedule, starts: Uint8Array, pc: number): void {
  const code = s.code;
  const name = OP_BY_CODE[code[pc]] as OpName;
  const row: OpRow = OPS[name];
  const bad = (why: string): never => fail(`pc ${pc}, ${name}: ${why}`, pc);
  const letters = operandLetters(code, pc, name);
  for (let i = 0; i < letters.length; i++) {
    const w = code[pc + 1 + i];
    const letter = letters[i];
    switch (letter) {
      case 'd': case 'r':
        if (!isIndex(w, s.regCount)) bad(`register ${letter}${w} is out of range (${plural(s.regCount, 'register')})`);
        break;
      case 'k':
        if (!isIndex(w, s.consts.length)) bad(`constant k${w} does not exist (${plural(s.consts.length, 'constant')})`);
        break;
      case 'j':
        if (!isIndex(w, code.length) || !starts[w]) bad(`jump target ${w} is not an instruction start`);
        break;
      case 'c': {
        if (!isIndex(w, s.connections.length)) bad(`connection c${w} does not exist (${plural(s.connections.length, 'connection')})`);
        const c = s.connections[w];
        if (row.conn !== undefined && c.kind !== row.conn) {
          bad(`connection c${w} (${c.name}) is a ${CONN_KIND_NAME[c.kind]} connection, ${name} needs a ${CONN_KIND_NAME[row.conn]} one`);
        }
        break;
      }
      case 'v':
        if (!isIndex(w, s.variables.length)) bad(`variable v${w} does not exist (${plural(s.variables.length, 'variable')})`);
        break;
      case 's':
        if (!isIndex(w, s.scenes.length)) bad(`scene s${w} does not exist (${plural(s.scenes.length, 'scene')})`);
        break;
      case 'n':
        if (!isIndex(w, (row.n ?? 0) + 1)) bad(`immediate n${w} is out of range (0 to ${row.n ?? 0})`);
        break;
      case '#':
        break; // the argument count of a variadic op, checked in the first pass
      default:
        // A letter this verifier does not know: the table grew, this file did not.
        bad(`operand kind '${letter}' is unknown to the verifier`);
    }
  }
}

function checkVariables(s: Schedule): void {
  s.variables.forEach((v, i) => {
    checkString(v.name, `variable v${i}: name`);
    const at = `variable v${i} (${v.name})`;
    const t = typeName(v.type);
    if (t === undefined || !Number.isInteger(v.type)) fail(`${at}: unknown type code ${v.type}`);
    if (!isIndexOrNone(v.scene, s.scenes.length)) fail(`${at}: scene ${v.scene} does not exist (${plural(s.scenes.length, 'scene')})`);
    if (!isIndex(v.init, s.consts.length)) fail(`${at}: initial value k${v.init} does not exist (${plural(s.consts.length, 'constant')})`);
    const init = s.consts[v.init];
    const fits =
      t === 'Any' ? true :
      t === 'Bool' ? typeof init === 'boolean' :
      t === 'Int' ? Number.isInteger(init) :
      t === 'Float' ? typeof init === 'number' :
      t === 'String' ? typeof init === 'string' :
      init instanceof Uint8Array;
    if (!fits) fail(`${at}: initial value k${v.init} is not of type ${t}`);
  });
}

function checkRegInit(s: Schedule): void {
  const ri = s.regInit;
  if (!Array.isArray(ri) || ri.length % 2 !== 0) fail('register initialisers are not (register, constant) pairs');
  for (let i = 0; i < ri.length; i += 2) {
    if (!isIndex(ri[i], s.regCount)) fail(`register initialiser ${i / 2}: register r${ri[i]} is out of range (${plural(s.regCount, 'register')})`);
    if (!isIndex(ri[i + 1], s.consts.length)) fail(`register initialiser ${i / 2}: constant k${ri[i + 1]} does not exist (${plural(s.consts.length, 'constant')})`);
  }
}

function checkEvents(s: Schedule, starts: Uint8Array): void {
  s.events.forEach((e, i) => {
    const kind = KIND_BY_CODE.get(e.kind);
    if (kind === undefined) fail(`event e${i}: unknown event kind ${e.kind}`);
    const at = `event e${i} (${kind})`;
    const conn = eventConnKind(kind);
    if (conn !== undefined) {
      if (!isIndex(e.key, s.connections.length)) fail(`${at}: connection c${e.key} does not exist (${plural(s.connections.length, 'connection')})`);
      const c = s.connections[e.key];
      if (c.kind !== conn) fail(`${at}: connection c${e.key} (${c.name}) is a ${CONN_KIND_NAME[c.kind]} connection, not a ${CONN_KIND_NAME[conn]} one`);
    } else if (!isIndexOrNone(e.key, s.scenes.length)) {
      fail(`${at}: key ${e.key} is neither a scene nor -1 (${plural(s.scenes.length, 'scene')})`);
    }
    if (!isIndexOrNone(e.scene, s.scenes.length)) fail(`${at}: scene ${e.scene} does not exist (${plural(s.scenes.length, 'scene')})`);
    if (!isIndex(e.flags, 2)) fail(`${at}: unknown flags ${e.flags}`);
    if (!isIndex(e.pc, s.code.length) || !starts[e.pc]) fail(`${at}: entry pc ${e.pc} is not an instruction start`);
    const payload = EVENT_PAYLOAD[kind];
    if (!Array.isArray(e.regs) || e.regs.length !== payload.length) {
      fail(`${at}: ${plural(Array.isArray(e.regs) ? e.regs.length : 0, 'payload register')}, ${kind} has ${payload.length}${payload.length ? ` (${payload.join(', ')})` : ''}`);
    }
    e.regs.forEach((r, j) => {
      if (!isIndex(r, s.regCount)) fail(`${at}: payload register r${r} (${payload[j]}) is out of range (${plural(s.regCount, 'register')})`);
    });
  });
}

function checkDebug(s: Schedule, starts: Uint8Array): void {
  const d = s.debug!;
  if (!Array.isArray(d.pcs) || !Array.isArray(d.nodes) || d.pcs.length !== d.nodes.length) {
    fail('debug map: pcs and nodes differ in length');
  }
  d.pcs.forEach((pc, i) => {
    if (i > 0 && !(pc > d.pcs[i - 1])) fail(`debug map entry ${i}: pc ${pc} does not follow pc ${d.pcs[i - 1]} (pcs must increase)`);
    if (!isIndex(pc, s.code.length) || !starts[pc]) fail(`debug map entry ${i}: pc ${pc} is not an instruction start`);
    checkString(d.nodes[i], `debug map entry ${i}: node`);
  });
}

// ── values ───────────────────────────────────────────────────────────────

function isPlainObject(v: unknown): v is { [key: string]: Value } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** A constant: a scalar or Binary stored as itself, or a JSON array/object. */
function checkConst(v: Value, what: string): void {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || v instanceof Uint8Array) return;
  if (typeof v === 'string') return checkString(v, what);
  checkJson(v, what, 0);
}

/**
 * A value stored as JSON text must come back as itself: no Binary (it would
 * turn into an object of indices), no NaN/Infinity (they would turn into
 * null), nothing but plain arrays and objects. Iterative, so a deep value
 * cannot overflow the stack.
 */
function checkJson(root: unknown, what: string, depth0: number): void {
  const stack: Array<[unknown, number]> = [[root, depth0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v === 'boolean' || typeof v === 'string') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail(`${what}: ${v} inside an array or object cannot be stored as JSON`);
      continue;
    }
    if (v instanceof Uint8Array) fail(`${what}: a Binary value inside an array or object cannot be stored (make it a constant of its own)`);
    // A container at depth d is the (d+1)th level of brackets in the JSON text.
    if (depth >= MAX_JSON_DEPTH) fail(`${what}: nested deeper than ${MAX_JSON_DEPTH}`);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) fail(`${what}: an array with holes cannot be stored`);
        stack.push([v[i], depth + 1]);
      }
      continue;
    }
    if (!isPlainObject(v)) fail(`${what}: a ${typeof v === 'object' ? 'non-plain object' : typeof v} cannot be stored`);
    for (const k of Object.keys(v)) stack.push([v[k], depth + 1]);
  }
}
