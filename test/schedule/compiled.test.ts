// The format against real compiler output: the example project compiles to
// a schedule the verifier accepts, that survives the file byte for byte.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compile } from '../../runtime/compiler/index.ts';
import { encode, decode, verify, strip, disassemble } from '../../runtime/schedule/index.ts';

describe('schedule/format: compiler output', () => {
  it('the telemetry example verifies, round-trips, and strips', () => {
    const text = readFileSync(new URL('../../examples/telemetry/project.json', import.meta.url), 'utf8');
    const r = compile(text, { file: 'project.json' });
    assert.ok(r.ok, 'the example compiles');
    verify(r.schedule);
    const bytes = encode(r.schedule);
    assert.deepStrictEqual(decode(bytes), r.schedule);
    assert.deepStrictEqual(encode(r.schedule), bytes, 'same schedule, same bytes');
    assert.deepStrictEqual(decode(strip(bytes)), strip(r.schedule));
    assert.equal(disassemble(decode(bytes)), disassemble(r.schedule));
  });
});
