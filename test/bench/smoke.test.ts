// `npm run bench -- --smoke` still runs and every section still produces
// numbers. Tiny counts, so the figures mean nothing: nothing here looks at
// how fast anything was (speed is the benchmark's business, never a test's).

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Results } from '../../bench/report.ts';

const finite = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);

describe('bench --smoke', function () {
  this.timeout(300_000); // five sections, the pictures one with a browser
  let dir: string;
  let results: Results;
  let stdout = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pulsewire-bench-test-'));
    const out = join(dir, 'results.json');
    // npm test has just built dist/; the bench would build it again.
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--no-build', '--quiet', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, `bench --smoke exited with ${code}:\n${stderr.slice(-3000)}`);
    results = JSON.parse(readFileSync(out, 'utf8')) as Results;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a table for every section and the targets', () => {
    for (const title of ['1. WebSocket echo', '2. Socket.IO echo', '3. VM speed', '4. Schedule size', '4. Bundles', '4. Memory', '4. Start-up', 'Targets']) {
      assert.ok(stdout.includes(`### ${title}`), `no "${title}" table`);
    }
    assert.equal(results.smoke, true);
    assert.ok(results.machine.cores >= 1 && results.machine.node.startsWith('v'));
  });

  for (const proto of ['ws', 'sio'] as const) {
    it(`${proto} echo: every case of a built target came back with numbers; the others say why not`, () => {
      const rows = results[proto]!;
      assert.ok(rows.some((r) => r.impl === 'hand') && rows.some((r) => r.impl === 'pulsewire' && r.target === 'node'));
      for (const r of rows) {
        if (r.na) {
          assert.ok(!results.targets.built.includes(r.target!), `${r.id} is n/a but its target is built`);
          continue;
        }
        assert.ok(r.trials.length >= 1, `${r.id}: no trial`);
        for (const t of r.trials) assert.ok(t.ok, `${r.id}: ${t.error}`);
        for (const k of ['msgsPerSec', 'p50', 'p99'] as const) assert.ok(finite(r.median[k]), `${r.id}: ${k} is ${r.median[k]}`);
        if (r.impl === 'pulsewire' && r.mode === 'on-demand') assert.ok(finite(r.vsHand?.msgsPerSec), `${r.id}: no ratio to the hand-written client`);
      }
    });
  }

  it('vm: ns per node on every built engine and size, and each VM ended in the hand-written code\'s state', () => {
    const vm = results.vm!;
    for (const size of [100, 1000, 10000]) {
      for (const t of results.targets.built) {
        for (const tick of ['full', 'wake'] as const) {
          const row = vm.rows.find((r) => r.size === size && r.platform === t && r.kind === 'vm' && r.tick === tick);
          assert.ok(row && finite(row.median.nsPerNode) && finite(row.median.nsPerTick), `vm ${t} ${size} ${tick}`);
          const hand = vm.rows.find((r) => r.size === size && r.platform === t && r.kind === 'hand' && r.tick === tick);
          assert.ok(hand && finite(hand.median.nsPerNode), `hand-written ${t} ${size} ${tick}`);
        }
      }
    }
    for (const [k, v] of Object.entries(vm.verified)) assert.equal(v, 'same state', k);
    assert.equal(Object.keys(vm.verified).length, 3 * results.targets.built.length);
  });

  it('footprint: schedule sizes, bundle, memory and start-up have numbers', () => {
    const f = results.footprint!;
    assert.ok(f.schedule.length >= 4);
    for (const s of f.schedule) assert.ok(finite(s.bytesPerNode) && s.bytes > 16, s.name);
    for (const r of f.rss) if (!r.na) assert.ok(finite(r.rssKiB), r.name);
    assert.ok(f.rss.some((r) => r.target === 'node' && finite(r.rssKiB)), 'no RSS of the demo on node');
    for (const s of f.startup) {
      if (s.target && !results.targets.built.includes(s.target)) continue;
      assert.ok(finite(s.median), `${s.name}: ${s.na}`);
    }
    if (results.targets.built.includes('quickjs')) {
      assert.ok(finite(f.quickjsHeap.bytes), `QuickJS heap: ${f.quickjsHeap.na}`);
      assert.ok(f.bundles.some((b) => b.name.startsWith('dist/guest.js') && finite(b.bytes)));
    }
  });

  it('lists every target of the issue with a verdict or n/a', () => {
    const names = results.goals!.map((g) => g.name);
    for (const part of ['WebSocket echo W=32', 'Socket.IO echo W=32', 'fixed 60 Hz', 'Start-up', 'VM node', 'Schedule bytes/node', 'Guest bundle', 'QuickJS heap']) {
      assert.ok(names.some((n) => n.includes(part)), `no target "${part}"`);
    }
  });
});
