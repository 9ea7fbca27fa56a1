// The trace format (runtime/vm/trace.ts): values that JSON cannot hold
// survive a round trip, every line is checked with its number in the
// message, and the schedule checksum names the graph, not its addresses.

import { strict as assert } from 'node:assert';
import {
  encodeValue, decodeValue, toBase64, fromBase64, encodeTick, parseTick, parseHeader, encodeHeader,
  outputText, scheduleChecksum, TraceError, TRACE_FORMAT, TRACE_VERSION, type TickRecord,
} from '../../runtime/vm/trace.ts';
import type { Value } from '../../runtime/values.ts';
import { overrideConnections } from '../../targets/shared/load.ts';
import { compileOk, project } from '../helpers/project.ts';

const HEADER = { format: TRACE_FORMAT, version: TRACE_VERSION, schedule: '0badc0de', project: 'p', tickRateHz: 60, mode: 'fixed', target: 'node' } as const;

describe('trace format', () => {
  it('base64 agrees with Buffer for every length and byte value', () => {
    for (let n = 0; n < 70; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n * 11) & 255);
      const s = toBase64(b);
      assert.equal(s, Buffer.from(b).toString('base64'), `length ${n}`);
      assert.deepEqual(fromBase64(s), b);
    }
    for (const bad of ['abc', 'ab=c', '====', 'a*==']) assert.throws(() => fromBase64(bad), /base64/);
  });

  it('round-trips bytes, odd numbers and objects that look like markers', () => {
    const values: Value[] = [
      Uint8Array.from([0, 1, 255]), NaN, Infinity, -Infinity, -0, 0, 1.5, 'text', null, true,
      { $bytes: 'not bytes' }, { $obj: 1 }, { a: [Uint8Array.from([7]), { b: NaN }] }, { $x: 1, y: 2 },
    ];
    for (const v of values) {
      const text = JSON.stringify(encodeValue(v));
      assert.deepStrictEqual(decodeValue(JSON.parse(text)), v, text); // strict: NaN is NaN, -0 is not 0
    }
    assert.deepEqual(encodeValue(Uint8Array.from([1, 2, 255])), { $bytes: 'AQL/' });
    assert.deepEqual(encodeValue({ $bytes: 'x' }), { $obj: { $bytes: 'x' } });
    assert.throws(() => decodeValue({ $nope: 1 }), /bad marker/);
  });

  it('writes a record with kind first and the other fields sorted, whatever the object order', () => {
    assert.equal(outputText({ text: 'hi', level: 'info', kind: 'console' }), '{"kind":"console","level":"info","text":"hi"}');
    assert.equal(outputText({ kind: 'error', code: 'json', message: 'm', node: undefined }), '{"kind":"error","code":"json","message":"m"}');
  });

  it('a tick survives encode and parse, refused events keep only kind and connection', () => {
    const r: TickRecord = {
      tick: 3,
      time: 50,
      events: [
        { ev: { kind: 'ws.message', conn: 0, data: Uint8Array.from([9, 8]) }, accepted: true },
        { ev: { kind: 'ws.close', conn: 0, code: 1001, reason: 'bye', by: 'server' }, accepted: true },
        { ev: { kind: 'sio.event', conn: 1, ns: '/', event: 'e', message: 'secret payload' }, accepted: false },
      ],
      outputs: [{ kind: 'ws.send', conn: 0, data: 'x' }, { kind: 'var', name: 'v', value: NaN }],
    };
    const line = encodeTick(r);
    assert.doesNotMatch(line, /secret payload/);
    const back = parseTick(line, 5);
    assert.equal(back.tick, 3);
    assert.equal(back.time, 50);
    assert.deepEqual(back.events.slice(0, 2), r.events.slice(0, 2));
    assert.deepEqual({ kind: back.events[2].ev.kind, conn: back.events[2].ev.conn, accepted: back.events[2].accepted }, { kind: 'sio.event', conn: 1, accepted: false });
    assert.deepEqual(back.outputs.map(outputText), r.outputs.map(outputText));
    assert.equal(encodeTick({ tick: 0, time: 0, events: [], outputs: [] }), '{"tick":0,"time":0}');
  });

  it('refuses malformed lines with the line number and the reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"tick":1,"time":0', /line 7: not valid JSON.*cut off/],
      ['[1]', /line 7: a trace line must be a JSON object/],
      ['{"tick":-1,"time":0}', /"tick" must be a whole number/],
      ['{"tick":1,"time":"x"}', /"time" must be a number/],
      ['{"tick":1,"time":0,"events":{}}', /"events" must be a list/],
      ['{"tick":1,"time":0,"events":[{"kind":"ws.nope","conn":0}]}', /event 0: unknown kind "ws.nope"/],
      ['{"tick":1,"time":0,"events":[{"kind":"ws.message","conn":0,"data":5}]}', /event 0: "data" must be text/],
      ['{"tick":1,"time":0,"events":[{"kind":"ws.close","conn":0,"code":1000,"reason":"","by":"me"}]}', /"by" must be/],
      ['{"tick":1,"time":0,"events":[{"kind":"ws.open","conn":-2}]}', /"conn" must be a whole number/],
      ['{"tick":1,"time":0,"outputs":[3]}', /output 0 must be an object with a "kind"/],
    ];
    for (const [text, re] of cases) {
      assert.throws(() => parseTick(text, 7), (e: unknown) => e instanceof TraceError && e.line === 7 && re.test(e.message), text);
    }
  });

  it('checks the header: format, version, fields', () => {
    assert.deepEqual(parseHeader(encodeHeader(HEADER)), HEADER);
    assert.throws(() => parseHeader('{"format":"other"}'), /not a pulsewire trace/);
    assert.throws(() => parseHeader(JSON.stringify({ ...HEADER, version: 2 })), /version 2 is not supported/);
    assert.throws(() => parseHeader(JSON.stringify({ ...HEADER, tickRateHz: 0 })), /tickRateHz/);
    assert.throws(() => parseHeader(JSON.stringify({ ...HEADER, schedule: 1 })), /"schedule" must be a string/);
  });

  it('the schedule checksum ignores connection addresses and sees every change to the graph', () => {
    const p = (limit: number) =>
      project({
        settings: { webSocketConnections: [{ Name: 'L', URL: 'ws://127.0.0.1', Port: 1 }] },
        nodes: [{ id: 'boot', type: 'On Scene Loaded' }, { id: 'say', type: 'Console', inputs: { Input: `limit ${limit}` } }],
        links: [['boot', '►', 'say', '►']],
      });
    const a = compileOk(p(1));
    assert.match(scheduleChecksum(a), /^[0-9a-f]{8}$/);
    assert.equal(scheduleChecksum(overrideConnections(a, { L: 'ws://127.0.0.1:4567/x?token=t' })), scheduleChecksum(a));
    assert.notEqual(scheduleChecksum(compileOk(p(2))), scheduleChecksum(a));
  });
});
