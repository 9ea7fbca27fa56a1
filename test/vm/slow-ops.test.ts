// The out-of-line opcodes' helpers (runtime/vm/slow-ops.ts).

import { strict as assert } from 'node:assert';
import { format, VmError } from '../../runtime/vm/slow-ops.ts';
import { toText, type Value } from '../../runtime/values.ts';
import { SeededRandom } from '../../runtime/random.ts';

/** What FORMAT did before templates were parsed once: one regular expression per call. The oracle. */
function byRegExp(fmt: string, args: Value[]): string {
  return fmt.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, i: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const n = Number(i);
    return n < args.length ? toText(args[n]) : m;
  });
}

/** FORMAT's calling convention: arguments in registers named by the code words from `at`. */
function run(fmt: Value, args: Value[], max = 1 << 20): string {
  const R: Value[] = [null, ...args];
  const code = Int32Array.from(args.map((_, i) => i + 1));
  return format(fmt, R, code, 0, args.length, max);
}

describe('slow-ops format (FORMAT)', () => {
  it('reads placeholders, doubled braces and everything else as the regular expression did', () => {
    const args: Value[] = ['a', 2.5, true, null, { k: [1] }];
    for (const f of ['', 'plain', '{0}', '{0}{1}{0}', '{{0}}', '{{{0}}}', '{{{{0}}}}', '{5}', '{007}', '{}', '{x}', '{1', '1}', '}{', '{{}', '{0}}', '{{0}',
      '{99999999999999999999}', 'é{0}ü', '{-1}', '{ 0}', '{0 }', '{{{', '}}}']) {
      assert.equal(run(f, args), byRegExp(f, args), JSON.stringify(f));
    }
  });

  it('agrees with the regular expression on random format strings (seeded)', () => {
    const rng = new SeededRandom(42);
    const alphabet = ['{', '}', '0', '1', '2', '9', 'x', ' ', '{0}', '{1}', '{{', '}}'];
    for (let t = 0; t < 3000; t++) {
      let f = '';
      const len = Math.floor(rng.next() * 12);
      for (let i = 0; i < len; i++) f += alphabet[Math.floor(rng.next() * alphabet.length)];
      const n = Math.floor(rng.next() * 3);
      const args = ['A', 7, false].slice(0, n);
      assert.equal(run(f, args), byRegExp(f, args), JSON.stringify(f));
    }
  });

  it('a format string that is not a string is read as its text, and templates are reused', () => {
    assert.equal(run(12, []), '12');
    assert.equal(run('{0}-{0}', ['x']), 'x-x');
    assert.equal(run('{0}-{0}', ['y']), 'y-y');
  });

  it('stops with string_too_long past the limit, naming the length of the whole result', () => {
    assert.throws(() => run('{0}{0}', ['abc'], 5), (e: unknown) => e instanceof VmError && e.code === 'string_too_long' && /a string of 6 characters/.test(e.message));
    assert.equal(run('{0}{0}', ['ab'], 4), 'abab');
  });
});
