// `pulsewire run --target quickjs`: the built CLI (dist/cli.mjs with
// dist/guest.js beside it) prints what the node target prints, exit codes
// included.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { project } from '../helpers/project.ts';

const BIN = new URL('../../bin/pulsewire.mjs', import.meta.url).pathname;
const P = '►';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('quickjs: pulsewire run --target quickjs', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pulsewire-qjs-'));
    file = join(dir, 'p.json');
    writeFileSync(file, JSON.stringify(project({
      variables: [{ name: 'n', type: 'Int', initial: 0 }],
      nodes: [
        { id: 'boot', type: 'On Scene Loaded' },
        { id: 'hello', type: 'Console', inputs: { Input: 'grüße ✓ 😀' } },
        { id: 'every', type: 'Start Interval', inputs: { Seconds: 0.05 } },
        { id: 'n', type: 'Variable Getter', attributes: { Variable: 'n' } },
        { id: 'inc', type: 'Add', inputs: { 'Input 1': 1 } },
        { id: 'set', type: 'Variable Setter', attributes: { Variable: 'n' } },
        { id: 'say', type: 'Console', attributes: { Type: 'warning' } },
        { id: 'fail', type: 'Assert', inputs: { Condition: false, Message: 'checked' } },
      ],
      links: [
        ['boot', P, 'hello', P], ['hello', P, 'every', P], ['every', P, 'set', P], ['n', 'Value', 'inc', 'Input 0'], ['inc', 'Output', 'set', 'Value'],
        ['set', P, 'say', P], ['set', 'Value', 'say', 'Input'], ['say', P, 'fail', P],
      ],
    })));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the same lines as the node target, with the same exit code', () => {
    const args = ['run', file, '--mode', 'stepped', '--ticks', '12', '-v'];
    const node = cli(args);
    const quickjs = cli([...args, '--target', 'quickjs']);
    assert.equal(node.code, 0, node.stderr);
    assert.deepEqual(quickjs, node);
    assert.match(node.stdout, /^\[info\] grüße ✓ 😀\n/);
    assert.match(node.stdout, /\[warning\] 3\n/);
    assert.match(node.stderr, /error: Project\/fail: Assert failed: checked/);
  });

  it('refuses an unknown target with exit 2', () => {
    const r = cli(['run', file, '--target', 'v8']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--target must be one of node, quickjs/);
  });

  it('lists the option in run --help', () => {
    assert.match(cli(['run', '--help']).stdout, /--target TARGET +node \(default[^\n]*\) or quickjs/);
  });
});
