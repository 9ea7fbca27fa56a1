// `npm run faults`: the whole fault matrix — every scenario, on both
// protocols, for pulsewire on both engines and the comparison client of
// each protocol (careful ws / plain socket.io-client) — printed as a
// Markdown table (docs/FAULTS.md holds one run's).
//
//   npm run faults [-- --only ID,ID] [--proto ws|sio] [--clients pulsewire,careful,sio-client] [--mode fixed] [--short] [--json FILE]
//
// Exit code 1 when pulsewire did not behave as a scenario expects.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { availableParallelism, loadavg } from 'node:os';
import { bundleChildren } from './bundle.ts';
import { caseName, runCase, type Case } from './case.ts';
import type { ClientKind, Engine, Proto } from './protocol.ts';
import { SCENARIOS } from './scenarios.ts';
import type { Verdict } from './verdict.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    proto: { type: 'string' },
    clients: { type: 'string' },
    short: { type: 'boolean' },
    mode: { type: 'string' },
    json: { type: 'string' },
  },
});
const only = values.only?.split(',');
const protos = (values.proto ? [values.proto] : ['ws', 'sio']) as Proto[];
const clients = (values.clients?.split(',') ?? ['pulsewire', 'careful', 'sio-client']) as ClientKind[];

interface Column {
  client: ClientKind;
  engine: Engine;
  label: string;
}
const columnsOf = (proto: Proto): Column[] =>
  [
    { client: 'pulsewire', engine: 'node', label: 'pulsewire node' },
    { client: 'pulsewire', engine: 'quickjs', label: 'pulsewire quickjs' },
    proto === 'ws' ? { client: 'careful', engine: 'node', label: 'careful ws' } : { client: 'sio-client', engine: 'node', label: 'socket.io-client' },
  ].filter((c) => clients.includes(c.client as ClientKind)) as Column[];

const bundles = await bundleChildren();
const results: Array<{ case: string; scenario: string; proto: Proto; column: string; verdict: Verdict }> = [];
let failed = 0;
if (values.mode !== undefined && values.mode !== 'fixed' && values.mode !== 'on-demand') throw new Error('--mode must be fixed or on-demand');
process.stderr.write(`fault matrix on ${availableParallelism()} cores, load ${loadavg()[0].toFixed(1)}, pulsewire in ${values.mode ?? 'on-demand'} mode\n`);
try {
  for (const proto of protos) {
    for (const scenario of SCENARIOS) {
      if (!scenario.protos.includes(proto) || (only && !only.includes(scenario.id))) continue;
      for (const col of columnsOf(proto)) {
        const c: Case = { scenario, proto, client: col.client, engine: col.engine, short: !!values.short, mode: values.mode as Case['mode'] };
        const t = performance.now();
        const verdict = await runCase(bundles, c);
        const name = caseName(c);
        results.push({ case: name, scenario: scenario.id, proto, column: col.label, verdict });
        const bad = col.client === 'pulsewire' && verdict.problems.length > 0;
        if (bad) failed++;
        process.stderr.write(`${bad ? 'FAIL' : 'ok  '} ${name} (${((performance.now() - t) / 1000).toFixed(1)} s): ${cell(verdict)}${verdict.problems.length ? '\n       ' + verdict.problems.join('\n       ') : ''}\n`);
      }
    }
  }
} finally {
  bundles.remove();
}

function mb(b: number): string {
  return (b / (1 << 20)).toFixed(0);
}

/** One cell: the ups' accounting, the times, memory, and the scenario's figures. */
function cell(v: Verdict): string {
  const parts = [`ups ${v.delivered}+${v.reported}r/${v.sent}`];
  if (v.lost) parts.push(`**${v.lost} lost**`);
  if (v.lostAtKill) parts.push(`${v.lostAtKill} lost at kill`);
  if (v.dupFlagged || v.dupUnflagged) parts.push(`dup ${v.dupFlagged} flagged, ${v.dupUnflagged} not`);
  if (v.detectMs !== undefined) parts.push(`down ${(v.detectMs / 1000).toFixed(1)} s`);
  if (v.recoverMs !== undefined) parts.push(`up ${(v.recoverMs / 1000).toFixed(2)} s`);
  if (v.extra.frames !== undefined) parts.push(`echoed ${v.extra.echoed}/${v.extra.frames} in ${(Number(v.extra.floodMs) / 1000).toFixed(2)} s`);
  if (v.extra.refused) parts.push(`${v.extra.refused} refused (reported)`);
  if (v.extra.uncounted) parts.push(`${v.extra.uncounted} uncounted drop lines`);
  if (v.peakRss) parts.push(`RSS ${mb(v.idleRss)}→${mb(v.peakRss)} MB`);
  if (v.problems.length) parts.push(`✗ ${v.problems.length}`);
  return parts.join(', ');
}


// The table: one row per scenario, one column per client, per protocol.
let out = '';
for (const proto of protos) {
  const cols = columnsOf(proto);
  out += `\n### ${proto === 'ws' ? 'WebSocket' : 'Socket.IO'}\n\n| fault | ${cols.map((c) => c.label).join(' | ')} |\n|---|${cols.map(() => '---|').join('')}\n`;
  for (const scenario of SCENARIOS) {
    const row = results.filter((r) => r.proto === proto && r.scenario === scenario.id);
    if (!row.length) continue;
    out += `| ${scenario.title} | ${cols.map((c) => {
      const r = row.find((x) => x.column === c.label);
      return r ? cell(r.verdict) : '—';
    }).join(' | ')} |\n`;
  }
}
process.stdout.write(out + '\n');
process.stdout.write(`cells: ups delivered+reported/sent; "lost": neither delivered nor reported; down: fault → first close; up: fault (or its release) → next open; RSS: steady → peak.\n`);
if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 1));
if (failed) process.stderr.write(`${failed} pulsewire case${failed > 1 ? 's' : ''} did not behave as expected\n`);
process.exitCode = failed ? 1 : 0;
