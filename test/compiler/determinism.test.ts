// Reproducible builds: the same project in gives the same schedule bytes
// out, whatever the run, and whatever the key order of connection options.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compile } from '../../runtime/compiler/index.ts';
import { encode } from '../../runtime/schedule/index.ts';
import { project, compileOk } from '../helpers/project.ts';
import type { NodeDecl, LinkDecl, ScopeDecl, ConnectionSettings } from '../../runtime/project/model.ts';

const P = '►';
const bytesOf = (p: unknown): Uint8Array => {
  const r = compile(p);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return encode(r.schedule);
};

/** A big project exercising most node families: scenes with chains, a function, custom events, timers, variables. */
function generated(scenes: number, perScene: number): object {
  const scopes: ScopeDecl[] = [];
  for (let s = 0; s < scenes; s++) {
    const nodes: NodeDecl[] = [{ id: 'loaded', type: 'On Scene Loaded' }];
    const links: LinkDecl[] = [];
    let prev = 'loaded';
    for (let i = 0; i < perScene; i++) {
      const id = `n${i}`;
      switch (i % 6) {
        case 0: nodes.push({ id, type: 'Console', attributes: { Type: ['info', 'warning', 'error'][i % 3] }, inputs: { Input: `scene ${s} step ${i}` } }); break;
        case 1: nodes.push({ id, type: 'Variable Setter', attributes: { Variable: 'count' }, inputs: { Value: i } }); break;
        case 2: {
          nodes.push({ id: `${id}a`, type: 'Add', attributes: { 'Input Count': 3 }, inputs: { 'Input 0': s, 'Input 1': i, 'Input 2': 0.5 } });
          nodes.push({ id, type: 'Console' });
          links.push({ from: [`${id}a`, 'Output'], to: [id, 'Input'] });
          break;
        }
        case 3: nodes.push({ id, type: 'Function', attributes: { Function: 'Twice' }, inputs: { x: i } }); break;
        case 4: nodes.push({ id, type: 'Event Trigger', attributes: { Event: `ev${s % 4}`, Parameters: ['String'] }, inputs: { 'Parameter 0': `from ${s}` } }); break;
        case 5: nodes.push({ id, type: 'Start Timeout', inputs: { Seconds: (i % 7) / 10 } }); break;
      }
      links.push({ from: [prev, P], to: [id, P] });
      prev = id;
    }
    nodes.push({ id: 'listen', type: 'Event Listener', attributes: { Event: `ev${s % 4}`, Parameters: ['String'] } }, { id: 'show', type: 'Console' });
    links.push({ from: ['listen', P], to: ['show', P] }, { from: ['listen', 'Parameter 0'], to: ['show', 'Input'] });
    scopes.push({ kind: 'Scene', name: `Scene${s}`, variables: [{ name: 'local', type: 'Float', initial: s }], nodes, links });
  }
  scopes.push({
    kind: 'Function', name: 'Twice', parameters: [{ name: 'x', type: 'Int' }], results: [{ name: 'y', type: 'Int' }],
    nodes: [{ id: 'in', type: 'Function Input' }, { id: 'm', type: 'Multiply', inputs: { 'Input 1': 2 } }, { id: 'out', type: 'Function Output' }],
    links: [{ from: ['in', P], to: ['out', P] }, { from: ['in', 'x'], to: ['m', 'Input 0'] }, { from: ['m', 'Output'], to: ['out', 'y'] }],
  });
  const p = project({
    variables: [{ name: 'count', type: 'Int' }],
    settings: { webSocketConnections: [{ Name: 'Link', URL: 'ws://127.0.0.1', Port: 9000 }] },
    nodes: [
      { id: 'rx', type: 'On WebSocket Receive', attributes: { Configuration: 'Link' } }, { id: 'parse', type: 'JSON Parse' },
      { id: 'get', type: 'Get Dictionary Element', inputs: { Key: 'scene' } }, { id: 'show', type: 'Console' },
    ],
    links: [['rx', P, 'show', P], ['rx', 'Message', 'parse', 'Input'], ['parse', 'Output', 'get', 'Dictionary'], ['get', 'Value', 'show', 'Input']],
    scopes,
  });
  return p;
}

describe('compiler/determinism', () => {
  it('the telemetry example compiles to the same bytes twice, from text or from the parsed object', () => {
    const text = readFileSync(new URL('../../examples/telemetry/project.json', import.meta.url), 'utf8');
    const a = bytesOf(text);
    assert.deepEqual(bytesOf(text), a);
    assert.deepEqual(bytesOf(JSON.parse(text)), a);
  });

  it('a large generated project compiles to the same bytes twice (and from a deep copy)', () => {
    const p = generated(30, 50);
    const a = bytesOf(p);
    assert.ok(a.length > 20_000, `a big schedule (${a.length} bytes)`);
    assert.deepEqual(bytesOf(p), a);
    assert.deepEqual(bytesOf(JSON.parse(JSON.stringify(p))), a);
    assert.equal(compileOk(p).scenes.length, 30);
  });

  it('key order in connection options does not change the bytes', () => {
    const conn = (reversed: boolean): ConnectionSettings => {
      const c: ConnectionSettings = reversed
        ? {
          maxMessageBytes: 4096, sendWhileClosed: 'queue', heartbeat: { timeoutMs: 3000, intervalMs: 5000 },
          reconnect: { maxAttempts: 5, factor: 2, maxDelayMs: 30000, initialDelayMs: 500, enabled: true },
          headers: { 'X-Vehicle': 'car-7', Authorization: { env: 'TOKEN' } }, Port: 8080, URL: 'ws://127.0.0.1', Name: 'Link',
        }
        : {
          Name: 'Link', URL: 'ws://127.0.0.1', Port: 8080, headers: { Authorization: { env: 'TOKEN' }, 'X-Vehicle': 'car-7' },
          reconnect: { enabled: true, initialDelayMs: 500, maxDelayMs: 30000, factor: 2, maxAttempts: 5 },
          heartbeat: { intervalMs: 5000, timeoutMs: 3000 }, sendWhileClosed: 'queue', maxMessageBytes: 4096,
        };
      return c;
    };
    const p = (reversed: boolean) => project({
      settings: { webSocketConnections: [conn(reversed)] },
      nodes: [{ id: 'rx', type: 'On WebSocket Receive', attributes: { Configuration: 'Link' } }, { id: 'show', type: 'Console' }],
      links: [['rx', P, 'show', P], ['rx', 'Message', 'show', 'Input']],
    });
    assert.deepEqual(bytesOf(p(true)), bytesOf(p(false)));
  });

  it('a different project gives different bytes (the comparison can fail)', () => {
    const p = (text: string) => project({ nodes: [{ id: 'boot', type: 'On Scene Loaded' }, { id: 'c', type: 'Console', inputs: { Input: text } }], links: [['boot', P, 'c', P]] });
    assert.notDeepEqual(bytesOf(p('a')), bytesOf(p('b')));
  });
});
