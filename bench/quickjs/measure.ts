// Measurements behind docs/QUICKJS.md, on this machine:
//
//   node --import tsx bench/quickjs/measure.ts [--rounds R] [--n N] [--json FILE]
//
//   1. the guest bundle, minified and gzipped (and socket.io-client's, for the in-guest variant);
//   2. the QuickJS heap with examples/telemetry/project.json loaded, and after traffic;
//   3. what an engine costs to start;
//   4. the cost of a tick with a small event batch, QuickJS target against the node target;
//   5. where Socket.IO's protocol should run — a Socket.IO echo (the server sends
//      telemetry events, keeping W in flight; the client sends each back):
//        node            socket.io-client in Node, echo handler in Node (the reference);
//        host-sio        socket.io-client on the host, events handed to a QuickJS echo
//                        handler once per tick, replies returned from the same call;
//        guest-sio       socket.io-client bundled into the guest over a host WebSocket,
//                        frames handed over once per tick both ways (no call per message);
//        pulsewire-*     the echo graph on the pulsewire runtime, node and quickjs targets.
// The server runs in a child process; variants run one after the other, R rounds
// in rotated order; figures are medians. Not a test: numbers vary with the machine.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-wasmfile-release-sync';
import { GUEST_OPTIONS } from '../../targets/quickjs/guest-build.mjs';
import { loadQuickJs } from '../../bindings/quickjs/module.ts';
import { QuickJsEngine } from '../../bindings/quickjs/engine.ts';
import { createRuntime, loadRuntime, type TargetName } from '../../targets/runtime.ts';
import { loadSchedule } from '../../targets/shared/load.ts';
import { compileOk } from '../../test/helpers/project.ts';
import { compile } from '../../runtime/compiler/index.ts';
import { Vm } from '../../runtime/vm/index.ts';
import type { InEvent } from '../../runtime/vm/io.ts';
import type { TickEngine } from '../../targets/shared/runner.ts';

const args = parseArgs({ options: { rounds: { type: 'string' }, n: { type: 'string' }, json: { type: 'string' } } }).values;
const ROUNDS = Number(args.rounds ?? 3);
const N = Number(args.n ?? 20_000);
const WARM = 2_000;
const W = 32;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const results: Record<string, unknown> = {};
const { module: qjs } = await loadQuickJs();

// ── 1. bundles ─────────────────────────────────────────────────────────

async function bundleSize(opts: Parameters<typeof build>[0]): Promise<{ min: number; gz: number; text: string }> {
  const r = await build({ ...opts, write: false });
  const text = r.outputFiles![0].text;
  return { min: Buffer.byteLength(text), gz: gzipSync(text, { level: 9 }).length, text };
}
const guest = await bundleSize(GUEST_OPTIONS);
const sioGuest = await bundleSize({
  entryPoints: [new URL('./guest-sio/entry.ts', import.meta.url).pathname],
  bundle: true, platform: 'browser', format: 'iife', target: 'es2020', minify: true, logLevel: 'warning',
});
results.bundle = { guest: { min: guest.min, gz: guest.gz }, guestWithSocketIo: { min: sioGuest.min, gz: sioGuest.gz } };
console.log('1. bundles (minified / gzip -9)');
console.log(`   dist/guest.js                         ${kb(guest.min)} / ${kb(guest.gz)}`);
console.log(`   socket.io-client guest (bench only)   ${kb(sioGuest.min)} / ${kb(sioGuest.gz)}`);

// ── 2. heap, 3. start-up ───────────────────────────────────────────────

const telemetry = (() => {
  const r = loadSchedule(readFileSync(new URL('../../examples/telemetry/project.json', import.meta.url)), 'telemetry', compile);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.schedule;
})();
const used = (e: QuickJsEngine) => (e as unknown as { memoryUsed(): number }).memoryUsed(); // the engine's own measurement

function telemetryBatch(i: number): InEvent[] {
  const frame = (k: number) => JSON.stringify({ type: 'telemetry', speed: 60 + ((i + k) % 80), gear: 1 + ((i + k) % 6) });
  return [
    { kind: 'ws.message', conn: 0, data: frame(0) },
    { kind: 'ws.message', conn: 0, data: frame(1) },
    { kind: 'ws.message', conn: 0, data: frame(2) },
    { kind: 'sio.event', conn: 1, ns: '/', event: 'alert', message: JSON.stringify({ level: 'info', text: `alert ${i}` }) },
  ];
}

