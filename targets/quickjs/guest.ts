// The QuickJS guest: the VM, inside a sandbox. build.mjs bundles this file
// into dist/guest.js (an IIFE, ES2020, no imports), which a host evaluates
// in a fresh QuickJS context and then drives through the global functions of
// bindings/quickjs/abi.ts (docs/HOST-ABI.md). The guest calls nothing of the
// host's: it is handed bytes, numbers and text in its box and arguments, and
// answers in its box and return value.
//
// Only runtime/vm, runtime/schedule and the platform-neutral boundary
// (bindings/quickjs/abi.ts) come in; never ws or socket.io-client: the host
// owns every socket.

import './polyfill.ts'; // first: runtime modules create a TextEncoder/TextDecoder when they load
import { decode } from '../../runtime/schedule/index.ts';
import { Vm } from '../../runtime/vm/index.ts';
import {
  ABI_VERSION, GUEST_FN, HEADER_WORDS, IN, OUT, REPLY_FLAGS, BoxReader, BoxWriter, wellFormed,
  type Box, type LoadOptions, type LoadResult,
} from '../../bindings/quickjs/abi.ts';

let vm: Vm | undefined;
/** The box the host gave (pw_box): the host writes and reads it in place between calls. */
let box: ArrayBuffer | undefined;
/** A reply whose outputs did not fit the box: written to a bigger copy, handed over with the next box. */
let pending: { bytes: Uint8Array; reply: string } | undefined;
/** The last reply's text, for pw_escaped. */
let lastText = '';

/** A Box over the host's box that moves to a growing copy of its own when a reply needs more room. */
function writeBox(): Box & { spilled: boolean } {
  const b = {
    words: new Float64Array(box!),
    bytes: new Uint8Array(box!),
    spilled: false,
    ensure(n: number) {
      if (n <= b.bytes.length) return;
      let size = b.bytes.length * 2;
      while (size < n) size *= 2;
      const bigger = new Uint8Array(size);
      bigger.set(b.bytes);
      b.words = new Float64Array(bigger.buffer);
      b.bytes = bigger;
      b.spilled = true;
    },
  };
  return b;
}

function loaded(): Vm {
  if (!vm) throw new Error(`${GUEST_FN.load} was not called, or failed`);
  return vm;
}

function load(schedule: ArrayBuffer, options: string): string {
  let r: LoadResult;
  try {
    const opts = JSON.parse(options) as LoadOptions;
    vm = new Vm(decode(new Uint8Array(schedule)), { limits: opts.limits });
    r = { ok: true, abi: ABI_VERSION, pending: vm.hasPendingWork(), nextDue: vm.nextDue(), queued: vm.queued };
  } catch (e) {
    vm = undefined;
    r = { ok: false, abi: ABI_VERSION, error: (e as Error)?.message ?? String(e) };
  }
  return JSON.stringify(r);
}

/** Takes `next` as the box; its word 0 must be `check` (the host wrote it there: it found the right memory). */
function useBox(next: ArrayBuffer, check: number): string {
  loaded();
  if (!(next instanceof ArrayBuffer) || next.byteLength < HEADER_WORDS * 8 || new Float64Array(next)[0] !== check) {
    throw new Error(`${GUEST_FN.box}: the host does not see this box where it wrote it`);
  }
  box = next;
  const p = pending;
  pending = undefined;
  if (!p) return '0';
  if (p.bytes.length > next.byteLength) throw new Error(`${GUEST_FN.box}: a box of ${next.byteLength} bytes cannot hold the ${p.bytes.length} of the reply`);
  new Uint8Array(next).set(p.bytes);
  return p.reply;
}

/** Ends a reply: the box, or a request for a bigger one; the flag character, then the text. */
function reply(b: Box & { spilled: boolean }, text: string, size: number): string {
  b.words[OUT.textLength] = text.length;
  lastText = text;
  let flags = 0;
  if (!wellFormed(text)) {
    flags |= REPLY_FLAGS.jsonText;
    text = JSON.stringify(text);
  }
  const r = String.fromCharCode(0x30 + flags) + text;
  if (!b.spilled) return r;
  pending = { bytes: b.bytes.subarray(0, size), reply: r };
  return String.fromCharCode(0x30 + REPLY_FLAGS.needBox) + size;
}

/** One tick: post the box's events, count its drops, run the tick, write its outputs into the box. */
function tick(text: string | undefined): string {
  const v = loaded();
  if (!box) throw new Error(`${GUEST_FN.box} was not called`);
  const w = new Float64Array(box);
  const now = w[IN.now];
  const events = w[IN.events];
  const dropped = w[IN.dropped];
  if (events > 0 || dropped > 0) {
    const r = new BoxReader(w, new Uint8Array(box), w[IN.jsonText] ? (JSON.parse(text!) as string) : text ?? '');
    for (let i = 0; i < events; i++) v.post(r.event());
    for (let i = 0; i < dropped; i++) v.noteDropped(r.word(), r.word());
  }
  const outputs = v.tick(now);
  const b = writeBox();
  const out = new BoxWriter(b);
  for (let i = 0; i < outputs.length; i++) out.output(outputs[i]);
  const stats = v.lastTick();
  for (let i = 0; i < stats.chains.length; i++) out.word(stats.chains[i]);
  const { text: outText, size } = out.finish();
  const h = b.words;
  h[OUT.count] = outputs.length;
  h[OUT.pending] = v.hasPendingWork() ? 1 : 0;
  h[OUT.nextDue] = v.nextDue() ?? NaN;
  h[OUT.queued] = v.queued;
  h[OUT.cost] = stats.cost;
  h[OUT.chains] = stats.chains.length;
  return reply(b, outText, size);
}

/** Every variable: its name, then its value. */
function variables(): string {
  const all = loaded().variables();
  if (!box) throw new Error(`${GUEST_FN.box} was not called`);
  const b = writeBox();
  const out = new BoxWriter(b);
  const names = Object.keys(all);
  for (let i = 0; i < names.length; i++) {
    out.text(names[i]);
    out.value(all[names[i]]);
  }
  const { text, size } = out.finish();
  b.words[OUT.count] = names.length;
  return reply(b, text, size);
}

const g = globalThis as Record<string, unknown>;
g[GUEST_FN.load] = load;
g[GUEST_FN.box] = useBox;
g[GUEST_FN.tick] = tick;
g[GUEST_FN.variables] = variables;
g[GUEST_FN.escaped] = (): string => JSON.stringify(lastText);
