// Projects and scripts for the QuickJS tests, and a driver that runs one
// script against any TickEngine and writes down everything observable:
// what post() answered, every output, the variables, hasPendingWork and
// nextDue after each tick. Two targets agree when their logs are equal.

import type { InEvent, Output } from '../../runtime/vm/io.ts';
import type { Value } from '../../runtime/values.ts';
import type { TickEngine } from '../../targets/shared/runner.ts';
import { project } from '../helpers/project.ts';

const P = '►';
const ws = { Configuration: 'Link' };
const sio = { Configuration: 'Bus' };

/** A text frame that a C string would cut short (U+0000), non-ASCII in three UTF-8 widths, an astral character and a lone surrogate. */
export const TRICKY_TEXT = 'héllo\u0000wörld ß ✓ 😀 \ud800 end';
/** A dictionary whose keys look like the boundary's own tags, and a "__proto__" key. */
export const TRICKY_JSON = '{"$b":[0,1],"$$x":1,"__proto__":{"a":1},"n":[1.5,{"$n":"NaN"},null,"\\u0000"],"é":"ü"}';

/**
 * Echo: text frames are logged, stored and sent back upper-cased; binary
 * frames are stored (as Binary, and inside a dictionary) and sent back;
 * Socket.IO events are parsed as JSON, stored, and answered with the JSON
 * re-stringified; the boot sets -0 and Infinity and starts a timeout.
 */
export const echoProject = (limits: object = {}): object => project({
  settings: {
    limits,
    webSocketConnections: [{ Name: 'Link', URL: 'ws://127.0.0.1', Port: 9 }],
    socketIOConnections: [{ Name: 'Bus', URL: 'http://127.0.0.1', Port: 9 }],
  },
  variables: [
    { name: 'text', type: 'String', initial: '' },
    { name: 'bytes', type: 'Binary', initial: '00ff' },
    { name: 'bag', type: 'Any', initial: null },
    { name: 'parsed', type: 'Any', initial: null },
    { name: 'product', type: 'Float', initial: 1 },
  ],
  nodes: [
    { id: 'boot', type: 'On Scene Loaded' },
    { id: 'wsStart', type: 'WebSocket Client Start', attributes: ws },
    { id: 'sioStart', type: 'Socket.IO Start', attributes: sio },
    { id: 'negZero', type: 'Multiply', inputs: { 'Input 0': -1, 'Input 1': 0 } },
    { id: 'setNegZero', type: 'Variable Setter', attributes: { Variable: 'product' } },
    { id: 'inf', type: 'Multiply', inputs: { 'Input 0': 1e308, 'Input 1': 10 } },
    { id: 'setInf', type: 'Variable Setter', attributes: { Variable: 'product' } },
    { id: 'timeout', type: 'Start Timeout', inputs: { Seconds: 0.05 } },
    { id: 'sayTimeout', type: 'Console', inputs: { Input: 'timeout fired' } },

    { id: 'rxText', type: 'On WebSocket Receive', attributes: ws },
    { id: 'sayText', type: 'Console' },
    { id: 'setText', type: 'Variable Setter', attributes: { Variable: 'text' } },
    { id: 'upper', type: 'Upper' },
    { id: 'sendText', type: 'WebSocket Client Send', attributes: ws },

    { id: 'rxBin', type: 'On WebSocket Receive', attributes: { ...ws, 'Is Binary': true } },
    { id: 'setBytes', type: 'Variable Setter', attributes: { Variable: 'bytes' } },
    { id: 'bagOf', type: 'Set Dictionary Element', inputs: { Dictionary: { $kind: 'frame' }, Key: 'data' } },
    { id: 'setBag', type: 'Variable Setter', attributes: { Variable: 'bag' } },
    { id: 'sendBin', type: 'WebSocket Client Send', attributes: { ...ws, 'Is Binary': true } },
    { id: 'sayBin', type: 'Console' },

    { id: 'rxSio', type: 'On Socket.IO Receive', attributes: sio },
    { id: 'sioText', type: 'Format', attributes: { 'Input Count': 3 }, inputs: { Format: '{0} {1} {2}' } },
    { id: 'saySio', type: 'Console', attributes: { Type: 'warning' } },
    { id: 'parse', type: 'JSON Parse' },
    { id: 'setParsed', type: 'Variable Setter', attributes: { Variable: 'parsed' } },
    { id: 'stringify', type: 'JSON Stringify' },
    { id: 'ack', type: 'Socket.IO Send', attributes: sio, inputs: { 'Event Name': 'ack', Namespace: '/dash' } },
  ],
  links: [
    ['boot', P, 'wsStart', P], ['wsStart', P, 'sioStart', P], ['sioStart', P, 'setNegZero', P], ['negZero', 'Output', 'setNegZero', 'Value'],
    ['setNegZero', P, 'setInf', P], ['inf', 'Output', 'setInf', 'Value'], ['setInf', P, 'timeout', P], ['timeout', P, 'sayTimeout', P],

    ['rxText', P, 'sayText', P], ['rxText', 'Message', 'sayText', 'Input'], ['sayText', P, 'setText', P], ['rxText', 'Message', 'setText', 'Value'],
    ['setText', P, 'sendText', P], ['rxText', 'Message', 'upper', 'Input'], ['upper', 'Output', 'sendText', 'Message'],

    ['rxBin', P, 'setBytes', P], ['rxBin', 'Message', 'setBytes', 'Value'], ['setBytes', P, 'setBag', P],
    ['rxBin', 'Message', 'bagOf', 'Value'], ['bagOf', 'Dictionary', 'setBag', 'Value'],
    ['setBag', P, 'sendBin', P], ['rxBin', 'Message', 'sendBin', 'Message'], ['sendBin', P, 'sayBin', P], ['rxBin', 'Message', 'sayBin', 'Input'],

    ['rxSio', P, 'saySio', P], ['rxSio', 'Namespace', 'sioText', 'Input 0'], ['rxSio', 'Trigger Name', 'sioText', 'Input 1'],
    ['rxSio', 'Message', 'sioText', 'Input 2'], ['sioText', 'Output', 'saySio', 'Input'],
    ['saySio', P, 'setParsed', P], ['rxSio', 'Message', 'parse', 'Input'], ['parse', 'Output', 'setParsed', 'Value'],
    ['setParsed', P, 'ack', P], ['parse', 'Output', 'stringify', 'Input'], ['stringify', 'Output', 'ack', 'Message'],
  ],
});

