// decode() against damaged and hostile bytes. The oracle, for every input:
// either a ScheduleError (never anything else, never a hang), or a schedule
// that encodes back to exactly the input bytes (the format is canonical, so
// a mutation that still decodes must be a different valid file, not a
// misread one).

import assert from 'node:assert/strict';
import { encode, decode, ScheduleError } from '../../runtime/schedule/index.ts';
import { SeededRandom } from '../../runtime/random.ts';
import { sample, minimal } from './fixture.ts';
import { reseal, toHex } from './helpers.ts';

type Outcome = 'error' | 'decoded';

function check(bytes: Uint8Array, what: string): Outcome {
  let s;
  try {
    s = decode(bytes);
  } catch (e) {
    if (!(e instanceof ScheduleError)) assert.fail(`${what}: threw ${String(e)} instead of a ScheduleError`);
    if (/internal error/.test(e.message)) assert.fail(`${what}: ${e.message}`);
    return 'error';
  }
  const again = encode(s, { debug: s.debug !== undefined });
  assert.equal(toHex(again), toHex(bytes), `${what}: decoded, but does not encode back to the same bytes`);
  return 'decoded';
}

describe('schedule/format: decode on damaged bytes', () => {
  const file = encode(sample());

  it('refuses the file truncated at every length', () => {
    for (let n = 0; n < file.length; n++) assert.equal(check(file.subarray(0, n), `truncated to ${n}`), 'error');
  });

  it('refuses every single bit flip (the checksum or a header check catches it)', () => {
    for (let i = 0; i < file.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const b = file.slice();
        b[i] ^= 1 << bit;
        assert.equal(check(b, `bit ${bit} of byte ${i} flipped`), 'error');
      }
    }
  });

  it('survives every single bit flip behind a re-sealed header (the parser and verifier see it)', () => {
    const counts = { error: 0, decoded: 0 };
    for (let i = 16; i < file.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const b = file.slice();
        b[i] ^= 1 << bit;
        counts[check(reseal(b), `bit ${bit} of byte ${i} flipped, re-sealed`)]++;
      }
    }
    // Flips inside names, URLs and numbers give another valid schedule (checked
    // to re-encode to the same bytes); flips in structure are refused.
    assert.ok(counts.error > 0 && counts.decoded > 0, JSON.stringify(counts));
  });

  it('survives 2000 seeded random mutations, raw and re-sealed', () => {
    const rnd = new SeededRandom(0x5eed);
    const int = (n: number): number => Math.floor(rnd.next() * n);
    const seeds = [file, encode(sample(), { debug: false }), encode(minimal())];
    const interesting = [0x00, 0x01, 0x7f, 0x80, 0xff];
    const counts = { error: 0, decoded: 0 };
    for (let round = 0; round < 2000; round++) {
      let b = Array.from(seeds[int(seeds.length)]);
      const ops = 1 + int(4);
      for (let k = 0; k < ops; k++) {
        const at = int(b.length);
        switch (int(6)) {
          case 0: b[at] ^= 1 << int(8); break; //                                    flip a bit
          case 1: b[at] = int(256); break; //                                        random byte
          case 2: b[at] = interesting[int(interesting.length)]; break; //             edge byte
          case 3: b.splice(at, 1 + int(4)); break; //                                delete a few
          case 4: b.splice(at, 0, ...Array.from({ length: 1 + int(4) }, () => int(256))); break; // insert
          case 5: b.splice(at, 0, ...b.slice(int(b.length), int(b.length) + 8)); break; // duplicate a run
        }
      }
      const bytes = Uint8Array.from(b);
      // Half the time past the checksum, so the section parser and the verifier are the ones tested.
      const input = round % 2 === 0 && bytes.length >= 16 ? reseal(bytes) : bytes;
      counts[check(input, `mutation round ${round}`)]++;
    }
    assert.equal(counts.error + counts.decoded, 2000);
    assert.ok(counts.error > 1500, `only ${counts.error} of 2000 mutants refused`);
  });
});
