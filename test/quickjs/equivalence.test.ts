// One behaviour, two targets: the same schedule and the same scripted
// events give the same outputs (console lines, variable changes, commands,
// errors), the same variables and the same scheduling answers on the
// in-process VM and in the QuickJS sandbox — including text that C strings
// would cut at U+0000, binary payloads, special numbers, dictionaries whose
// keys look like the boundary's tags, and an inbound queue that overflows.

import { strict as assert } from 'node:assert';
import { Vm } from '../../runtime/vm/index.ts';
import { QuickJsEngine } from '../../bindings/quickjs/engine.ts';
import { loadQuickJs } from '../../bindings/quickjs/module.ts';
import { compileOk, project } from '../helpers/project.ts';
import { echoProject, echoScript, drive, TRICKY_TEXT, type LogEntry } from './fixture.ts';
import type { Schedule } from '../../runtime/schedule/schedule.ts';
import type { Limits } from '../../runtime/limits.ts';
import type { TickEngine } from '../../targets/shared/runner.ts';

const P = '►';

function bothTargets(schedule: Schedule, limits?: Partial<Limits>): { node: TickEngine; quickjs: QuickJsEngine } {
  return { node: new Vm(schedule, { limits }), quickjs: new QuickJsEngine(schedule, { limits, strictDispose: true }) };
}

const connIndex = (s: Schedule) => ({
  Link: s.connections.findIndex((c) => c.name === 'Link'),
  Bus: s.connections.findIndex((c) => c.name === 'Bus'),
});

describe('quickjs: the same outputs as the node target', () => {
  before(() => loadQuickJs());

  it('over a scripted run with tricky text, binary payloads, special numbers, tag-like keys and a queue overflow', () => {
    const schedule = compileOk(echoProject({ queueCapacity: 10, maxStringLength: 1 << 18 }));
    const { node, quickjs } = bothTargets(schedule);
    const script = echoScript(connIndex(schedule));
    const expected = drive(node, script);
    const actual = drive(quickjs, script);
    quickjs.dispose();
    assert.deepStrictEqual(actual, expected);

    // The script really covers what it claims to (so equality above means something).
    const outputs = expected.flatMap((e: LogEntry) => e.outputs ?? []);
    const kinds = new Set(outputs.map((o) => o.kind));
    for (const k of ['console', 'var', 'error', 'ws.start', 'ws.send', 'sio.start', 'sio.emit']) assert.ok(kinds.has(k as never), `no ${k} output`);
    assert.ok(outputs.some((o) => o.kind === 'console' && o.text === TRICKY_TEXT), 'the U+0000 text came through whole');
    assert.ok(outputs.some((o) => o.kind === 'ws.send' && o.data instanceof Uint8Array && o.data.length === 7), 'a binary send');
    assert.ok(outputs.some((o) => o.kind === 'var' && Object.is(o.value, -0)), '-0');
    assert.ok(outputs.some((o) => o.kind === 'var' && o.value === Infinity), 'Infinity');
    assert.ok(outputs.some((o) => o.kind === 'error' && o.code === 'queue_overflow' && /^Link: 2 events dropped/.test(o.message)), 'the overflow, counted');
    assert.ok(outputs.some((o) => o.kind === 'console' && o.text === 'timeout fired'), 'the timer');
    assert.equal(outputs.filter((o) => o.kind === 'error' && o.code === 'json').length, 1, 'the JSON error');
    const accepted = expected.filter((e) => e.accepted).map((e) => e.accepted!.filter(Boolean).length);
    assert.deepEqual(accepted, [2, 8, 10, 2]);
  });

  it('binary payloads come out as independent copies, not views into shared memory', () => {
    const schedule = compileOk(echoProject());
    const { quickjs } = bothTargets(schedule);
    const { Link } = connIndex(schedule);
    quickjs.tick(0);
    quickjs.post({ kind: 'ws.open', conn: Link });
    quickjs.post({ kind: 'ws.message', conn: Link, data: new Uint8Array([1, 2, 3]) });
    const sends = quickjs.tick(10).filter((o) => o.kind === 'ws.send' && o.data instanceof Uint8Array);
    const bytes = quickjs.variables().bytes as Uint8Array;
    quickjs.dispose();
    assert.equal(sends.length, 1);
    const sent = (sends[0] as { data: Uint8Array }).data;
    assert.deepEqual([...sent], [1, 2, 3]);
    assert.equal(sent.byteOffset, 0);
    assert.equal(sent.buffer.byteLength, 3);
    assert.deepEqual([...bytes], [1, 2, 3]);
  });

  it('events left over by a budget-cut tick take room in the host queue, as in the one queue of the node target', () => {
    // Tick 0 runs out of budget in the boot loop; the events posted before it stay queued on both targets.
    const p = project({
      settings: { limits: { tickBudget: 1000, queueCapacity: 3 }, webSocketConnections: [{ Name: 'Link', URL: 'ws://127.0.0.1', Port: 9 }] },
      nodes: [
        { id: 'boot', type: 'On Scene Loaded' },
        { id: 'loop', type: 'For Loop', inputs: { First: 1, Last: 1_000_000 } },
        { id: 'rx', type: 'On WebSocket Receive', attributes: { Configuration: 'Link' } },
        { id: 'say', type: 'Console' },
      ],
      links: [['boot', P, 'loop', P], ['rx', P, 'say', P], ['rx', 'Message', 'say', 'Input']],
    });
    const schedule = compileOk(p);
    const { node, quickjs } = bothTargets(schedule);
    const msg = (t: string) => ({ kind: 'ws.message' as const, conn: 0, data: t });
    const script = [
      { post: [msg('a'), msg('b')] }, { tick: 0 },
      { post: [msg('c'), msg('d'), msg('e')] }, { tick: 10 }, { tick: 20 },
    ];
    const expected = drive(node, script);
    const actual = drive(quickjs, script);
    quickjs.dispose();
    assert.deepStrictEqual(actual, expected);
    assert.deepEqual(expected[2].accepted, [true, false, false]);
  });
});
