import assert from 'node:assert/strict';
import { crc32 } from '../../runtime/schedule/crc32.ts';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('schedule/crc32', () => {
  it('gives the standard check value for "123456789"', () => {
    assert.equal(crc32(ascii('123456789')), 0xcbf43926);
  });

  it('agrees with zlib on a pangram and on nothing', () => {
    assert.equal(crc32(ascii('The quick brown fox jumps over the lazy dog')), 0x414fa339);
    assert.equal(crc32(new Uint8Array(0)), 0);
  });

  it('covers only the range it is given', () => {
    const b = ascii('xx123456789yy');
    assert.equal(crc32(b, 2, 11), 0xcbf43926);
    assert.equal(crc32(b, 5, 5), 0);
  });

  it('returns an unsigned 32-bit number', () => {
    const v = crc32(ascii('\u00ff\u00ff\u00ff\u00ff'));
    assert.ok(v >= 0 && v <= 0xffffffff && Number.isInteger(v));
  });
});
