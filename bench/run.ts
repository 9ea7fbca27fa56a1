// `npm run bench`: pulsewire measured side by side against what a user could
// write by hand, in one run, on this machine. See README ("Benchmarks") and
// docs/PERFORMANCE.md.
//
//   node --import tsx bench/run.ts [--smoke] [--out FILE] [--only ws,sio,vm,footprint] [--rounds N] [--no-build]
//
// Sections (each interleaves its variants round by round and reports medians):
//   1 ws         WebSocket echo, server and client pinned to their own cores
//   2 sio        Socket.IO echo, the same
//   3 vm         generated graphs against hand-written JavaScript, Node and QuickJS
//   4 footprint  schedule bytes per node, guest bundle, QuickJS heap, RSS, start-up
//   5 pictures   graph layout, tick cost with the inspector attached and not, the page's memory
// Then every target of the issue, met or not. --smoke runs tiny counts (a few
// seconds) so CI can check that every section still produces numbers; its
// figures mean nothing.

import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { TARGETS } from '../targets/runtime.ts';
import { machine } from './lib/machine.ts';
import { ROOT, stopAll } from './lib/children.ts';
import { runEchoSection, type EchoCounts } from './echo/section.ts';
import { runVmSection } from './vm/section.ts';
import { runFootprintSection } from './footprint/section.ts';
import { report, type Results } from './report.ts';
import { runPicturesSection } from './pictures/section.ts';

/** Every target the bench knows; those not in TARGETS (not built yet) show as n/a. */
const ALL_TARGETS = ['node', 'quickjs'] as const;
const SECTIONS = ['ws', 'sio', 'vm', 'footprint', 'pictures'] as const;

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean' },
    out: { type: 'string' },
    only: { type: 'string' },
    rounds: { type: 'string' },
    'no-build': { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
});
const smoke = !!values.smoke;
const only = values.only ? values.only.split(',') : [...SECTIONS];
for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section "${s}" (sections: ${SECTIONS.join(', ')})`);
const roundsArg = values.rounds === undefined ? undefined : Number(values.rounds);
if (roundsArg !== undefined && !(Number.isInteger(roundsArg) && roundsArg > 0 && roundsArg <= 50)) throw new Error('--rounds takes 1..50');
const out = resolve(values.out ?? `${ROOT}/bench/results.json`);
const log = (s: string) => {
  if (!values.quiet) process.stderr.write(s + '\n');
};

const built = TARGETS.filter((t) => (ALL_TARGETS as readonly string[]).includes(t));
const rounds = (full: number) => roundsArg ?? (smoke ? 1 : full);
const echoCounts = (proto: 'ws' | 'sio'): EchoCounts =>
  smoke
    ? { rounds: rounds(1), w32: { n: 100, warm: 20 }, fixed: { n: 4, warm: 1 }, timeoutMs: 15_000 }
    : proto === 'ws'
      ? { rounds: rounds(5), w32: { n: 40_000, warm: 10_000 }, w1: { n: 8_000, warm: 4_000 }, fixed: { n: 240, warm: 90 }, timeoutMs: 60_000 }
      : { rounds: rounds(5), w32: { n: 20_000, warm: 5_000 }, w1: { n: 5_000, warm: 2_000 }, fixed: { n: 240, warm: 90 }, timeoutMs: 60_000 };

const stopEverything = () => void stopAll().then(() => process.exit(130));
process.once('SIGINT', stopEverything);
process.once('SIGTERM', stopEverything);

const started = performance.now();
const results: Results = { smoke, date: new Date().toISOString(), machine: machine(), targets: { known: [...ALL_TARGETS], built: [...built] } };
try {
  if (!values['no-build']) {
    // Start-up and bundle sizes are of the current sources.
    const b = spawnSync(process.execPath, ['build.mjs', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('node build.mjs failed');
  }
  log(`pulsewire bench${smoke ? ' (smoke: tiny counts, the figures mean nothing)' : ''}: targets built: ${built.join(', ')}`);
  const sections: (() => Promise<void>)[] = [];
  if (only.includes('ws')) sections.push(async () => {
    log('1. WebSocket echo');
    results.ws = await runEchoSection('ws', ALL_TARGETS, built, echoCounts('ws'), log);
  });
  if (only.includes('sio')) sections.push(async () => {
    log('2. Socket.IO echo');
    results.sio = await runEchoSection('sio', ALL_TARGETS, built, echoCounts('sio'), log);
  });
  if (only.includes('vm')) sections.push(async () => {
    log('3. VM speed');
    results.vm = await runVmSection(ALL_TARGETS, built, smoke
      ? { sizes: [100, 1000, 10000], rounds: rounds(1), fullNodes: 20_000, wakeTicks: 200 }
      : { sizes: [100, 1000, 10000], rounds: rounds(7), fullNodes: 3_000_000, wakeTicks: 30_000 }, log);
  });
  if (only.includes('footprint')) sections.push(async () => {
    log('4. Footprint and start-up');
    results.footprint = await runFootprintSection(ALL_TARGETS, built, smoke
      ? { rounds: rounds(1), settleMs: 200, sizes: [100, 1000, 10000], harness: false }
      : { rounds: rounds(7), settleMs: 3000, sizes: [100, 1000, 10000], harness: true }, log);
  });
  if (only.includes('pictures')) sections.push(async () => {
    log('5. Pictures');
    results.pictures = await runPicturesSection(smoke
      ? { rounds: rounds(1), layoutNodes: 20, measureS: 0.5, warmS: 0.5, pageTicks: 1500 }
      : { rounds: rounds(5), layoutNodes: 1000, measureS: 10, warmS: 4, pageTicks: 36_000 }, log);
  });
  for (const f of sections) await f();
} finally {
  await stopAll();
}
results.seconds = (performance.now() - started) / 1000;
const text = report(results);
process.stdout.write(text);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(results, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
log(`\nresults: ${out} (${results.seconds.toFixed(0)} s)`);
process.exit(0);
