// What one event costs through the QuickJS engine as the host loop sees it
// (post, tick, the outputs back as objects), against the in-process VM:
// the echo graph, W events per tick, W = 1 and 32. docs/PERFORMANCE.md quotes it.
//   node --import tsx bench/tools/boundary.ts [--rounds 7]

import { parseArgs } from 'node:util';
import { compile } from '../../runtime/compiler/index.ts';
import { Vm } from '../../runtime/vm/index.ts';
import { QuickJsEngine } from '../../bindings/quickjs/engine.ts';
import { loadQuickJs } from '../../bindings/quickjs/module.ts';
import type { TickEngine } from '../../bindings/types.ts';
import { echoProject } from '../echo/projects.ts';
import { telemetryFrame } from '../echo/protocol.ts';
import { median, rotate } from '../lib/stats.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string' } } });
const rounds = Number(values.rounds ?? 7);
await loadQuickJs();
const r = compile(echoProject('ws'));
if (!r.ok) throw new Error('echo graph');
const frames = Array.from({ length: 64 }, (_, i) => telemetryFrame(i));
const engines: Record<string, TickEngine> = { node: new Vm(r.schedule), quickjs: new QuickJsEngine(r.schedule) };
let now = 0;
const nowOf: Record<string, number> = { node: 0, quickjs: 0 };
for (const [name, e] of Object.entries(engines)) { e.tick(0); e.post({ kind: 'ws.open', conn: 0 }); e.tick(1); nowOf[name] = 1; }
function run(name: string, w: number, ticks: number): number {
  const e = engines[name];
  let t = nowOf[name];
  const c0 = process.cpuUsage();
  for (let i = 0; i < ticks; i++) {
    for (let j = 0; j < w; j++) e.post({ kind: 'ws.message', conn: 0, data: frames[(i + j) & 63] });
    const out = e.tick(++t);
    if (out.length !== w) throw new Error(`${name}: ${out.length} outputs, expected ${w}`);
  }
  nowOf[name] = t;
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / (ticks * w); // CPU µs: steadier than wall time on a shared machine
}
for (const w of [1, 32]) {
  const ticks = w === 1 ? 20_000 : 1_000;
  for (const n of Object.keys(engines)) run(n, w, ticks); // warm-up
  const per: Record<string, number[]> = { node: [], quickjs: [] };
  for (let k = 0; k < rounds; k++) for (const n of rotate(Object.keys(engines), k)) per[n].push(run(n, w, ticks));
  console.log(`W=${w}: CPU µs per event through the engine: ${Object.entries(per).map(([n, xs]) => `${n} ${median(xs).toFixed(2)}`).join(', ')}`);
}
void now;
for (const e of Object.values(engines)) e.dispose?.();