/** A step of a script: events to post, or a tick at a logical time. */
export type Step = { post: InEvent[] } | { tick: number };

/** The echo script: connections come up, tricky text / binary / JSON arrive, the queue overflows, the timeout fires. */
export function echoScript(conn: { Link: number; Bus: number }): Step[] {
  const L = conn.Link;
  const B = conn.Bus;
  return [
    { tick: 0 },
    { post: [{ kind: 'ws.open', conn: L }, { kind: 'sio.open', conn: B }] },
    { tick: 16 },
    {
      post: [
        { kind: 'ws.message', conn: L, data: TRICKY_TEXT },
        { kind: 'ws.message', conn: L, data: new Uint8Array([0, 1, 2, 0xff, 0, 0x80, 0xc3]) },
        { kind: 'ws.message', conn: L, data: new Uint8Array(0) },
        { kind: 'sio.event', conn: B, ns: '/dash', event: 'data', message: TRICKY_JSON },
        // Invalid JSON: the same error on both targets (not the engine's own wording).
        { kind: 'sio.event', conn: B, ns: '/', event: 'data', message: '{"speed": 88.5,' },
        // Nested 150 deep, with binary and tag-like keys at the bottom.
        { kind: 'sio.event', conn: B, ns: '/', event: 'data', message: '['.repeat(150) + TRICKY_JSON + ']'.repeat(150) },
        // Binary arriving where the listener wants text, and text where it wants binary: converted alike.
        { kind: 'ws.message', conn: L, data: new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69, 0xed, 0xa0, 0x80]) },
        // No On WebSocket Error listens: the VM still reports it.
        { kind: 'ws.error', conn: L, code: 'refused', message: 'refused by 127.0.0.1:9 \u0000' },
      ],
    },
    { tick: 32 },
    { post: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((i): InEvent => ({ kind: 'ws.message', conn: L, data: `m${i}` })) },
    { tick: 48 },
    { tick: 100 },
    { post: [{ kind: 'ws.close', conn: L, code: 1006, reason: 'gone', by: 'fault' }, { kind: 'sio.close', conn: B, reason: 'io server disconnect', by: 'server' }] },
    { tick: 116 },
  ];
}

export interface LogEntry {
  tick?: number;
  accepted?: boolean[];
  outputs?: Output[];
  variables?: Record<string, Value>;
  pending?: boolean;
  nextDue?: number;
}

export function drive(engine: TickEngine, script: Step[]): LogEntry[] {
  const log: LogEntry[] = [];
  for (const s of script) {
    if ('post' in s) {
      log.push({ accepted: s.post.map((ev) => engine.post(ev)) });
    } else {
      const outputs = engine.tick(s.tick);
      log.push({ tick: s.tick, outputs, variables: engine.variables(), pending: engine.hasPendingWork(), nextDue: engine.nextDue() });
    }
  }
  return log;
}
