// The boundary's encoding (bindings/quickjs/abi.ts) on its own: every Value
// comes back as it went in, tags cannot be forged by the graph's own data,
// and the guest bundle is made of the VM and nothing else.

import { strict as assert } from 'node:assert';
import { BinWriter, outputJson, parseWire, valueToJson } from '../../bindings/quickjs/abi.ts';
import type { Value } from '../../runtime/values.ts';
import type { Output } from '../../runtime/vm/io.ts';

/** Through JSON and one buffer, as across the boundary. */
function roundTrip(v: Value): Value {
  const w = new BinWriter();
  const json = valueToJson(v, w);
  return parseWire<Value>(json, w.finish());
}

describe('quickjs: the boundary encoding', () => {
  it('round-trips every kind of Value, binary anywhere and numbers JSON cannot write', () => {
    const proto = JSON.parse('{"__proto__": {"polluted": true}}') as Value;
    const values: Value[] = [
      null, true, false, 0, -0, 1.5, -7, NaN, Infinity, -Infinity, 2 ** 53, '', 'a\u0000b', '\ud800', 'é✓😀', '"$b"',
      new Uint8Array(0), new Uint8Array([0, 255, 0]),
      [], [1, 'x', null, [new Uint8Array([1]), NaN]],
      {}, { a: 1, b: { c: [new Uint8Array([9, 8]), -0] } },
      { $b: [0, 1], $n: 'NaN', $$x: 1, $: 2, x$: 3 }, // the graph's own keys that look like tags
      { $b: [new Uint8Array([7]), 1] },
      proto,
    ];
    for (const v of values) assert.deepStrictEqual(roundTrip(v), v, JSON.stringify(v));
    const back = roundTrip(proto) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(back), Object.prototype, '"__proto__" stays a key, never a prototype');
    assert.deepEqual(Object.keys(back), ['__proto__']);
  });

  it('keeps key order (JSON Stringify of a dictionary must read the same on both targets)', () => {
    const v = { z: 1, $a: 2, m: new Uint8Array([1]), a: 3 };
    assert.deepEqual(Object.keys(roundTrip(v) as object), ['z', '$a', 'm', 'a']);
  });

  it('round-trips nesting deeper than a guest could recurse in JavaScript (the engine\'s JSON code does it)', () => {
    let v: Value = [new Uint8Array([1])];
    for (let i = 0; i < 500; i++) v = { $k: [v] };
    assert.deepStrictEqual(roundTrip(v), v);
  });

  it('writes outputs as plain JSON, Values in the wire encoding, all payloads in one buffer in order', () => {
    const w = new BinWriter();
    const outs: Output[] = [
      { kind: 'console', level: 'info', text: 'a\u0000b' },
      { kind: 'ws.send', conn: 0, data: new Uint8Array([1, 2]) },
      { kind: 'var', name: 'v', value: new Uint8Array([3]) },
      { kind: 'var', name: 'n', value: -0 },
      { kind: 'var', name: 's', value: 'plain' },
    ];
    const json = `[${outs.map((o) => outputJson(o, w)).join(',')}]`;
    assert.match(json, /"data":\{"\$b":\[0,2\]\}.*"value":\{"\$b":\[2,1\]\}.*"value":\{"\$n":"-0"\}/);
    const buf = w.finish()!;
    assert.deepEqual([...buf], [1, 2, 3]);
    assert.equal(buf.buffer.byteLength, 3, 'a buffer of exactly the payloads');
    assert.deepStrictEqual(parseWire<Output[]>(json, buf), outs);
  });

  it('refuses a payload reference outside the buffer instead of reading past it', () => {
    assert.throws(() => parseWire('{"$b":[2,4]}', new Uint8Array(3)), /outside the call's buffer/);
    assert.throws(() => parseWire('{"$b":[0,1]}', undefined), /outside the call's buffer/);
  });

  it('the guest bundle holds the VM, the schedule decoder and the ABI, and nothing else of bindings/ nor a transport library', async function () {
    this.timeout(20_000);
    const { build } = await import('esbuild');
    const { GUEST_OPTIONS } = await import('../../targets/quickjs/guest-build.mjs');
    const r = await build({ ...GUEST_OPTIONS, write: false, metafile: true });
    const inputs = Object.keys(r.metafile!.inputs);
    for (const f of inputs) assert.match(f, /^(runtime\/(vm|schedule)\/|runtime\/(values|limits|errors|random)\.ts$|bindings\/quickjs\/abi\.ts$|targets\/quickjs\/)/, f);
    assert.ok(inputs.includes('runtime/vm/vm.ts'));
    assert.doesNotMatch(r.outputFiles![0].text, /\brequire\(|\bimport\(|process\.|Date\.now|Math\.random/);
  });
});
