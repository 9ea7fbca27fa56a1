import assert from 'node:assert/strict';
import {
  encode, decode, strip, verify, ScheduleError, FORMAT_VERSION, SECTIONS, HEADER_SIZE, OP, type Schedule,
} from '../../runtime/schedule/index.ts';
import type { Value } from '../../runtime/values.ts';
import { sample, minimal } from './fixture.ts';
import { fromHex, toHex, uvar, section, sections, reseal, splice, replaceSection, withBody, decodeFails } from './helpers.ts';

const utf8 = (s: string): number[] => Array.from(new TextEncoder().encode(s));
const str = (s: string): number[] => [...uvar(utf8(s).length), ...utf8(s)];

describe('schedule/format: encode and decode', () => {
  it('round-trips the sample schedule exactly', () => {
    assert.deepStrictEqual(decode(encode(sample())), sample());
  });

  it('round-trips the minimal schedule (no scenes, empty tables, one RET)', () => {
    assert.deepStrictEqual(decode(encode(minimal())), minimal());
  });

  it('gives identical bytes every time, and re-encoding a decoded file gives the file', () => {
    const a = encode(sample());
    const b = encode(sample());
    assert.equal(toHex(a), toHex(b));
    assert.equal(toHex(encode(decode(a))), toHex(a));
  });

  it('writes the minimal schedule as these bytes (a change here is a format change)', () => {
    // CRC computed independently (Python zlib.crc32 over bytes 16..).
    const expected =
      '50575300 0100 0000 27000000 817b6dca' + //        magic, version 1, flags 0, body length 39, CRC
      '01 0e 00 000000000000 4e40 01 00 02 7b7d' + //    META: name "", 60.0 Hz, start -1, seed 0, limits "{}"
      '02 01 00  03 01 00  04 01 00  05 01 00  06 01 00' + // CONSTS CONNS SCENES VARS EVENTS: empty
      '07 02 00 00' + //                                  REGS: regCount 0, 0 pairs
      '08 02 01 01'; //                                   CODE: 1 word, RET
    assert.equal(toHex(encode(minimal())), toHex(fromHex(expected)));
  });

  it('writes the header: magic, version, debug flag, body length', () => {
    const b = encode(sample());
    const dv = new DataView(b.buffer);
    assert.equal(toHex(b.subarray(0, 4)), '50575300');
    assert.equal(dv.getUint16(4, true), FORMAT_VERSION);
    assert.equal(dv.getUint16(6, true), 1);
    assert.equal(dv.getUint32(8, true), b.length - HEADER_SIZE);
    assert.deepEqual(sections(b).map((s) => s.id), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('leaves the debug map out with debug: false, and clears the flag', () => {
    const b = encode(sample(), { debug: false });
    assert.equal(new DataView(b.buffer).getUint16(6, true), 0);
    assert.deepEqual(sections(b).map((s) => s.id), [1, 2, 3, 4, 5, 6, 7, 8]);
    const s = decode(b);
    assert.equal('debug' in s, false);
    assert.deepStrictEqual(s, strip(sample()));
  });

  it('keeps an empty debug map as an empty debug map', () => {
    const s = { ...minimal(), debug: { pcs: [], nodes: [] } };
    assert.deepStrictEqual(decode(encode(s)), s);
  });

  it('stores each number in the form that gives it back bit for bit', () => {
    const values = [0, -1, 2 ** 52 - 1, -(2 ** 52), 2 ** 52, -(2 ** 52) - 1, -0, NaN, Infinity, -Infinity, 1e-300, Number.MAX_VALUE];
    const s = { ...minimal(), consts: values };
    const back = decode(encode(s)).consts as number[];
    values.forEach((v, i) => assert.ok(Object.is(back[i], v), `${v} came back as ${back[i]}`));
  });

  it('accepts a Node Buffer and returns plain Uint8Array copies for Binary constants', () => {
    const b = encode(sample());
    const buf = Buffer.from(b);
    const s = decode(buf);
    const bin = s.consts[9] as Uint8Array;
    assert.equal(Object.getPrototypeOf(bin), Uint8Array.prototype);
    buf.fill(0);
    assert.deepEqual(Array.from(bin), [0, 1, 255]);
  });

  it('decodes a file that sits inside a larger buffer (non-zero byteOffset)', () => {
    const b = encode(sample());
    const big = new Uint8Array(b.length + 10);
    big.set(b, 7);
    assert.deepStrictEqual(decode(big.subarray(7, 7 + b.length)), sample());
  });
});

describe('schedule/format: encode refuses what it could not give back', () => {
  it('verifies first: a bad jump is a ScheduleError, not a file', () => {
    const s = sample();
    s.code[19] = 26;
    assert.throws(() => encode(s), (e: unknown) => e instanceof ScheduleError && /pc 17, JF: jump target 26/.test(e.message));
  });

  it('refuses a Binary value nested in an array or object', () => {
    const s = { ...minimal(), consts: [[1, new Uint8Array([1])]] } as Schedule;
    assert.throws(() => encode(s), (e: unknown) => e instanceof Error && /constant k0: a Binary value inside an array or object/.test(e.message));
    const t = { ...minimal(), consts: [{ deep: { bytes: new Uint8Array(2) } }] } as Schedule;
    assert.throws(() => encode(t), /Binary value inside/);
  });

  it('refuses NaN or Infinity inside JSON (it would come back as null)', () => {
    assert.throws(() => encode({ ...minimal(), consts: [[NaN]] }), /NaN inside an array or object/);
    assert.throws(() => encode({ ...minimal(), consts: [{ x: Infinity }] }), /Infinity inside/);
  });

  it('refuses a string with a lone surrogate (UTF-8 cannot hold it)', () => {
    assert.throws(() => encode({ ...minimal(), consts: ['a\ud800b'] }), /constant k0 holds a lone UTF-16 surrogate/);
    assert.throws(() => encode({ ...minimal(), scenes: ['\udc00'], meta: { ...minimal().meta, startScene: 0 } }), /scene s0: name/);
  });
});

describe('schedule/format: strip', () => {
  it('strips bytes: no DEBUG section, flag cleared, CRC valid, everything else equal', () => {
    const full = encode(sample());
    const bare = strip(full);
    assert.equal(new DataView(bare.buffer).getUint16(6, true), 0);
    assert.ok(!sections(bare).some((s) => s.id === SECTIONS.DEBUG));
    assert.equal(toHex(bare), toHex(encode(sample(), { debug: false })));
    const { debug: _d, ...rest } = sample();
    assert.deepStrictEqual(decode(bare), rest);
    assert.equal(toHex(strip(bare)), toHex(bare), 'stripping twice changes nothing');
  });

  it('strips a Schedule without touching the original', () => {
    const s = sample();
    const t = strip(s);
    assert.equal('debug' in t, false);
    assert.ok(s.debug);
    assert.deepStrictEqual({ ...t, debug: s.debug }, s);
  });

  it('refuses to strip a damaged file', () => {
    const b = encode(sample());
    b[b.length - 1] ^= 1;
    assert.throws(() => strip(b), ScheduleError);
  });
});

describe('schedule/format: the header', () => {
  it('says a file with another magic is not a pulsewire schedule', () => {
    decodeFails(fromHex('504b0304 14000000 08000000 00000000 00000000'), /^bad schedule file \(not a pulsewire schedule/);
    decodeFails(new TextEncoder().encode('{"format": 1, "scenes": []}'), /not a pulsewire schedule/);
    decodeFails(fromHex('50575301'), /not a pulsewire schedule/);
  });

  it('says a file shorter than the header is truncated', () => {
    decodeFails(new Uint8Array(0), /truncated header/);
    decodeFails(fromHex('50575300 0100'), /^bad schedule file \(at byte 6: truncated header/);
  });

  it('refuses another format version by number, before looking at anything else', () => {
    const b = encode(sample());
    new DataView(b.buffer).setUint16(4, 7, true);
    const e = decodeFails(reseal(b));
    assert.equal(e.message, 'bad schedule file (format version 7, this runtime reads version 1)');
  });

  it('refuses a damaged body by its checksum', () => {
    const b = encode(sample());
    b[100] ^= 0x10;
    assert.equal(decodeFails(b).message, 'bad schedule file (checksum mismatch: the file is damaged)');
    const c = encode(sample());
    c[13] ^= 1; // the stored CRC itself
    decodeFails(c, /checksum mismatch/);
  });

  it('refuses unknown header flags', () => {
    const b = encode(sample());
    b[6] |= 0x04;
    decodeFails(b, /at byte 6: unknown header flags 0x5/);
  });

  it('refuses a debug flag that disagrees with the sections', () => {
    const bare = strip(encode(sample()));
    bare[6] = 1;
    decodeFails(bare, /the header flags say a DEBUG section is present, but there is none/);
    const full = encode(sample());
    full[6] = 0;
    decodeFails(full, /a DEBUG section is present but the header flags say none is/);
  });

  it('refuses a body shorter or longer than the header says', () => {
    const b = encode(sample());
    decodeFails(b.subarray(0, b.length - 1), new RegExp(`truncated file: the header says ${b.length - 16} bytes follow it, ${b.length - 17} do`));
    const longer = new Uint8Array(b.length + 3);
    longer.set(b);
    decodeFails(longer, new RegExp(`at byte ${b.length}: 3 bytes of garbage after the end of the schedule`));
  });

  it('refuses anything that is not a byte array', () => {
    assert.throws(() => decode('PWS' as unknown as Uint8Array), (e: unknown) => e instanceof ScheduleError && /not a byte array/.test(e.message));
    assert.throws(() => decode(null as unknown as Uint8Array), ScheduleError);
  });
});

describe('schedule/format: sections', () => {
  const file = (): Uint8Array => encode(sample());

  it('refuses an unknown section id', () => {
    const b = file();
    const s = section(b, SECTIONS.CODE);
    decodeFails(splice(b, s.start, s.start, [12, 0]), new RegExp(`at byte ${s.start}: unknown section id 12`));
  });

  it('refuses a duplicate section', () => {
    const b = file();
    const s = section(b, SECTIONS.CONSTS);
    const again = Array.from(b.subarray(s.start, s.end));
    decodeFails(splice(b, s.end, s.end, again), new RegExp(`at byte ${s.end}: duplicate section CONSTS`));
    const d = section(b, SECTIONS.DEBUG);
    decodeFails(splice(b, d.end, d.end, b.subarray(d.start, d.end)), /duplicate section DEBUG/);
  });

  it('refuses sections out of order', () => {
    const b = file();
    const k = section(b, SECTIONS.CONSTS);
    const c = section(b, SECTIONS.CONNS);
    const swapped = [...b.subarray(c.start, c.end), ...b.subarray(k.start, k.end)];
    decodeFails(splice(b, k.start, c.end, swapped), /expected section CONSTS, found CONNS \(sections come in a fixed order\)/);
  });

  it('refuses a missing section, in the middle or at the end', () => {
    const b = file();
    const v = section(b, SECTIONS.VARS);
    decodeFails(splice(b, v.start, v.end, []), /expected section VARS, found EVENTS/);
    const bare = strip(b);
    const code = section(bare, SECTIONS.CODE);
    decodeFails(splice(bare, code.start, code.end, []), /missing section CODE/);
    decodeFails(withBody(bare, []), /missing section META/);
  });

  it('refuses a section after DEBUG', () => {
    const b = file();
    const s = section(b, SECTIONS.SCENES);
    decodeFails(splice(b, b.length, b.length, b.subarray(s.start, s.end)), /section SCENES after DEBUG, which must be last/);
  });

  it('refuses bytes left over at the end of a section', () => {
    const b = file();
    const s = section(b, SECTIONS.SCENES);
    const body = [...b.subarray(s.bodyStart, s.end), 0];
    decodeFails(replaceSection(b, SECTIONS.SCENES, body), /1 unexpected bytes at the end of the scene table/);
  });

  it('says which table is truncated, at which byte', () => {
    const b = file();
    const s = section(b, SECTIONS.CONSTS);
    // The constant pool claims one more constant than it holds.
    const body = Array.from(b.subarray(s.bodyStart, s.end));
    body[0] += 1;
    const e = decodeFails(replaceSection(b, SECTIONS.CONSTS, body), /at byte \d+: truncated constant pool/);
    assert.equal(e.offset, s.end);
  });

  it('places a verifier error at the bytes of the offending instruction', () => {
    const b = file();
    const code = section(b, SECTIONS.CODE);
    const at = code.bodyStart + 1 + 17; // JF at pc 17; every word here takes one byte
    assert.equal(b[at], OP.JF);
    assert.equal(b[at + 2], 25);
    const bad = b.slice();
    bad[at + 2] = 26;
    const e = decodeFails(reseal(bad));
    assert.equal(e.message, `bad schedule file (at byte ${at}: pc 17, JF: jump target 26 is not an instruction start)`);
    assert.equal(e.pc, 17);
    assert.equal(e.offset, at);
  });
});

describe('schedule/format: forged lengths and counts never allocate', () => {
  const huge = [2 ** 31, 2 ** 40, 2 ** 53 - 1];

  it('a section length larger than the file', () => {
    const b = file();
    for (const n of huge) {
      const s = section(b, SECTIONS.CONSTS);
      const forged = splice(b, s.start, s.bodyStart, [SECTIONS.CONSTS, ...uvar(n)]);
      decodeFails(forged, new RegExp(`truncated section CONSTS: its length says ${n} bytes`));
    }
  });

  it('a code word count, a constant count, an event count larger than the bytes left', () => {
    const b = file();
    for (const n of huge) {
      decodeFails(replaceSection(b, SECTIONS.CODE, [...uvar(n), 1]), new RegExp(`truncated code: ${n} code words need more than the 1 bytes left`));
      decodeFails(replaceSection(b, SECTIONS.CONSTS, [...uvar(n), 0]), /truncated constant pool: \d+ constants need more/);
      decodeFails(replaceSection(b, SECTIONS.EVENTS, [...uvar(n)]), /truncated event table: \d+ events need more/);
      decodeFails(replaceSection(b, SECTIONS.REGS, [0, ...uvar(n), 0, 0]), /truncated register table: \d+ register initialisers/);
    }
  });

  it('a string length or a Binary length larger than the bytes left', () => {
    const b = file();
    for (const n of huge) {
      decodeFails(replaceSection(b, SECTIONS.SCENES, [1, ...uvar(n), 65]), /truncated scene table: \d+ string bytes need more/);
      decodeFails(replaceSection(b, SECTIONS.CONSTS, [1, 6, ...uvar(n), 1, 2]), /truncated constant pool: \d+ binary bytes need more/);
    }
  });

  it('a varint longer than 8 bytes or larger than 2^53 - 1', () => {
    const b = file();
    decodeFails(replaceSection(b, SECTIONS.SCENES, [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), /scene table: varint longer than 8 bytes/);
    decodeFails(replaceSection(b, SECTIONS.SCENES, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x10]), /varint larger than 2\^53 - 1/);
  });
});

describe('schedule/format: one schedule, one byte string', () => {
  const b = encode(sample());
  const consts = (...items: number[][]): Uint8Array => replaceSection(b, SECTIONS.CONSTS, [...uvar(items.length), ...items.flat()]);
  const f64 = (v: number): number[] => {
    const x = new Uint8Array(8);
    new DataView(x.buffer).setFloat64(0, v, true);
    return Array.from(x);
  };

  it('refuses an overlong varint', () => {
    decodeFails(replaceSection(b, SECTIONS.SCENES, [0x80, 0x00]), /scene table: overlong varint/);
  });

  it('refuses an integer stored as f64', () => {
    decodeFails(consts([4, ...f64(3)]), /constant pool: the integer 3 is stored as f64, not as int/);
  });

  it('refuses a NaN other than the canonical one', () => {
    decodeFails(consts([4, 1, 0, 0, 0, 0, 0, 0xf8, 0x7f]), /a NaN other than the canonical one/);
  });

  it('refuses JSON text that is not canonical, not valid, or not an array/object', () => {
    decodeFails(consts([7, ...str('[1, 2]')]), /constant pool: JSON text is not in canonical form/);
    decodeFails(consts([7, ...str('[1,')]), /constant pool: invalid JSON text/);
    decodeFails(consts([7, ...str('5')]), /JSON text is not an array or an object/);
    decodeFails(consts([7, ...str('[1e999]')]), /not in canonical form/);
  });

  it('refuses deeply nested JSON before parsing it', () => {
    const deep = '['.repeat(100000) + ']'.repeat(100000);
    decodeFails(consts([7, ...str(deep)]), /at byte \d+: constant pool: JSON nested deeper than 256/);
    // 256 levels are fine both ways, 257 neither way.
    const nest = (n: number): Value => (n === 0 ? 0 : [nest(n - 1)]);
    const ok = { ...minimal(), consts: [nest(256)] };
    assert.deepStrictEqual(decode(encode(ok)), ok);
    assert.throws(() => encode({ ...minimal(), consts: [nest(257)] }), /constant k0: nested deeper than 256/);
    const deeper = '['.repeat(257) + '0' + ']'.repeat(257);
    decodeFails(consts([7, ...str(deeper)]), /JSON nested deeper than 256/);
    // Brackets inside strings do not count.
    const tricky = { ...minimal(), consts: [['[[[[\\"{{' + '['.repeat(300)]] };
    assert.deepStrictEqual(decode(encode(tricky)), tricky);
  });

  it('refuses limits or options that are not JSON objects', () => {
    const m = section(b, SECTIONS.META);
    const meta = Array.from(b.subarray(m.bodyStart, m.end));
    const limitsAt = meta.length - str('{"tickBudget":5000,"callDepth":32}').length;
    decodeFails(replaceSection(b, SECTIONS.META, [...meta.slice(0, limitsAt), ...str('[]')]), /metadata: JSON text is not an object/);
    decodeFails(replaceSection(b, SECTIONS.CONNS, [1, 0, ...str('a'), ...str('ws://x'), ...str('null')]), /connection table: JSON text is not an object/);
  });

  it('refuses invalid UTF-8 and keeps a leading BOM', () => {
    decodeFails(replaceSection(b, SECTIONS.SCENES, [1, 2, 0xc3, 0x28]), /scene table: a string is not valid UTF-8/);
    decodeFails(replaceSection(b, SECTIONS.SCENES, [1, 3, 0xed, 0xa0, 0x80]), /not valid UTF-8/); // an encoded surrogate
    const s = { ...minimal(), scenes: ['\ufeffBOM'], meta: { ...minimal().meta, startScene: 0 } };
    assert.deepStrictEqual(decode(encode(s)).scenes, ['\ufeffBOM']);
  });

  it('refuses unknown constant tags, connection kinds and oversized code words', () => {
    decodeFails(consts([8]), /constant pool: unknown constant tag 8/);
    decodeFails(replaceSection(b, SECTIONS.CONNS, [1, 2, ...str('a'), ...str('ws://x'), ...str('{}')]), /connection table: unknown connection kind 2/);
    decodeFails(replaceSection(b, SECTIONS.CODE, [1, ...uvar(2 ** 31)]), /code: word 0 is 2147483648, larger than a code word can be/);
  });
});

function file(): Uint8Array {
  return encode(sample());
}

describe('schedule/format: decode runs the verifier', () => {
  it('a file whose tables disagree is refused with the verifier message', () => {
    // Start scene 5 of 2 scenes: the bytes are well formed, the schedule is not.
    const b = encode(sample());
    const m = section(b, SECTIONS.META);
    const meta = Array.from(b.subarray(m.bodyStart, m.end));
    const startAt = str('Demo').length + 8;
    assert.equal(meta[startAt], 0);
    meta[startAt] = 10; // zigzag 5
    decodeFails(replaceSection(b, SECTIONS.META, meta), /meta: start scene 5 is not a scene \(2 scenes\)/);
  });

  it('verify() accepts what decode() returns', () => {
    verify(decode(encode(sample())));
    assert.equal(OP.RET, 1);
  });
});
