// The guest's TextEncoder / TextDecoder (QuickJS has none) against Node's:
// Binary↔String conversions in the VM must give the same text and bytes on
// both targets, so every invalid sequence, BOM and surrogate case matters.

import { strict as assert } from 'node:assert';
import { Utf8Decoder, Utf8Encoder } from '../../targets/quickjs/polyfill.ts';
import { SeededRandom } from '../../runtime/random.ts';

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));

describe('quickjs: UTF-8 polyfill', () => {
  const decoders = (opts?: { fatal?: boolean; ignoreBOM?: boolean }) => [new TextDecoder('utf-8', opts), new Utf8Decoder('utf-8', opts)] as const;

  it('decodes like Node, byte for byte, including every kind of invalid sequence', () => {
    const cases = [
      '', '41', 'c3a9', 'e29c93', 'f09f9880', '00', // valid: 1–4 bytes, NUL
      'c0af', 'e080af', 'f08080af', // overlong
      'eda080', 'edbfbf', // surrogates encoded in UTF-8
      'f4908080', 'f5', 'ff', 'fe', // above U+10FFFF, never-valid bytes
      '80', 'bf', 'c3', 'e29c', 'f09f98', // lone continuation, truncated sequences
      'e29c41', 'f09f4142', 'c3c3a9', // a sequence broken by a valid byte
      'efbbbf68', 'efbbbfefbbbf', '68efbbbf', // BOMs
    ];
    for (const c of cases) {
      for (const opts of [undefined, { ignoreBOM: true }]) {
        const [node, ours] = decoders(opts);
        assert.equal(ours.decode(hex(c)), node.decode(hex(c)), `${c} ${JSON.stringify(opts)}`);
      }
    }
  });

  it('decodes random bytes like Node (10,000 seeded cases)', () => {
    const rng = new SeededRandom(42);
    const [node, ours] = decoders();
    for (let i = 0; i < 10_000; i++) {
      const n = Math.floor(rng.next() * 12);
      // Bias towards the interesting bytes: lead bytes and continuations.
      const b = Uint8Array.from({ length: n }, () => (rng.next() < 0.6 ? 0x80 + Math.floor(rng.next() * 0x80) : Math.floor(rng.next() * 0x100)));
      assert.equal(ours.decode(b), node.decode(b), Buffer.from(b).toString('hex'));
    }
  });

  it('decodes long input (past its chunking) and views with an offset', () => {
    const text = 'é✓😀a'.repeat(5000);
    const bytes = new TextEncoder().encode('xx' + text);
    assert.equal(new Utf8Decoder().decode(bytes.subarray(2)), text);
    assert.equal(new Utf8Decoder().decode(new DataView(bytes.buffer, 2)), text);
  });

  it('fatal: throws on invalid input as Node does', () => {
    const [node, ours] = decoders({ fatal: true });
    assert.throws(() => node.decode(hex('c3')), TypeError);
    assert.throws(() => ours.decode(hex('c3')), TypeError);
    assert.equal(ours.decode(hex('c3a9')), 'é');
  });

  it('encodes like Node, lone surrogates as U+FFFD', () => {
    const node = new TextEncoder();
    const ours = new Utf8Encoder();
    for (const s of ['', 'a', 'é', '✓', '😀', '\u0000', '\ud800', '\udc00', 'a\ud800b', '\udc00\ud800', '\ud83d\ude00\ud83d', 'é✓😀'.repeat(100)]) {
      assert.deepEqual(ours.encode(s), node.encode(s), JSON.stringify(s));
    }
  });

  it('refuses other encodings instead of decoding them wrongly', () => {
    assert.throws(() => new Utf8Decoder('latin1'), RangeError);
    assert.doesNotThrow(() => new Utf8Decoder('UTF8'));
  });
});
