// What one echo event costs inside the QuickJS guest, split into the ABI (JSON both ways)
// and the VM: pw_tick with a batch of 32 ws.message events, called from inside the guest
// (no host boundary), against the same parse/stringify and a hand-written handler.
// docs/PERFORMANCE.md quotes it.   node --import tsx bench/tools/guest-per-event.ts

import { loadQuickJs } from '../../bindings/quickjs/module.ts';
import { compile } from '../../runtime/compiler/index.ts';
import { encode } from '../../runtime/schedule/index.ts';
import { echoProject } from '../echo/projects.ts';
import { telemetryFrame } from '../echo/protocol.ts';
const { module, guestSource } = await loadQuickJs();
const rt = module.newRuntime(); rt.setMaxStackSize(256 * 1024);
const ctx = rt.newContext();
const ev = (c: string) => { const r = ctx.evalCode(c); if (r.error) { const e = ctx.dump(r.error); r.error.dispose(); throw new Error(JSON.stringify(e)); } const v = ctx.dump(r.value); r.value.dispose(); return v; };
ev(guestSource);
const r = compile(echoProject('ws')); if (!r.ok) throw 0;
const bytes = encode(r.schedule, { debug: true });
ctx.setProp(ctx.global, 'SCHED', ctx.newArrayBuffer(bytes.slice().buffer));
console.log(ev(`pw_load(SCHED, '{}')`));
ev(`pw_tick(0, '', undefined)`);
const batch = JSON.stringify({ events: Array.from({ length: 32 }, () => ({ kind: 'ws.message', conn: 0, data: telemetryFrame(7) })) });
ctx.setProp(ctx.global, 'BATCH', ctx.newString(batch));
const K = 2000;
const time = (label: string, code: string) => { ev(code.replace('BODY', '0')); const t0 = performance.now(); ev(code); console.log(label, ((performance.now() - t0) * 1000 / K / 32).toFixed(2), 'µs/event'); };
time('pw_tick(batch of 32) in guest', `for (let i = 1; i <= ${K}; i++) pw_tick(i, BATCH, undefined); 0`);
time('JSON.parse(batch) only', `for (let i = 1; i <= ${K}; i++) JSON.parse(BATCH); 0`);
time('parse + stringify 32 outputs', `for (let i = 1; i <= ${K}; i++) { const b = JSON.parse(BATCH); JSON.stringify(b.events.map(e => ({kind:'ws.send', conn: 0, data: e.data}))); } 0`);
time('hand-written echo handler', `for (let i = 1; i <= ${K}; i++) { const b = JSON.parse(BATCH); const out = []; for (const e of b.events) out.push({kind:'ws.send', conn: 0, data: e.data}); '{"out":[' + out.map(o => JSON.stringify(o)).join(',') + ']}'; } 0`);
