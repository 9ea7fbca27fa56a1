// The delivery ledger on its own: what is unconfirmed at every moment, what
// take() hands over, and the byte bound on the kept messages.

import { strict as assert } from 'node:assert';
import { Ledger } from '../../bindings/ledger.ts';

describe('delivery ledger', () => {
  it('counts what was written and not confirmed, and keeps it in order', () => {
    const l = new Ledger(1 << 20);
    l.write('a');
    const m = l.write('b');
    l.write('c');
    assert.equal(l.count, 3);
    l.confirm(m);
    assert.equal(l.count, 1);
    assert.deepEqual(l.take(), { count: 1, kept: ['c'] });
    assert.equal(l.count, 0);
    assert.deepEqual(l.take(), { count: 0, kept: [] });
  });

  it('a confirmation of an older mark changes nothing; one past the end confirms all', () => {
    const l = new Ledger(1 << 20);
    const m1 = l.write('a');
    const m2 = l.write('b');
    l.confirm(m2);
    l.confirm(m1);
    assert.equal(l.count, 0);
    l.write('c');
    l.confirm(1000);
    assert.deepEqual(l.take(), { count: 0, kept: [] });
  });

  it('keeps the oldest messages up to the byte bound and counts the rest', () => {
    const l = new Ledger(8); // four UTF-16 code units
    l.write('ab');
    l.write(new Uint8Array(4));
    l.write('c'); // past the bound: counted, not kept
    l.write(''); // would fit, but keeping it would leave a hole before it
    const u = l.take();
    assert.equal(u.count, 4);
    assert.deepEqual(u.kept, ['ab', new Uint8Array(4)]);
  });

  it('after a confirmation past the kept ones, a gap is never kept around', () => {
    const l = new Ledger(2);
    l.write('a');
    const m = l.write('b'); // not kept (bound)
    l.write('c'); // not kept: 'b' is missing before it
    l.confirm(m); // a and b confirmed; c was never kept
    l.write('d'); // c still unconfirmed and not kept: d is not kept either
    assert.deepEqual(l.take(), { count: 2, kept: [] });
    l.write('e'); // a fresh start
    assert.deepEqual(l.take(), { count: 1, kept: ['e'] });
  });
});
