// The disassembler: a schedule as text, for `pulsewire inspect` and for
// golden tests (the listing is stable: same schedule, same text).
//
//   ; Scene:Dashboard/n4                      ← debug map: a node's first instruction
//     0012  CALL      j:0031                  ← pc, opcode, operands by letter kind
//     0014  VGET      d1, v0(speed)              d3 r5 k2="hi" j:0031 c0(Telemetry)
//     0017  FORMAT    d2, r3, [r1, r4]           v1(speed) s0(Dashboard) n1 [variadic]
//
// Operand kinds come from the opcode table, like everything else. It reads
// unverified schedules too (a compiler under test may hand it anything):
// unknown opcodes and out-of-range indices are shown, never thrown on.
//
// Secrets stay out: connection options are listed by key only, and a URL's
// user info, query and fragment are masked.

import { OPS, OP_BY_CODE, type OpRow } from './opcodes.ts';
import { EVENT_KINDS, EVENT_PAYLOAD, type EventKindName, type Schedule } from './schedule.ts';
import { hex, typeName, type Value } from '../values.ts';
import { operandLetters } from './operands.ts';
import { eventConnKind } from './verify.ts';

const PREVIEW = 40;

const clip = (s: string): string => (s.length > PREVIEW ? s.slice(0, PREVIEW - 1) + '…' : s);

/** A constant as one short line. */
export function constText(v: Value | undefined): string {
  if (v === undefined) return '?';
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return clip(JSON.stringify(v));
  if (v instanceof Uint8Array) return clip(`bin(${v.length}):${hex(v)}`);
  let text: string;
  try {
    text = JSON.stringify(v);
  } catch {
    text = Array.isArray(v) ? '[…]' : '{…}';
  }
  return clip(text);
}

