// What one echo event costs inside the QuickJS guest: pw_tick with a box of
// 32 ws.message events, called from inside the guest (no host boundary),
// against the same events and outputs through JSON (ABI 1's way) and a
// hand-written handler. docs/PERFORMANCE.md quotes it.
//   node --import tsx bench/tools/guest-per-event.ts

import { loadQuickJs } from '../../bindings/quickjs/module.ts';
import { compile } from '../../runtime/compiler/index.ts';
import { encode } from '../../runtime/schedule/index.ts';
import { IN_KINDS, IN, HEADER_WORDS } from '../../bindings/quickjs/abi.ts';
import { echoProject } from '../echo/projects.ts';
import { telemetryFrame } from '../echo/protocol.ts';
import { median } from '../lib/stats.ts';

const { module, guestSource } = await loadQuickJs();
const rt = module.newRuntime();
rt.setMaxStackSize(256 * 1024);
const ctx = rt.newContext();
const ev = (c: string): unknown => {
  const r = ctx.evalCode(c);
  if (r.error) { const e = ctx.dump(r.error); r.error.dispose(); throw new Error(JSON.stringify(e)); }
  const v = ctx.dump(r.value);
  r.value.dispose();
  return v;
};
ev(guestSource);
const r = compile(echoProject('ws'));
if (!r.ok) throw new Error('echo graph');
const bytes = encode(r.schedule, { debug: true });
ctx.setProp(ctx.global, 'SCHED', ctx.newArrayBuffer(bytes.slice().buffer));
ev(`pw_load(SCHED, '{}')`);
const frame = telemetryFrame(7);
const N = 32;
// The box, filled as a host would: N ws.message records (kind, conn, payload type 0 = text, length), their text back to back.
ev(`globalThis.BOX = new ArrayBuffer(1 << 16); globalThis.W = new Float64Array(BOX); W[0] = 0.5; pw_box(BOX, 0.5);
globalThis.fill = (now) => { W[${IN.now}] = now; W[${IN.events}] = ${N}; W[${IN.dropped}] = 0; W[${IN.jsonText}] = 0;
  let at = ${HEADER_WORDS}; for (let i = 0; i < ${N}; i++) { W[at++] = ${IN_KINDS.indexOf('ws.message')}; W[at++] = 0; W[at++] = 0; W[at++] = ${frame.length}; }
  W[${IN.bytesAt}] = at * 8; };
globalThis.TEXT = ${JSON.stringify(frame.repeat(N))};
globalThis.BATCH = ${JSON.stringify(JSON.stringify({ events: Array.from({ length: N }, () => ({ kind: 'ws.message', conn: 0, data: frame })) }))};
fill(0); pw_tick(TEXT);`);
const K = 2000;
const time = (label: string, code: string) => {
  ev(code);
  const xs: number[] = [];
  for (let round = 0; round < 5; round++) {
    const c0 = process.cpuUsage();
    ev(code);
    const c = process.cpuUsage(c0);
    xs.push((c.user + c.system) / K / N);
  }
  console.log(label.padEnd(44), median(xs).toFixed(2), 'CPU µs/event');
};
time('pw_tick (box + text), in the guest', `for (let i = 1; i <= ${K}; i++) { fill(i); pw_tick(TEXT); } 0`);
time('filling the box only (the host does it)', `for (let i = 1; i <= ${K}; i++) fill(i); 0`);
time('ABI 1: JSON.parse of the batch', `for (let i = 1; i <= ${K}; i++) JSON.parse(BATCH); 0`);
time('ABI 1: parse + stringify the outputs', `for (let i = 1; i <= ${K}; i++) { const b = JSON.parse(BATCH); JSON.stringify(b.events.map(e => ({kind:'ws.send', conn: 0, data: e.data}))); } 0`);
time('hand-written echo handler over JSON', `for (let i = 1; i <= ${K}; i++) { const b = JSON.parse(BATCH); const out = []; for (const e of b.events) out.push({kind:'ws.send', conn: 0, data: e.data}); '{"out":[' + out.map(o => JSON.stringify(o)).join(',') + ']}'; } 0`);
// The context keeps its globals (the schedule, the box): exit without disposing them.
process.exit(0);
