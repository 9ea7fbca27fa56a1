// Byte surgery for format tests: find sections, rewrite them, re-seal the
// header so that a test reaches the check it means to reach (and not the
// checksum), and assert that a decode fails with a ScheduleError only.

import assert from 'node:assert/strict';
import { crc32, decode, ScheduleError, HEADER_SIZE } from '../../runtime/schedule/index.ts';

export const fromHex = (h: string): Uint8Array => Uint8Array.from((h.replace(/\s+/g, '').match(/../g) ?? []).map((b) => parseInt(b, 16)));
export const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Unsigned LEB128, as the format writes it. */
export function uvar(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

function readUvar(b: Uint8Array, pos: number): [number, number] {
  let v = 0;
  let scale = 1;
  for (;;) {
    const x = b[pos++];
    v += (x & 0x7f) * scale;
    if (x < 0x80) return [v, pos];
    scale *= 0x80;
  }
}

export interface SectionSpan { id: number; start: number; bodyStart: number; end: number }

/** The sections of a well-formed file, with their byte spans. */
export function sections(file: Uint8Array): SectionSpan[] {
  const out: SectionSpan[] = [];
  let pos = HEADER_SIZE;
  while (pos < file.length) {
    const start = pos;
    const id = file[pos++];
    const [len, bodyStart] = readUvar(file, pos);
    out.push({ id, start, bodyStart, end: bodyStart + len });
    pos = bodyStart + len;
  }
  return out;
}

export function section(file: Uint8Array, id: number): SectionSpan {
  const s = sections(file).find((x) => x.id === id);
  assert.ok(s, `section ${id} present`);
  return s;
}

/** Recomputes the header's body length and CRC, keeping magic, version and flags. */
export function reseal(file: Uint8Array): Uint8Array {
  const out = file.slice();
  const dv = new DataView(out.buffer);
  dv.setUint32(8, out.length - HEADER_SIZE, true);
  dv.setUint32(12, crc32(out, HEADER_SIZE), true);
  return out;
}

/** A file made of the given header bytes (first 8) and body, length and CRC filled in. */
export function withBody(file: Uint8Array, body: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE + body.length);
  out.set(file.subarray(0, 8));
  out.set(body, HEADER_SIZE);
  return reseal(out);
}

/** Replaces bytes [start, end) with `bytes`, then re-seals. */
export function splice(file: Uint8Array, start: number, end: number, bytes: ArrayLike<number>): Uint8Array {
  const body = [...file.subarray(HEADER_SIZE, start), ...Array.from(bytes), ...file.subarray(end)];
  return withBody(file, body);
}

/** Replaces a section's body (its length prefix is rewritten), then re-seals. */
export function replaceSection(file: Uint8Array, id: number, body: ArrayLike<number>): Uint8Array {
  const s = section(file, id);
  return splice(file, s.start, s.end, [id, ...uvar(body.length), ...Array.from(body)]);
}

/** decode() must fail, with a ScheduleError, whose message matches. Returns the error. */
export function decodeFails(bytes: Uint8Array, message?: RegExp): ScheduleError {
  let caught: unknown;
  try {
    decode(bytes);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== undefined, 'decode should have failed');
  assert.ok(caught instanceof ScheduleError, `expected a ScheduleError, got ${String(caught)}`);
  assert.match(caught.message, /^bad schedule file \(.*\)$/s);
  assert.doesNotMatch(caught.message, /internal error/, 'an internal error means the decoder itself broke');
  if (message) assert.match(caught.message, message);
  return caught;
}
