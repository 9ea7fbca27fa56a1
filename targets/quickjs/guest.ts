// The QuickJS guest: the VM, inside a sandbox. build.mjs bundles this file
// into dist/guest.js (an IIFE, ES2020, no imports), which a host evaluates
// in a fresh QuickJS context and then drives through three global functions
// (bindings/quickjs/abi.ts, docs/HOST-ABI.md). The guest calls nothing of the
// host's: it is handed bytes and JSON, and answers with JSON (and one binary
// buffer).
//
// Only runtime/vm, runtime/schedule and the platform-neutral boundary
// (bindings/quickjs/abi.ts) come in; never ws or socket.io-client: the host
// owns every socket.

import './polyfill.ts'; // first: runtime modules create a TextEncoder/TextDecoder when they load
import { decode } from '../../runtime/schedule/index.ts';
import { Vm } from '../../runtime/vm/index.ts';
import type { InEvent } from '../../runtime/vm/io.ts';
import {
  ABI_VERSION, GUEST_FN, BinWriter, outputJson, parseWire, valueToJson,
  type Batch, type GuestState, type LoadOptions, type LoadResult,
} from '../../bindings/quickjs/abi.ts';

let vm: Vm | undefined;

function loaded(): Vm {
  if (!vm) throw new Error(`${GUEST_FN.load} was not called, or failed`);
  return vm;
}

function state(v: Vm): GuestState {
  return { pending: v.hasPendingWork(), nextDue: v.nextDue(), queued: v.queued };
}

/** The JSON alone, or with the call's binary payloads. */
function reply(json: string, bin: BinWriter): string | [string, ArrayBuffer] {
  const b = bin.finish();
  return b ? [json, b.buffer as ArrayBuffer] : json;
}

function load(schedule: ArrayBuffer, options: string): string {
  let r: LoadResult;
  try {
    const opts = JSON.parse(options) as LoadOptions;
    vm = new Vm(decode(new Uint8Array(schedule)), { limits: opts.limits });
    r = { ok: true, abi: ABI_VERSION, ...state(vm) };
  } catch (e) {
    vm = undefined;
    r = { ok: false, abi: ABI_VERSION, error: (e as Error)?.message ?? String(e) };
  }
  return JSON.stringify(r);
}

/** One tick: post the batch (an empty string: no events), run the tick, return its outputs. */
function tick(now: number, batch: string, bin: ArrayBuffer | undefined): string | [string, ArrayBuffer] {
  const v = loaded();
  if (batch !== '') {
    const b = parseWire<Batch>(batch, bin ? new Uint8Array(bin) : undefined);
    for (const ev of b.events ?? []) v.post(ev as InEvent);
    for (const [conn, count] of b.dropped ?? []) v.noteDropped(conn, count);
  }
  const outputs = v.tick(now);
  const w = new BinWriter();
  // A TickResult, written piece by piece: only Values go through the replacer.
  const json = `{"out":[${outputs.map((o) => outputJson(o, w)).join(',')}],${JSON.stringify(state(v)).slice(1)}`;
  return reply(json, w);
}

function variables(): string | [string, ArrayBuffer] {
  const all = loaded().variables();
  const w = new BinWriter();
  return reply(valueToJson({ vars: all }, w), w); // a VariablesResult
}

const g = globalThis as Record<string, unknown>;
g[GUEST_FN.load] = load;
g[GUEST_FN.tick] = tick;
g[GUEST_FN.variables] = variables;
