// `pulsewire build` as a build engineer runs it (the built CLI): the folder
// it writes, the same bytes twice, and nothing at all when an input is bad.

import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from '../../runtime/schedule/index.ts';
import { cli, DEMO, hashes, noStack, REPO } from './helpers.ts';

const readJson = (f: string) => JSON.parse(readFileSync(f, 'utf8'));

describe('pulsewire build', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pulsewire-build-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The build leaves exactly `names` in `dir`: no temporary folders beside the output. */
  const onlyThere = (...names: string[]) => assert.deepEqual(readdirSync(dir).sort(), names.sort());

  it('writes runner, schedule, config, start script and a manifest with the size and sha256 of every file', () => {
    const out = join(dir, 'board');
    const r = cli(['build', '--board', 'arm64-node18', DEMO, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /board arm64-node18 \(engine node, arm64, Node\.js 18\+\)/);
    onlyThere('board');

    const m = readJson(join(out, 'manifest.json'));
    assert.deepEqual(Object.keys(m), ['files', 'format', 'profile', 'project', 'pulsewire']); // sorted keys
    assert.equal(m.format, 'pulsewire-board/1');
    assert.equal(m.pulsewire, readJson(join(REPO, 'package.json')).version);
    assert.equal(m.project, 'telemetry');
    assert.deepEqual(m.profile, readJson(join(REPO, 'targets/boards/arm64-node18.json')));
    assert.deepEqual(readJson(join(out, 'config.json')), m.profile);

    const actual = hashes(out);
    delete actual['manifest.json'];
    for (const f of ['runner.mjs', 'schedule.pws', 'config.json', 'start']) assert.ok(f in actual, f);
    assert.deepEqual(Object.fromEntries(Object.entries(m.files).map(([n, f]) => [n, (f as { sha256: string }).sha256])), actual);
    for (const [n, f] of Object.entries(m.files)) assert.equal((f as { bytes: number }).bytes, statSync(join(out, n)).size, n);

    assert.equal(decode(readFileSync(join(out, 'schedule.pws'))).meta.name, 'telemetry');
    assert.equal(statSync(join(out, 'start')).mode & 0o777, 0o755);
    assert.match(readFileSync(join(out, 'start'), 'utf8'), /^#!\/bin\/sh\n/);
    // Self-contained: the runner imports nothing but Node's own modules.
    const runner = readFileSync(join(out, 'runner.mjs'), 'utf8');
    for (const [, spec] of runner.matchAll(/\bfrom\s*["']([^"']+)["']/g)) assert.match(spec, /^node:/, `runner.mjs imports ${spec}`);
  });

  it('gives the same bytes and the same manifest twice, from a project or from its .pws', () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    const c = join(dir, 'c');
    const pws = join(dir, 'telemetry.pws');
    assert.equal(cli(['build', '--board', 'x86_64-node', DEMO, '--out', a]).code, 0);
    assert.equal(cli(['build', '--board', 'x86_64-node', DEMO, '--out', b]).code, 0);
    assert.deepEqual(hashes(a), hashes(b));
    assert.deepEqual(readJson(join(a, 'manifest.json')).files, readJson(join(b, 'manifest.json')).files);
    assert.equal(cli(['compile', DEMO, '-o', pws]).code, 0);
    assert.equal(cli(['build', '--board', 'x86_64-node', pws, '--out', c]).code, 0);
    assert.deepEqual(hashes(c), hashes(a));
  });

  it('replaces an earlier board folder, but no other folder', () => {
    const out = join(dir, 'board');
    assert.equal(cli(['build', '--board', 'arm64-node18', DEMO, '--out', out]).code, 0);
    assert.equal(cli(['build', '--board', 'x86_64-node', DEMO, '--out', out]).code, 0);
    assert.equal(readJson(join(out, 'config.json')).name, 'x86_64-node');
    onlyThere('board');

    const mine = join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'keep me');
    const r = cli(['build', '--board', 'x86_64-node', DEMO, '--out', mine]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /exists and is not a board folder made by pulsewire build; not replacing it/);
    assert.deepEqual(readdirSync(mine), ['notes.txt']);
  });

  it('a bad project: every diagnostic, exit 1, and no folder', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'pulsewire-project/1', name: 'bad', scopes: [{ kind: 'Project', nodes: [{ id: 'a', type: 'Brnach' }] }] }));
    const r = cli(['build', '--board', 'arm64-node18', bad, '--out', join(dir, 'out', 'board')]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `${bad}:1:100: Project/a: unknown node type "Brnach" (did you mean "Branch"?)\n`);
    onlyThere('bad.json');
  });

  it('a bad profile and a bad project: both reported in one run (as JSON lines with --format json)', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'pulsewire-project/1', name: 'bad', scopes: [{ kind: 'Project', nodes: [{ id: 'a', type: 'Brnach' }] }] }));
    const profile = join(dir, 'board.json');
    writeFileSync(profile, JSON.stringify({ name: 'b', engine: 'node', arch: 'arm64', tickMode: 'fixed' }));
    const r = cli(['build', '--board', profile, bad, '--out', join(dir, 'board')]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, [
      `${profile}: "node" is missing: engine "node" needs the Node.js major version, a whole number, 18 or more`,
      `${bad}:1:100: Project/a: unknown node type "Brnach" (did you mean "Branch"?)`,
    ].join('\n') + '\n');
    const j = cli(['build', '--board', profile, bad, '--out', join(dir, 'board'), '--format', 'json']);
    assert.equal(j.code, 1);
    assert.deepEqual(j.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((p) => [p.file, p.code, p.line]), [[profile, 'profile', null], [bad, 'unknown-node-type', 1]]);
    onlyThere('bad.json', 'board.json');
  });

  it('a bad profile: every problem, exit 1, and no folder', () => {
    const profile = join(dir, 'board.json');
    writeFileSync(profile, JSON.stringify({ name: 'b', engine: 'node', arch: 'arm64', tickMode: 'fixed', memoryLimitBytes: 1 << 24 }));
    const r = cli(['build', '--board', profile, DEMO, '--out', join(dir, 'board')]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, [
      `${profile}: memoryLimitBytes applies only to engine "quickjs", not "node"`,
      `${profile}: "node" is missing: engine "node" needs the Node.js major version, a whole number, 18 or more`,
    ].join('\n') + '\n');
    onlyThere('board.json');

    writeFileSync(profile, '{ "name": "b", ');
    const j = cli(['build', '--board', profile, DEMO, '--out', join(dir, 'board')]);
    assert.equal(j.code, 1);
    assert.match(j.stderr, /board\.json: not valid JSON/);
    onlyThere('board.json');
  });

  it('a profile address for a connection the project does not have: exit 1, no folder', () => {
    const profile = join(dir, 'board.json');
    writeFileSync(profile, JSON.stringify({ name: 'b', engine: 'node', arch: 'arm64', node: 18, tickMode: 'fixed', connections: { Telemtry: 'ws://10.0.0.5:8080' } }));
    const r = cli(['build', '--board', profile, DEMO, '--out', join(dir, 'board')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /connections: .*project\.json has no connection named "Telemtry" \(did you mean "Telemetry"\?\)/);
    onlyThere('board.json');
  });

  it('an unknown board or a missing file: exit 1; missing arguments: exit 2', () => {
    const unknown = cli(['build', '--board', 'z80-node', DEMO, '--out', join(dir, 'board')]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown board "z80-node" \(boards: .*arm64-node18/);
    assert.equal(cli(['build', '--board', 'arm64-node18', join(dir, 'nope.json'), '--out', join(dir, 'board')]).code, 1);
    for (const args of [['build', DEMO, '--out', join(dir, 'b')], ['build', '--board', 'arm64-node18', DEMO], ['build', '--board', 'arm64-node18', '--out', join(dir, 'b')], ['build', '--bored', 'x', DEMO]]) {
      const r = cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /usage: pulsewire build/);
      noStack(r.stderr);
    }
    onlyThere();
  });

  it('engine quickjs packs the runner with the QuickJS guest and wasm, and the sandbox bounds', () => {
    const out = join(dir, 'board');
    const r = cli(['build', '--board', 'arm64-quickjs', DEMO, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    for (const f of ['runner.mjs', 'guest.js', 'emscripten-module.wasm']) assert.ok(existsSync(join(out, f)), f);
    assert.deepEqual(readFileSync(join(out, 'guest.js')), readFileSync(join(REPO, 'dist/guest.js')));
    const config = readJson(join(out, 'config.json'));
    assert.deepEqual([config.engine, config.memoryLimitBytes, config.tickTimeLimitMs], ['quickjs', 8 << 20, 1000]);
  });
});