/** The URL with user info, query and fragment masked: they are where tokens hide. */
export function maskUrl(url: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)?([^/?#]*@)?([^?#]*)(\?[^#]*)?(#[\s\S]*)?$/.exec(url);
  if (!m) return '***';
  return (m[1] ?? '') + (m[2] ? '***@' : '') + m[3] + (m[4] ? '?***' : '') + (m[5] ? '#***' : '');
}

const KIND_BY_CODE = new Map<number, EventKindName>(
  (Object.keys(EVENT_KINDS) as EventKindName[]).map((k) => [EVENT_KINDS[k], k]),
);

const named = (letter: string, i: number, names: readonly string[]): string =>
  `${letter}${i}(${i >= 0 && i < names.length ? names[i] : '?'})`;

export function disassemble(s: Schedule, opts: { explain?: boolean } = {}): string {
  const code = s.code;
  const width = Math.max(4, String(code.length).length);
  const pcText = (pc: number): string => String(pc).padStart(width, '0');
  const connNames = s.connections.map((c) => c.name);
  const varNames = s.variables.map((v) => v.name);
  const sceneOrNone = (i: number, none: string): string => (i === -1 ? none : named('s', i, s.scenes));
  const out: string[] = [];
  // Row labels padded to the widest one of their table (k0 … k12), so columns line up.
  const label = (letter: string, i: number, count: number): string => `${letter}${i}`.padEnd(1 + String(Math.max(0, count - 1)).length);

  // ── summary ──
  const m = s.meta;
  out.push(`; pulsewire schedule ${JSON.stringify(m.name)}`);
  out.push(`; tick rate ${m.tickRateHz} Hz, start scene ${sceneOrNone(m.startScene, 'none')}, random seed ${m.randomSeed}`);
  out.push(`; limits ${JSON.stringify(m.limits)}`);
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  out.push(
    `; ${count(s.consts.length, 'constant')}, ${count(s.connections.length, 'connection')}, ${count(s.scenes.length, 'scene')}, ` +
      `${count(s.variables.length, 'variable')}, ${count(s.events.length, 'event')}, ${count(s.regCount, 'register')}, ` +
      `${count(code.length, 'code word')}, ` + (s.debug ? `debug map of ${count(s.debug.pcs.length, 'node range')}` : 'no debug map'),
  );

  out.push('', 'constants');
  s.consts.forEach((v, i) => out.push(`  ${label('k', i, s.consts.length)}  ${constText(v)}`));

  out.push('', 'connections');
  s.connections.forEach((c, i) => {
    const keys = Object.keys(c.options);
    out.push(`  ${label('c', i, s.connections.length)}  ${c.kind.padEnd(3)}  ${c.name}  ${maskUrl(c.url)}  options: ${keys.length ? keys.join(', ') : '(none)'}`);
  });

  out.push('', 'scenes');
  s.scenes.forEach((name, i) => out.push(`  ${label('s', i, s.scenes.length)}  ${name}`));

  out.push('', 'variables');
  s.variables.forEach((v, i) => {
    out.push(`  ${label('v', i, s.variables.length)}  ${v.name}  ${typeName(v.type) ?? `type ${v.type}`}  scope ${sceneOrNone(v.scene, 'project')}  init k${v.init}=${constText(s.consts[v.init])}`);
  });

  out.push('', 'events');
  const entries = new Map<number, string[]>();
  s.events.forEach((e, i) => {
    const kind = KIND_BY_CODE.get(e.kind);
    const conn = kind && eventConnKind(kind);
    const key = conn ? named('c', e.key, connNames) : sceneOrNone(e.key, 'any scene');
    const payload = kind ? EVENT_PAYLOAD[kind] : [];
    const regs = e.regs.map((r, j) => `r${r}(${payload[j] ?? '?'})`).join(' ');
    const what = `${kind ?? `kind ${e.kind}`} ${key}`;
    out.push(`  ${label('e', i, s.events.length)}  ${what}  scope ${sceneOrNone(e.scene, 'project')}  pc ${pcText(e.pc)}${regs ? '  payload ' + regs : ''}${e.flags ? `  flags ${e.flags}` : ''}`);
    entries.set(e.pc, [...(entries.get(e.pc) ?? []), `e${i} ${what}`]);
  });

  out.push('', `registers ${s.regCount}`);
  for (let i = 0; i + 1 < s.regInit.length; i += 2) {
    out.push(`  r${s.regInit[i]} := k${s.regInit[i + 1]}=${constText(s.consts[s.regInit[i + 1]])}`);
  }

  // ── code ──
  out.push('', 'code');
  const nodeAt = new Map<number, string>();
  s.debug?.pcs.forEach((pc, i) => nodeAt.set(pc, s.debug!.nodes[i]));
  const operand = (letter: string, w: number | undefined): string => {
    if (w === undefined) return '?';
    switch (letter) {
      case 'k': return `k${w}=${constText(s.consts[w])}`;
      case 'j': return `j:${pcText(w)}`;
      case 'c': return named('c', w, connNames);
      case 'v': return named('v', w, varNames);
      case 's': return named('s', w, s.scenes);
      default: return `${letter}${w}`; // d, r, n
    }
  };
  let pc = 0;
  while (pc < code.length) {
    const node = nodeAt.get(pc);
    if (node !== undefined) out.push(`; ${node}`);
    for (const entry of entries.get(pc) ?? []) out.push(`; entry of ${entry}`);
    const name = OP_BY_CODE[code[pc]];
    if (name === undefined) {
      out.push(`  ${pcText(pc)}  ${'.word'.padEnd(10)}${code[pc]}   ; unknown opcode`);
      pc++;
      continue;
    }
    const row: OpRow = OPS[name];
    const letters = operandLetters(code, pc, name);
    const parts: string[] = [];
    let variadic: string[] | undefined;
    for (let i = 0; i < letters.length; i++) {
      const w = pc + 1 + i < code.length ? code[pc + 1 + i] : undefined;
      if (letters[i] === '#') variadic = [];
      else (variadic ?? parts).push(operand(letters[i], w));
    }
    if (variadic) parts.push(`[${variadic.join(', ')}]`);
    let line = `  ${pcText(pc)}  ${name.padEnd(10)}${parts.join(', ')}`.trimEnd();
    if (opts.explain) line = `${line.padEnd(48)}; ${row.doc}`;
    out.push(line);
    pc += 1 + letters.length;
  }
  return out.join('\n') + '\n';
}
