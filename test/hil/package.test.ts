// `pulsewire/hil` as a user's test imports it: package.json's "exports"
// resolves to the built bundle (dist/hil.mjs, made by build.mjs) without the
// "source" condition this repository's own tests run with, and that bundle
// drives a rig on every target.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TARGETS } from '../../targets/runtime.ts';
import { ackProject } from './projects.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const SCRIPT = `
import { startRig, startWsBackend, TARGETS } from 'pulsewire/hil';
const project = JSON.parse(process.env.PROJECT);
const out = { resolved: import.meta.resolve('pulsewire/hil'), targets: TARGETS, runs: [] };
for (const target of TARGETS) {
  const ws = await startWsBackend();
  const rig = await startRig({ project, target, connect: { Link: ws } });
  try {
    await rig.runUntil('up', (r) => r.variable('up') === true, { maxTicks: 600 });
    ws.send('hi');
    await rig.step(2);
    out.runs.push({ target, last: rig.variable('last'), acked: ws.received.map((m) => m.text) });
  } finally {
    await rig.close();
    await ws.close();
  }
}
console.log(JSON.stringify(out));
`;

describe('pulsewire/hil from the built package', function () {
  this.timeout(30_000);

  it('resolves to dist/hil.mjs and runs a rig on every target', async () => {
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      // cwd is the package, so the bare specifier is the package referring to itself, as from node_modules.
      const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '', PROJECT: JSON.stringify(ackProject()) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      const t = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), 25_000);
      child.once('close', (code) => {
        clearTimeout(t);
        resolve({ code, stdout, stderr });
      });
    });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.match(out.resolved, /\/dist\/hil\.mjs$/);
    assert.deepEqual(out.targets, TARGETS);
    for (const run of out.runs) assert.deepEqual({ last: run.last, acked: run.acked }, { last: 'hi', acked: ['ack hi'] }, run.target);
  });
});
