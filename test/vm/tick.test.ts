// The tick semantics (docs/ARCHITECTURE.md), as issue 2 states them: ordering of
// chains and timers, the per-tick budget, and the bounded inbound queue.

import { strict as assert } from 'node:assert';
import { project, run } from '../helpers/project.ts';

describe('the tick', () => {
  it('Sequential with a Start Timeout before the first Console: Two, Three, then One in the first tick whose time reaches the delay', () => {
    const h = run(project({
      nodes: [
        { id: 'boot', type: 'On Scene Loaded' },
        { id: 'seq', type: 'Sequential', attributes: { 'Pulse Count': 3 } },
        { id: 'wait', type: 'Start Timeout', inputs: { Seconds: 0.25 } },
        { id: 'one', type: 'Console', inputs: { Input: 'One' } },
        { id: 'two', type: 'Console', inputs: { Input: 'Two' } },
        { id: 'three', type: 'Console', inputs: { Input: 'Three' } },
      ],
      links: [
        ['boot', '►', 'seq', '►'], ['seq', 'Pulse 0', 'wait', '►'], ['wait', '►', 'one', '►'],
        ['seq', 'Pulse 1', 'two', '►'], ['seq', 'Pulse 2', 'three', '►'],
      ],
    }));
    const byTick = [0, 100, 200, 249, 250, 300, 400].map((t) => h.tick(t).flatMap((o) => (o.kind === 'console' ? [o.text] : [])));
    assert.deepEqual(byTick, [['Two', 'Three'], [], [], [], ['One'], [], []]);
  });

  it('a budget overrun stops that chain with an error naming the node; work the tick had not reached waits for the next tick, which runs normally', () => {
    const h = run(project({
      settings: { limits: { tickBudget: 5_000 }, webSocketConnections: [{ Name: 'L', URL: 'ws://127.0.0.1', Port: 9 }] },
      nodes: [
        { id: 'boot', type: 'On Scene Loaded' },
        { id: 'spin', type: 'For Loop', inputs: { First: 1, Last: 1_000_000_000 } },
        { id: 'count', type: 'Console', inputs: { Input: 'body' } },
        { id: 'onMsg', type: 'On WebSocket Receive', attributes: { Configuration: 'L' } },
        { id: 'echo', type: 'Console' },
      ],
      links: [['boot', '►', 'spin', '►'], ['spin', 'Loop Body', 'count', '►'], ['onMsg', '►', 'echo', '►'], ['onMsg', 'Message', 'echo', 'Input']],
    }), { outputsPerTick: 100_000 });
    h.post({ kind: 'ws.message', conn: 0, data: 'queued behind the runaway loop' });
    const first = h.tick(0);
    const errors = first.filter((o) => o.kind === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].kind === 'error' && errors[0].code, 'budget');
    assert.match(errors[0].kind === 'error' ? errors[0].message : '', /^Project\/(spin|count): /);
    // The event waits for the next tick instead of being lost; that tick runs normally.
    const second = h.tick(16);
    assert.deepEqual(second, [{ kind: 'console', level: 'info', text: 'queued behind the runaway loop' }]);
    assert.deepEqual(h.tick(32), []);
  });

  it('queue overflow is reported as an error event with the count of dropped events, and the queued ones are delivered', () => {
    const h = run(project({
      settings: { limits: { queueCapacity: 3 }, webSocketConnections: [{ Name: 'L', URL: 'ws://127.0.0.1', Port: 9 }] },
      nodes: [
        { id: 'onMsg', type: 'On WebSocket Receive', attributes: { Configuration: 'L' } },
        { id: 'say', type: 'Console' },
        { id: 'onErr', type: 'On WebSocket Error', attributes: { Configuration: 'L' } },
        { id: 'text', type: 'Format', attributes: { 'Input Count': 2 }, inputs: { Format: '{0}: {1}' } },
        { id: 'warn', type: 'Console', attributes: { Type: 'warning' } },
      ],
      links: [
        ['onMsg', '►', 'say', '►'], ['onMsg', 'Message', 'say', 'Input'],
        ['onErr', '►', 'warn', '►'], ['onErr', 'Code', 'text', 'Input 0'], ['onErr', 'Message', 'text', 'Input 1'], ['text', 'Output', 'warn', 'Input'],
      ],
    }));
    h.tick(0);
    const accepted = [1, 2, 3, 4, 5, 6, 7].map((i) => h.post({ kind: 'ws.message', conn: 0, data: `m${i}` }));
    assert.deepEqual(accepted, [true, true, true, false, false, false, false]);
    const out = h.tick(16);
    assert.deepEqual(h.console(), ['m1', 'm2', 'm3', 'queue_overflow: 4 events dropped: the inbound queue (capacity 3) was full']);
    assert.ok(out.some((o) => o.kind === 'error' && o.code === 'queue_overflow' && /4 events dropped/.test(o.message)), 'the host sees it too');
    h.tick(32);
    assert.equal(h.console().length, 4, 'reported once');
  });
});
