// The boundary's encoding (bindings/quickjs/abi.ts) on its own: every Value
// comes back as it went in, tags cannot be forged by the graph's own data,
// and the guest bundle is made of the VM and nothing else.

import { strict as assert } from 'node:assert';
import { BoxReader, BoxWriter, IN_KINDS, OUT_KINDS, crossesAsIs, growableBox, HEADER_WORDS } from '../../bindings/quickjs/abi.ts';
import type { Value } from '../../runtime/values.ts';
import type { InEvent, Output } from '../../runtime/vm/io.ts';

/** Writes with `put` into a small box (it must grow) and reads back with `get`, as across the boundary. */
function through<T>(put: (w: BoxWriter) => void, get: (r: BoxReader) => T): T {
  const box = growableBox(64);
  const w = new BoxWriter(box);
  put(w);
  const { text, size } = w.finish();
  assert.ok(size <= box.bytes.length);
  return get(new BoxReader(box.words, box.bytes, text));
}
const roundTrip = (v: Value): Value => through((w) => w.value(v), (r) => r.value());

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
    // Many values in one box: each takes its own text and bytes, in order.
    assert.deepStrictEqual(through((w) => values.forEach((v) => w.value(v)), (r) => values.map(() => r.value())), values);
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

  it('carries every event and output kind, in order, binary payloads as copies placed after the words', () => {
    const events: InEvent[] = [
      { kind: 'ws.open', conn: 0 },
      { kind: 'ws.message', conn: 0, data: 'a\u0000b' },
      { kind: 'ws.message', conn: 1, data: new Uint8Array([1, 2, 3]) },
      { kind: 'ws.error', conn: 0, code: 'refused', message: 'no' },
      { kind: 'ws.close', conn: 0, code: 1006.5, reason: 'gone', by: 'fault' },
      { kind: 'sio.open', conn: 2 },
      { kind: 'sio.close', conn: 2, reason: 'bye', by: 'server' },
      { kind: 'sio.event', conn: 2, ns: '/x', event: 'e', message: '{"a":1}' },
      { kind: 'sio.error', conn: 2, ns: '/', code: 'namespace_refused', message: 'm' },
      { kind: 'sio.subscribed', conn: 2, ns: '/', event: 'e' },
      { kind: 'sio.unsubscribed', conn: 2, ns: '/', event: 'e' },
    ];
    assert.deepEqual(new Set(events.map((e) => e.kind)), new Set(IN_KINDS), 'every event kind');
    const outputs: Output[] = [
      { kind: 'ws.start', conn: 0 }, { kind: 'ws.stop', conn: 0 },
      { kind: 'ws.send', conn: 0, data: new Uint8Array([9]) }, { kind: 'ws.send', conn: 0, data: '' },
      { kind: 'sio.start', conn: 1 }, { kind: 'sio.stop', conn: 1 },
      { kind: 'sio.emit', conn: 1, ns: '/', event: 'ack', message: 'é' },
      { kind: 'sio.subscribe', conn: 1, ns: '/', event: 'a' }, { kind: 'sio.unsubscribe', conn: 1, ns: '/', event: 'a' },
      { kind: 'console', level: 'warning', text: '\ud800' },
      { kind: 'var', name: 'v', value: new Uint8Array([3]) }, { kind: 'var', name: 'n', value: -0 }, { kind: 'var', name: 'o', value: { k: [NaN] } },
      { kind: 'error', code: 'budget', message: 'P/x: ran out', node: 'P/x' },
      { kind: 'error', code: 'queue_overflow', message: 'L: 2 events dropped' },
    ];
    assert.deepEqual(new Set(outputs.map((o) => o.kind)), new Set(OUT_KINDS), 'every output kind');
    const box = growableBox(64);
    const w = new BoxWriter(box);
    for (const e of events) w.event(e);
    for (const o of outputs) w.output(o);
    const { text, size } = w.finish();
    const r = new BoxReader(box.words, box.bytes, text);
    assert.deepStrictEqual(events.map(() => r.event()), events);
    const back = outputs.map(() => r.output());
    assert.deepStrictEqual(back, outputs);
    assert.ok(!('node' in back[back.length - 1]), 'an absent field stays absent');
    // The payloads sit back to back after the words; what the reader gives is a copy.
    assert.equal(size, box.words[4] + 3 + 1 + 1 + 0);
    const sent = (back[2] as { data: Uint8Array }).data;
    assert.notEqual(sent.buffer, box.bytes.buffer);
    assert.ok(r.at > HEADER_WORDS);
  });

  it('says which text crosses a C string API as it is (no U+0000, no lone surrogate)', () => {
    for (const s of ['', 'plain', 'é✓', '😀', 'a\ud83d\ude00b']) assert.equal(crossesAsIs(s), true, JSON.stringify(s));
    for (const s of ['a\u0000', '\ud800', 'x\udc00', '\ude00\ud83d', 'a\ud83d']) assert.equal(crossesAsIs(s), false, JSON.stringify(s));
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
