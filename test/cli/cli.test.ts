// The pulsewire command as a user runs it: the built bundle (bin/pulsewire.mjs
// → dist/cli.mjs), exit codes 0 / 1 / 2, messages on stderr, no stack traces.

import { strict as assert } from 'node:assert';
import { spawnSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from '../../runtime/schedule/index.ts';

const BIN = new URL('../../bin/pulsewire.mjs', import.meta.url).pathname;
const DEMO = new URL('../../examples/telemetry/project.json', import.meta.url).pathname;

function cli(args: string[], timeoutMs = 20_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .+:\d+:\d+/, `a stack trace leaked:\n${s}`);

describe('pulsewire CLI', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'pulsewire-cli-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints help for itself and each command, exit 0', () => {
    const top = cli(['--help']);
    assert.equal(top.code, 0);
    for (const c of ['compile', 'run', 'inspect', 'demo']) {
      assert.match(top.stdout, new RegExp(`\\b${c}\\b`));
      const h = cli([c, '--help']);
      assert.equal(h.code, 0, c);
      assert.match(h.stdout, new RegExp(`usage: pulsewire ${c}`));
    }
  });

  it('rejects bad arguments with exit 2 and a hint', () => {
    for (const args of [['frobnicate'], ['run'], ['run', '--bogus', DEMO], ['run', DEMO, '--mode', 'sideways'], ['run', DEMO, '--ticks', '-3'], []]) {
      const r = cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /pulsewire/);
      noStack(r.stderr);
    }
  });

  it('says what is wrong with a negative number, instead of calling it an ambiguous option', () => {
    for (const [args, message] of [
      [['run', DEMO, '--ticks', '-1'], '--ticks must be a whole number above 0, not "-1"'],
      [['run', DEMO, '--duration', '-0.5'], '--duration must be a number above 0, not "-0.5"'],
      [['run', DEMO, '--tick-rate', '-60'], '--tick-rate must be a number above 0, not "-60"'],
      [['run', DEMO, '--control', '-1'], '--control takes a port from 0 to 65535 (0: any free one), not "-1"'],
    ] as const) {
      const r = cli([...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.split('\n')[0], `pulsewire: ${message}`);
    }
  });

  const badProject = () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, [
      '{',
      '  "format": "pulsewire-project/1", "name": "bad",',
      '  "settings": { "tickrate": 30 },',
      '  "scopes": [{ "kind": "Project", "nodes": [',
      '    { "id": "a", "type": "Brnach" },',
      '    { "id": "b", "type": "Console" }',
      '  ] }]',
      '}',
    ].join('\n'));
    return file;
  };

  it('reports every diagnostic as file:line:column: scope/node: message, loader and compiler in one run, exit 1', () => {
    const file = badProject();
    const r = cli(['compile', file]);
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split('\n');
    assert.deepEqual(lines, [
      `${file}:3:29: settings: unknown setting "tickrate" (did you mean "tickRate"?)`,
      `${file}:5:26: Project/a: unknown node type "Brnach" (did you mean "Branch"?)`,
      `${file}:6:5: Project/b: input "Input" of Console needs a link or a value`,
    ]);
  });

  it('--format json: one JSON object a line on stdout, every field there (null when unknown); a bad --format is a usage error', () => {
    const file = badProject();
    for (const command of [['compile', file], ['run', file, '--ticks', '1'], ['inspect', file]]) {
      const r = cli([...command, '--format', 'json']);
      assert.equal(r.code, 1, command.join(' '));
      assert.equal(r.stderr, '');
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(lines[1], {
        file, line: 5, column: 26, scope: 'Project', node: 'a', code: 'unknown-node-type',
        message: 'unknown node type "Brnach" (did you mean "Branch"?)', hint: 'did you mean "Branch"?',
      });
      assert.deepEqual(lines.map((l) => [l.code, l.line, l.column, l.node]), [['schema', 3, 29, null], ['unknown-node-type', 5, 26, 'a'], ['missing-input', 6, 5, 'b']]);
    }
    const missing = cli(['compile', join(dir, 'nope.json'), '--format', 'json']);
    assert.equal(missing.code, 1);
    assert.deepEqual(JSON.parse(missing.stdout), {
      file: join(dir, 'nope.json'), line: null, column: null, scope: null, node: null, code: 'unreadable', message: 'cannot read it (no such file)', hint: null,
    });
    const bad = cli(['compile', file, '--format', 'xml']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format must be text or json, not "xml"/);
  });

  it('a missing file and a folder are errors, exit 1', () => {
    assert.equal(cli(['compile', join(dir, 'nope.json')]).code, 1);
    const r = cli(['run', dir]);
    assert.equal(r.code, 1);
    noStack(r.stderr);
  });

  it('compiles the same project to the same bytes twice', () => {
    const a = join(dir, 'a.pws');
    const b = join(dir, 'b.pws');
    assert.equal(cli(['compile', DEMO, '-o', a]).code, 0);
    assert.equal(cli(['compile', DEMO, '-o', b]).code, 0);
    assert.deepEqual(readFileSync(a), readFileSync(b));
  });

  describe('damaged schedule files are refused with a clear message, exit 1', () => {
    let good: Buffer;
    before(() => {
      const f = join(dir, 'good.pws');
      assert.equal(cli(['compile', DEMO, '-o', f]).code, 0);
      good = readFileSync(f);
    });
    const check = (name: string, bytes: Uint8Array, message: RegExp) => {
      const f = join(dir, name);
      writeFileSync(f, bytes);
      for (const cmd of ['run', 'inspect']) {
        const r = cli([cmd, f, '--ticks', '1'].slice(0, cmd === 'run' ? 4 : 2));
        assert.equal(r.code, 1, `${cmd} ${name}: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.match(r.stderr, new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: bad schedule file`));
        noStack(r.stderr);
      }
    };
    it('truncated', () => check('truncated.pws', good.subarray(0, good.length - 7), /bad schedule file/));
    it('bit-flipped', () => {
      const b = Buffer.from(good);
      b[b.length >> 1] ^= 0x10;
      check('flipped.pws', b, /checksum/);
    });
    it('wrong format version (checksum recomputed, so the version check is what fires)', () => {
      const b = Buffer.from(good);
      b.writeUInt16LE(7, 4);
      b.writeUInt32LE(crc32(b.subarray(16)) >>> 0, 12);
      check('version.pws', b, /version 7/);
    });
  });

  it('inspect shows node ids next to the code', () => {
    const r = cli(['inspect', DEMO]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /; Scene:Dashboard\/setSpeed\n\s+\d+\s+CONV/);
  });

  it('run --mode stepped --ticks runs on a virtual clock and prints console lines', () => {
    const file = join(dir, 'steps.json');
    writeFileSync(file, JSON.stringify({
      format: 'pulsewire-project/1', name: 'steps',
      scopes: [{
        kind: 'Project',
        nodes: [
          { id: 'boot', type: 'On Scene Loaded' },
          { id: 'every', type: 'Start Interval', inputs: { Seconds: 1 } },
          { id: 'say', type: 'Console', inputs: { Input: 'tick' } },
        ],
        links: [{ from: ['boot', '►'], to: ['every', '►'] }, { from: ['every', '►'], to: ['say', '►'] }],
      }],
    }));
    // 10 Hz for 3.05 virtual seconds: 31 ticks, at 0, 100, … 3000 ms; the interval fires at 1, 2 and 3 s.
    const r = cli(['run', file, '--mode', 'stepped', '--ticks', '31', '--tick-rate', '10']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['[info] tick', '[info] tick', '[info] tick']);
  });

  it('npm start\'s demo shows telemetry variables and acknowledged Socket.IO alerts from its back ends, and stops at --duration', async () => {
    const child = spawn(process.execPath, [BIN, 'demo', '--duration', '2.5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    assert.match(out, /connected = true/);
    assert.match(out, /speed = \d+/);
    assert.match(out, /gear = \d/);
    assert.match(out, /\[warning\] vehicle alert: tyre pressure low/);
    assert.match(out, /alerts back end: alert 1 acknowledged/);
  });

  it('ends quietly, exit 0, when the reader of its output goes away (`pulsewire … | head`)', async () => {
    const child = spawn(process.execPath, [BIN, 'demo', '--duration', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy()); // like head: read a little, then close the pipe
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, err);
    noStack(err);
  });
});