{
  const e = new QuickJsEngine(telemetry);
  const afterLoad = used(e);
  e.tick(0);
  e.post({ kind: 'ws.open', conn: 0 });
  e.post({ kind: 'sio.open', conn: 1 });
  for (let i = 1; i <= 1000; i++) {
    for (const ev of telemetryBatch(i)) e.post(ev);
    e.tick(i * 16);
  }
  const afterTraffic = used(e);
  e.dispose();
  const rt = qjs.newRuntime();
  const ctx = rt.newContext();
  rt.context = ctx;
  const h = rt.computeMemoryUsage();
  const empty = ctx.getProp(h, 'memory_used_size').consume((x) => ctx.getNumber(x));
  h.dispose();
  rt.context = undefined;
  ctx.dispose();
  rt.dispose();
  results.heap = { emptyContext: empty, telemetryLoaded: afterLoad, telemetryAfter1000Ticks: afterTraffic };
  console.log('2. QuickJS heap (computeMemoryUsage memory_used_size)');
  console.log(`   empty runtime + context               ${kb(empty)}`);
  console.log(`   telemetry demo loaded                 ${kb(afterLoad)}`);
  console.log(`   … after 1,000 ticks of traffic        ${kb(afterTraffic)}`);
}

{
  let t = performance.now();
  await newQuickJSWASMModuleFromVariant(variant); // a second module, as a second process would load it
  const moduleMs = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    t = performance.now();
    const e = new QuickJsEngine(telemetry);
    times.push(performance.now() - t);
    e.dispose();
  }
  results.startup = { wasmModuleMs: moduleMs, engineMs: median(times.slice(5)) };
  console.log('3. start-up');
  console.log(`   wasm module (once per process)        ${moduleMs.toFixed(1)} ms`);
  console.log(`   engine: runtime, guest, schedule      ${median(times.slice(5)).toFixed(1)} ms (median, warm)`);
}

// ── 4. per-tick cost ───────────────────────────────────────────────────

function tickCost(make: () => TickEngine, batch: boolean, ticks = 5000): number {
  const e = make();
  e.tick(0);
  e.post({ kind: 'ws.open', conn: 0 });
  e.post({ kind: 'sio.open', conn: 1 });
  e.tick(1);
  for (let i = 0; i < 500; i++) { // warm-up
    if (batch) for (const ev of telemetryBatch(i)) e.post(ev);
    e.tick(2 + i);
  }
  const t = performance.now();
  for (let i = 0; i < ticks; i++) {
    if (batch) for (const ev of telemetryBatch(i)) e.post(ev);
    e.tick(1000 + i);
  }
  const us = ((performance.now() - t) * 1000) / ticks;
  e.dispose?.();
  return us;
}
{
  const rows: Record<string, { node: number; quickjs: number }> = {};
  for (const [name, batch] of [['empty tick', false], ['4 events (3 WebSocket frames, 1 Socket.IO event)', true]] as const) {
    const node = median([1, 2, 3].map(() => tickCost(() => new Vm(telemetry), batch)));
    const quickjs = median([1, 2, 3].map(() => tickCost(() => new QuickJsEngine(telemetry), batch)));
    rows[name] = { node, quickjs };
  }
  results.tick = rows;
  console.log('4. cost of a tick, telemetry demo (µs per tick, median of 3 × 5,000 ticks)');
  for (const [name, r] of Object.entries(rows)) {
    console.log(`   ${name.padEnd(50)} node ${r.node.toFixed(1).padStart(6)}   quickjs ${r.quickjs.toFixed(1).padStart(6)}   (${(r.quickjs / r.node).toFixed(1)}×)`);
  }
}

// ── 5. Socket.IO placement ─────────────────────────────────────────────

