// A plain driver for instruction counts (docs/PERFORMANCE.md, "Reproducing a profile"):
// SIZE nodes, 2,000 warm-up ticks, then K more; WHICH = vm | hand.
//   npx esbuild bench/tools/vm-driver.ts --bundle --platform=node --format=esm --outfile=.cache/vm-driver.mjs
//   valgrind --tool=callgrind node --no-concurrent-recompilation --no-concurrent-osr .cache/vm-driver.mjs 1000 1000 vm

import { workload, handWritten, SMALL, BIG } from '../vm/graphs.ts';
import { compile } from '../../runtime/compiler/index.ts';
import { Vm } from '../../runtime/vm/index.ts';
const size = Number(process.argv[2] ?? 1000), K = Number(process.argv[3] ?? 100), which = process.argv[4] ?? 'vm';
const w = workload(size); const r = compile(w.project); if (!r.ok) throw new Error();
const vm = new Vm(r.schedule); vm.tick(0);
const h = handWritten(w);
const S = { kind: 'ws.message', conn: SMALL, data: 't' } as const, B = { kind: 'ws.message', conn: BIG, data: 't' } as const;
// warm: 200 ticks always
for (let i = 1; i <= 2000; i++) { if (which === 'vm') { vm.post(S); vm.post(B); vm.tick(i); } else { h.onSmall('t'); h.onBig('t'); } }
for (let i = 1; i <= K; i++) { if (which === 'vm') { vm.post(S); vm.post(B); vm.tick(1000 + i); } else { h.onSmall('t'); h.onBig('t'); } }
