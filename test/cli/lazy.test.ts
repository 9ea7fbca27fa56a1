// A quick CLI: each command loads only what it uses (targets/node/cli.ts).
// The built command runs with a resolve hook that records every module it
// loads; the heavy packages stand for the parts they belong to: ajv for the
// compiler, ws and socket.io-client for the two bindings, quickjs-emscripten
// for the QuickJS target.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../helpers/cli-async.ts';
import { project } from '../helpers/project.ts';

const RECORDER = new URL('./load-recorder.mjs', import.meta.url).pathname;
const HEAVY = ['ajv', 'ws', 'socket.io-client', 'quickjs-emscripten-core', '@jitl/quickjs-wasmfile-release-sync'] as const;
type Heavy = (typeof HEAVY)[number];

/** The heavy packages a `pulsewire` run loaded, with its exit code. */
function loads(dir: string, args: string[]): { code: number | null; stderr: string; heavy: Set<Heavy> } {
  const file = join(dir, `loads-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, '');
  const r = spawnSync(process.execPath, ['--import', RECORDER, BIN, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, NODE_OPTIONS: '', PULSEWIRE_LOADS: file },
  });
  const urls = readFileSync(file, 'utf8').split('\n');
  const heavy = new Set(HEAVY.filter((p) => urls.some((u) => u.includes(`/node_modules/${p}/`))));
  return { code: r.status, stderr: r.stderr, heavy };
}

describe('pulsewire CLI: each command loads only what it uses', function () {
  this.timeout(60_000);
  let dir: string;
  let wsProject: string;
  let wsSchedule: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pulsewire-lazy-'));
    wsProject = join(dir, 'ws.json');
    writeFileSync(wsProject, JSON.stringify(project({
      settings: { webSocketConnections: [{ Name: 'Link', URL: 'ws://127.0.0.1:9' }] },
      nodes: [{ id: 'boot', type: 'On Scene Loaded' }, { id: 'log', type: 'Console', inputs: { Input: 'up' } }],
      links: [['boot', '►', 'log', '►']],
    })));
    wsSchedule = join(dir, 'ws.pws');
    assert.equal(spawnSync(process.execPath, [BIN, 'compile', wsProject, '-o', wsSchedule]).status, 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--version and --help load nothing heavy', () => {
    for (const args of [['--version'], ['--help'], ['run', '--help'], ['build', '--help'], ['compile', '--help']]) {
      const r = loads(dir, args);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual([...r.heavy], [], args.join(' '));
    }
  });

  it('run of a .pws on node loads its binding (ws) and nothing else: no compiler, no QuickJS, no socket.io-client', () => {
    const r = loads(dir, ['run', wsSchedule, '--target', 'node', '--mode', 'stepped', '--ticks', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([...r.heavy], ['ws']);
  });

  it('run of a project loads the compiler; --target quickjs loads QuickJS (so the record above can see them)', () => {
    const r = loads(dir, ['run', wsProject, '--target', 'quickjs', '--mode', 'stepped', '--ticks', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([...r.heavy].sort(), ['@jitl/quickjs-wasmfile-release-sync', 'ajv', 'quickjs-emscripten-core', 'ws']);
  });

  it('compile loads the compiler and no binding', () => {
    const r = loads(dir, ['compile', wsProject, '-o', join(dir, 'again.pws')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([...r.heavy], ['ajv']);
  });
});