const server = spawn(process.execPath, ['--import', 'tsx', new URL('./sio-server.ts', import.meta.url).pathname, String(N), String(WARM), String(W)], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: server.stdout! })[Symbol.asyncIterator]();
const nextLine = async () => JSON.parse((await lines.next()).value as string) as { port?: number; msgsPerSec?: number; bad?: number };
const port = (await nextLine()).port!;
const url = `http://127.0.0.1:${port}`;

/** Runs a session with `start` (which returns a stop function) and returns the server's figure. */
async function session(start: () => Promise<() => void | Promise<void>>): Promise<number> {
  const stop = await start();
  const r = await nextLine();
  await stop();
  if (r.bad) throw new Error(`${r.bad} echoes differed`);
  return r.msgsPerSec!;
}

/** Run `fn` as soon as I/O allows, once however often it is asked for before then. */
function coalesce(fn: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    setImmediate(() => { queued = false; fn(); });
  };
}

const variants: Record<string, () => Promise<() => void | Promise<void>>> = {
  async node() {
    const s = io(url, { transports: ['websocket'], reconnection: false });
    s.on('connect', () => void s.emit('ready'));
    s.on('telemetry', (m: string) => void s.emit('echo', m));
    return () => void s.close();
  },

  async 'host-sio'() {
    const rt = qjs.newRuntime();
    rt.setMaxStackSize(256 << 10);
    const ctx = rt.newContext();
    ctx.unwrapResult(ctx.evalCode(`globalThis.h_tick = (s) => JSON.stringify(JSON.parse(s))`)).dispose(); // the echo handler: every event's reply
    const fn = ctx.getProp(ctx.global, 'h_tick');
    let inbox: string[] = [];
    let closed = false;
    const s = io(url, { transports: ['websocket'], reconnection: false });
    const tick = coalesce(() => {
      if (closed) return;
      const batch = inbox;
      inbox = [];
      const r = ctx.newString(JSON.stringify(batch)).consume((a) => ctx.unwrapResult(ctx.callFunction(fn, ctx.undefined, a)));
      const replies = JSON.parse(r.consume((x) => ctx.getString(x))) as string[];
      rt.executePendingJobs();
      for (const m of replies) s.emit('echo', m);
    });
    s.on('connect', () => void s.emit('ready'));
    s.on('telemetry', (m: string) => { inbox.push(m); tick(); });
    return () => { closed = true; s.close(); fn.dispose(); ctx.dispose(); rt.dispose(); };
  },

  async 'guest-sio'() {
    const rt = qjs.newRuntime();
    rt.setMaxStackSize(256 << 10);
    // As the pulsewire guest, plus Date (engine.io reads the clock); no Promise, so engine.io's nextTick is a timer the tick drains.
    const ctx = rt.newContext({ intrinsics: { BaseObjects: true, Date: true, Eval: true, JSON: true, RegExp: true, MapSet: true, TypedArrays: true } });
    const ev = ctx.evalCode(sioGuest.text, 'guest-sio.js');
    if (ev.error) throw new Error(JSON.stringify(ctx.dump(ev.error)));
    ev.value.dispose();
    const fnTick = ctx.getProp(ctx.global, 'b_tick');
    const sockets = new Map<number, WebSocket>();
    let inbox: unknown[][] = [];
    const t0 = performance.now();
    const perform = (out: string) => {
      for (const [op, id, arg] of JSON.parse(out) as [string, number, string][]) {
        if (op === 'send') sockets.get(id)?.send(arg);
        else if (op === 'close') sockets.get(id)?.close();
        else if (op === 'open') {
          const w = new WebSocket(arg);
          sockets.set(id, w);
          w.on('open', () => { inbox.push(['open', id]); tick(); });
          w.on('message', (d, binary) => { inbox.push(['message', id, binary ? d : d.toString()]); tick(); });
          w.on('close', (code, reason) => { sockets.delete(id); inbox.push(['close', id, code, reason.toString()]); tick(); });
          w.on('error', (e) => { inbox.push(['error', id, e.message]); tick(); });
        }
      }
    };
    let closed = false;
    const tick = coalesce(() => {
      if (closed) return;
      const batch = inbox;
      inbox = [];
      const a = [ctx.newNumber(performance.now() - t0), ctx.newString(JSON.stringify(batch))];
      const r = ctx.unwrapResult(ctx.callFunction(fnTick, ctx.undefined, a));
      for (const h of a) h.dispose();
      rt.executePendingJobs();
      perform(r.consume((x) => ctx.getString(x)));
    });
    const timers = setInterval(tick, 50); // the guest's own timers (engine.io's ping timeout) on the tick clock
    const start = ctx.getProp(ctx.global, 'b_start');
    const r = ctx.newString(url).consume((a) => ctx.unwrapResult(ctx.callFunction(start, ctx.undefined, a)));
    start.dispose();
    perform(r.consume((x) => ctx.getString(x)));
    // The guest heap with socket.io-client loaded and connected, measured once.
    results.guestSioHeap ??= await new Promise((resolve) => setTimeout(() => {
      rt.context = ctx;
      const h = rt.computeMemoryUsage();
      resolve(ctx.getProp(h, 'memory_used_size').consume((x) => ctx.getNumber(x)));
      h.dispose();
      rt.context = undefined;
    }, 200));
    return () => {
      closed = true;
      clearInterval(timers);
      for (const w of sockets.values()) w.terminate();
      fnTick.dispose();
      ctx.dispose();
      rt.dispose();
    };
  },

  'pulsewire-node': () => pulsewire('node'),
  'pulsewire-quickjs': () => pulsewire('quickjs'),
};

