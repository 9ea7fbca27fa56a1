// Board profiles: the shipped ones are valid, and every kind of mistake a
// build engineer makes in one gets its own clear line, all at once.

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { parseProfile } from '../../targets/boards/profile.ts';
import { BOARDS_DIR, boardNames, loadProfile } from '../../targets/boards/build.ts';

const F = 'board.json';
const errorsOf = (v: unknown): string[] => {
  const r = parseProfile(v, F);
  assert.equal(r.ok, false, 'expected the profile to be refused');
  return r.ok ? [] : r.errors;
};
const base = { name: 'b', engine: 'node', arch: 'arm64', node: 18, tickMode: 'fixed' };

describe('board profiles', () => {
  it('ships arm64-node18, x86_64-node and a quickjs profile, all valid and named like their files', () => {
    const names = boardNames();
    for (const n of ['arm64-node18', 'x86_64-node']) assert.ok(names.includes(n), n);
    const engines = names.map((n) => {
      const { profile } = loadProfile(n);
      assert.equal(profile.name, n);
      return profile.engine;
    });
    assert.ok(engines.includes('quickjs'), 'a quickjs profile');
    const arm = loadProfile('arm64-node18').profile;
    assert.deepEqual([arm.engine, arm.arch, arm.node], ['node', 'arm64', 18]);
  });

  it('accepts a full node profile and a full quickjs profile', () => {
    assert.deepEqual(parseProfile({ ...base, description: 'd', tickRate: 30, limits: { queueCapacity: 64 }, connections: { Telemetry: 'ws://10.0.0.5:8080' } }, F), {
      ok: true,
      profile: { ...base, description: 'd', tickRate: 30, limits: { queueCapacity: 64 }, connections: { Telemetry: 'ws://10.0.0.5:8080' } },
    });
    const q = { name: 'q', engine: 'quickjs', arch: 'armv7', tickMode: 'on-demand', memoryLimitBytes: 4 << 20, tickTimeLimitMs: 20 };
    assert.equal(parseProfile(q, F).ok, true);
  });

  it('names each problem with the file, what is wrong and what is allowed, all at once', () => {
    assert.deepEqual(errorsOf({ name: 'Big Board', engine: 'nodejs', tickmode: 'fixed', tickRate: 0, limits: { queueCapacty: 5, timers: -1 } }), [
      `${F}: name must be a name of lowercase letters, digits, "-", "_" and "." (like "arm64-node18") (found "Big Board")`,
      `${F}: engine must be "node" or "quickjs" (found "nodejs")`,
      `${F}: unknown key "tickmode" (did you mean "tickMode"?)`,
      `${F}: tickRate must be a number of ticks per second, above 0 and at most 1000 (found 0)`,
      `${F}: "arch" is missing: it must be a CPU architecture (like "arm64" or "x86_64")`,
      `${F}: "tickMode" is missing: it must be "fixed", "on-demand" or "fast"`,
      `${F}: unknown limit "queueCapacty" (did you mean "queueCapacity"?) (limits: queueCapacity, tickBudget, callDepth, timers, outputsPerTick, maxMessageBytes, maxStringLength)`,
      `${F}: limits.timers must be a whole number, 1 or more (found -1)`,
    ]);
  });

  it('checks the fields each engine needs and refuses those it does not have', () => {
    const { node: _node, ...noNode } = base;
    assert.deepEqual(errorsOf({ ...noNode, memoryLimitBytes: 1 << 24 }), [
      `${F}: memoryLimitBytes applies only to engine "quickjs", not "node"`,
      `${F}: "node" is missing: engine "node" needs the Node.js major version, a whole number, 18 or more`,
    ]);
    assert.deepEqual(errorsOf({ ...base, engine: 'quickjs', memoryLimitBytes: 1000 }), [
      `${F}: memoryLimitBytes must be a whole number of bytes, 1048576 (1 MiB) or more (found 1000)`,
    ]);
    assert.deepEqual(errorsOf({ ...base, engine: 'quickjs' }), [
      `${F}: "memoryLimitBytes" is missing: engine "quickjs" needs a whole number of bytes, 1048576 (1 MiB) or more`,
    ]);
    assert.deepEqual(errorsOf({ ...base, node: 16 }), [`${F}: node must be the Node.js major version, a whole number, 18 or more (found 16)`]);
  });

  it('refuses the stepped mode, which needs a test to drive it', () => {
    assert.deepEqual(errorsOf({ ...base, tickMode: 'stepped' }), [`${F}: tickMode must be "fixed", "on-demand" or "fast" (found "stepped")`]);
  });

  it('refuses connection addresses that are not ws, wss, http or https URLs, without echoing them', () => {
    const errors = errorsOf({ ...base, connections: { Telemetry: 'ftp://x?token=s3cret', Alerts: 'not a url', Ok: 'wss://vehicle.local/ws' } });
    assert.deepEqual(errors, [
      `${F}: connections["Telemetry"] must be a URL starting ws://, wss://, http:// or https://`,
      `${F}: connections["Alerts"] must be a URL starting ws://, wss://, http:// or https://`,
    ]);
  });

  it('says what a profile is when it is not an object', () => {
    assert.deepEqual(errorsOf([1]), [`${F}: a board profile is a JSON object { … } (found a list)`]);
  });

  it('loads by name or by path; an unknown name lists the boards', () => {
    assert.equal(loadProfile(join(BOARDS_DIR, 'x86_64-node.json')).profile.name, 'x86_64-node');
    assert.throws(() => loadProfile('arm64-nod18'), (e: Error) => {
      assert.match(e.message, /^unknown board "arm64-nod18" \(did you mean "arm64-node18"\?\) \(boards: .*arm64-node18.*x86_64-node.*\)/);
      return true;
    });
  });
});