/** The echo graph: Start → Subscribe "telemetry" → Send "ready"; Receive → Send "echo" (Message). */
async function pulsewire(target: TargetName): Promise<() => Promise<void>> {
  const cfg = { Configuration: 'Bus' };
  const P = '►';
  const schedule = compileOk({
    format: 'pulsewire-project/1', name: 'sio-echo',
    settings: { socketIOConnections: [{ Name: 'Bus', URL: 'http://127.0.0.1', Port: port, reconnect: { enabled: false } }] },
    scopes: [{
      kind: 'Project',
      nodes: [
        { id: 'boot', type: 'On Scene Loaded' }, { id: 'start', type: 'Socket.IO Start', attributes: cfg },
        { id: 'onStart', type: 'On Socket.IO Start', attributes: cfg },
        { id: 'sub', type: 'Socket.IO Subscribe', attributes: cfg, inputs: { 'Event Name': 'telemetry' } },
        { id: 'onSub', type: 'On Socket.IO Subscribe', attributes: cfg },
        { id: 'ready', type: 'Socket.IO Send', attributes: cfg, inputs: { 'Event Name': 'ready' } },
        { id: 'rx', type: 'On Socket.IO Receive', attributes: cfg },
        { id: 'echo', type: 'Socket.IO Send', attributes: cfg, inputs: { 'Event Name': 'echo' } },
      ],
      links: [
        ['boot', P, 'start', P], ['onStart', P, 'sub', P], ['onSub', P, 'ready', P], ['rx', P, 'echo', P], ['rx', 'Message', 'echo', 'Message'],
      ].map(([a, b, c, d]) => ({ from: [a, b], to: [c, d] })),
    }],
  });
  await loadRuntime(schedule, { target });
  const { runner } = createRuntime(schedule, { target, mode: 'on-demand', log: { warn: () => {} } });
  void runner.start();
  return () => runner.stop();
}

const names = Object.keys(variants);
const figures: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = names.map((_, i) => names[(i + round) % names.length]);
  for (const name of order) figures[name].push(await session(variants[name]));
}
server.kill();
const sio = Object.fromEntries(names.map((n) => [n, median(figures[n])]));
results.socketIo = { n: N, warm: WARM, inFlight: W, rounds: ROUNDS, msgsPerSec: sio };
console.log(`5. Socket.IO echo, ${W} in flight, ${N} events after ${WARM} of warm-up, median of ${ROUNDS} rounds (events/s)`);
for (const n of names) console.log(`   ${n.padEnd(20)} ${Math.round(sio[n]).toString().padStart(7)}   ${(sio[n] / sio.node).toFixed(2)}× node`);
console.log(`   guest heap with socket.io-client connected: ${kb(results.guestSioHeap as number)}`);

if (args.json) writeFileSync(args.json, JSON.stringify({ date: new Date().toISOString(), node: process.version, ...results }, null, 2) + '\n');
process.exit(0);
