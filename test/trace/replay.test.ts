// Recording and replaying without a network, on every target: a scripted
// transport stands in for the bindings, so each case controls exactly which
// events arrive between which ticks. The live case (real back ends, the
// CLI) is live.test.ts.

import { strict as assert } from 'node:assert';
import type { Transport, TransportContext } from '../../bindings/types.ts';
import type { InEvent } from '../../runtime/vm/io.ts';
import type { Schedule } from '../../runtime/schedule/schedule.ts';
import type { Limits } from '../../runtime/limits.ts';
import { scheduleChecksum, TRACE_FORMAT, TRACE_VERSION } from '../../runtime/vm/trace.ts';
import { replay } from '../../bindings/replay/index.ts';
import { TraceRecorder } from '../../targets/shared/recorder.ts';
import type { TickEngine } from '../../targets/shared/runner.ts';
import { createRuntime, loadRuntime, TARGETS, type TargetName } from '../../targets/runtime.ts';
import { compileOk, project } from '../helpers/project.ts';

const cfg = { Configuration: 'Link' };

/** Echo: every message is logged and sent back; a Send refused at once by the transport comes back as an error. */
const ECHO = project({
  settings: { webSocketConnections: [{ Name: 'Link', URL: 'ws://127.0.0.1', Port: 1, reconnect: { enabled: false } }] },
  variables: [{ name: 'last', type: 'String', initial: '' }],
  nodes: [
    { id: 'boot', type: 'On Scene Loaded' },
    { id: 'start', type: 'WebSocket Client Start', attributes: cfg },
    { id: 'onMsg', type: 'On WebSocket Receive', attributes: cfg },
    { id: 'set', type: 'Variable Setter', attributes: { Variable: 'last' } },
    { id: 'echo', type: 'WebSocket Client Send', attributes: cfg },
    { id: 'say', type: 'Console' },
    { id: 'onErr', type: 'On WebSocket Error', attributes: cfg },
    { id: 'sayErr', type: 'Console', attributes: { Type: 'error' } },
  ],
  links: [
    ['boot', '►', 'start', '►'],
    ['onMsg', '►', 'set', '►'], ['onMsg', 'Message', 'set', 'Value'],
    ['set', '►', 'echo', '►'], ['onMsg', 'Message', 'echo', 'Message'],
    ['echo', '►', 'say', '►'], ['onMsg', 'Message', 'say', 'Input'],
    ['onErr', '►', 'sayErr', '►'], ['onErr', 'Message', 'sayErr', 'Input'],
  ],
});

/** A transport whose Sends of "refuse" are refused at once (an event queued during command handling). */
function scripted(): { factory: (ctx: TransportContext) => Transport; post(ev: InEvent): void } {
  let ctx: TransportContext | undefined;
  return {
    factory(c) {
      ctx = c;
      return {
        handle(cmd) {
          if (cmd.kind === 'ws.start') c.sink.post({ kind: 'ws.open', conn: cmd.conn });
          if (cmd.kind === 'ws.send' && cmd.data === 'refuse') c.sink.post({ kind: 'ws.error', conn: cmd.conn, code: 'not_open', message: 'refused at once' });
        },
        advance() {},
        nextDeadline: () => undefined,
        close: async () => {},
      };
    },
    post: (ev) => ctx!.sink.post(ev),
  };
}

/** Runs `script` (events to queue before each tick) on a stepped runtime and returns the trace's lines. */
function record(schedule: Schedule, target: TargetName, script: InEvent[][], limits?: Partial<Limits>): string[] {
  const lines: string[] = [];
  const header = { format: TRACE_FORMAT, version: TRACE_VERSION, schedule: scheduleChecksum(schedule), project: 'test', tickRateHz: 60, mode: 'stepped', target, ...(limits ? { limits } : {}) } as const;
  const rec = new TraceRecorder(header, { write: (l) => lines.push(l) });
  const t = scripted();
  const { runner } = createRuntime(schedule, { target, mode: 'stepped', limits, transports: { ws: t.factory }, ...rec.hooks() });
  for (const evs of script) {
    for (const ev of evs) t.post(ev);
    runner.step();
  }
  void runner.stop();
  return lines;
}

function replayOn(schedule: Schedule, target: TargetName, lines: string[]) {
  let engine: TickEngine | undefined;
  try {
    return replay({
      lines,
      checksum: scheduleChecksum(schedule),
      engine: (h) => (engine = createRuntime(schedule, { target, mode: 'stepped', transports: {}, limits: h.limits }).engine),
    });
  } finally {
    engine?.dispose?.(); // a QuickJS sandbox holds wasm memory until disposed
  }
}

const msg = (data: string | Uint8Array): InEvent => ({ kind: 'ws.message', conn: 0, data });

describe('record and replay without a network', () => {
  const schedule = compileOk(ECHO);
  before(() => loadRuntime(schedule, { target: 'quickjs', transports: {} }));

  for (const target of TARGETS) {
    describe(`recorded on ${target}`, () => {
      const script = [[], [], [msg('a'), msg('refuse')], [msg(Uint8Array.from([0xc3, 0xa9]))], [], [msg('b')]];
      let lines: string[];
      before(() => (lines = record(schedule, target, script)));

      it('puts an event queued while a tick\'s commands are handled into the next tick', () => {
        const ticks = lines.slice(1).map((l) => JSON.parse(l));
        // tick 0 starts the connection; the open the transport queued while handling it is tick 1's.
        assert.deepEqual(ticks[0].events, undefined);
        assert.deepEqual(ticks[1].events, [{ kind: 'ws.open', conn: 0 }]);
        // tick 2 takes the two messages; the refusal of the second echo, queued while tick 2's
        // commands were handled, comes before the message the test queued after tick 2.
        assert.deepEqual(ticks[2].events.map((e: { data: string }) => e.data), ['a', 'refuse']);
        assert.deepEqual(ticks[3].events, [
          { kind: 'ws.error', code: 'not_open', conn: 0, message: 'refused at once' },
          { kind: 'ws.message', conn: 0, data: { $bytes: 'w6k=' } },
        ]);
      });

      for (const on of TARGETS) {
        it(`replays identically on ${on}`, () => {
          const r = replayOn(schedule, on, lines);
          assert.ok(r.ok, r.ok ? '' : r.message);
          assert.equal(r.ticks, script.length);
          assert.equal(r.events, 6);
        });
      }
    });
  }

  it('a tampered payload is reported at its tick, with what was expected and what came out', () => {
    const lines = record(schedule, 'node', [[], [], [msg('a')], [], [msg('speed 10')], []]);
    const tampered = lines.map((l) => l.replace('"data":"speed 10"', '"data":"speed 11"'));
    assert.notDeepEqual(tampered, lines);
    for (const on of TARGETS) {
      const r = replayOn(schedule, on, tampered);
      assert.ok(!r.ok && r.kind === 'diverged', on);
      assert.equal(r.divergence.tick, 4);
      assert.equal(r.divergence.what, 'output 0');
      assert.equal(r.divergence.expected, '{"kind":"var","name":"last","value":"speed 10"}');
      assert.equal(r.divergence.actual, '{"kind":"var","name":"last","value":"speed 11"}');
      assert.match(r.message, /^diverges at tick 4 \(t=66\.6\d* ms\), output 0:\n {2}expected: .*speed 10.*\n {2}actual: {3}.*speed 11/);
    }
  });

  it('a missing or an extra output is a divergence too', () => {
    const lines = record(schedule, 'node', [[], [], [msg('a')]]);
    const fewer = lines.map((l, i) => (i === 3 ? JSON.stringify({ ...JSON.parse(l), outputs: JSON.parse(l).outputs.slice(0, 1) }) : l));
    const r = replayOn(schedule, 'node', fewer);
    assert.ok(!r.ok && r.kind === 'diverged');
    assert.equal(r.divergence.tick, 2);
    assert.equal(r.divergence.expected, '(nothing)');
  });

  it('a full queue refuses the same events on replay, and reports the drop the same way', () => {
    const limits = { queueCapacity: 2 };
    const lines = record(schedule, 'node', [[], [], [msg('1'), msg('2'), msg('3'), msg('4')], []], limits);
    const t2 = JSON.parse(lines[3]);
    assert.deepEqual(t2.events.map((e: { dropped?: boolean }) => e.dropped ?? false), [false, false, true, true]);
    assert.ok(t2.outputs.some((o: { code?: string }) => o.code === 'queue_overflow'));
    for (const on of TARGETS) {
      const r = replayOn(schedule, on, lines);
      assert.ok(r.ok, r.ok ? '' : r.message);
    }
    // Replayed with room in the queue (the header's limits removed), the dropped event is accepted: a divergence.
    const roomy = [JSON.stringify({ ...JSON.parse(lines[0]), limits: undefined }), ...lines.slice(1)];
    const r = replayOn(schedule, 'node', roomy);
    assert.ok(!r.ok && r.kind === 'diverged');
    assert.equal(r.divergence.what, 'event 2 (ws.message)');
    assert.equal(r.divergence.expected, 'refused (queue full)');
  });

  it('refuses a trace of another schedule, naming both', () => {
    const lines = record(schedule, 'node', [[], []]);
    const other = compileOk({ ...ECHO, name: 'other' });
    const r = replayOn(other, 'node', lines);
    assert.ok(!r.ok && r.kind === 'other-schedule');
    assert.match(r.message, new RegExp(`recorded with another schedule: schedule ${scheduleChecksum(schedule)} \\(project "test"\\), not ${scheduleChecksum(other)}`));
  });

  it('names the line of a malformed trace: bad JSON, a gap in the ticks, time going back, an empty trace', () => {
    const lines = record(schedule, 'node', [[], [], [msg('a')], []]);
    const cases: Array<[string[], number, RegExp]> = [
      [[...lines.slice(0, 3), '{"tick":2,', ...lines.slice(4)], 4, /not valid JSON/],
      [[lines[0], lines[1], lines[3]], 3, /tick 2 where tick 1 was expected/],
      [[lines[0], lines[1], lines[2].replace(/"time":[\d.]+/, '"time":-5')], 3, /before the previous tick/],
      [[lines[0], '', lines[1]], 2, /empty line inside the trace/],
      [['{"format":"nope"}'], 1, /not a pulsewire trace/],
      [[], 1, /the trace is empty/],
    ];
    for (const [ls, line, re] of cases) {
      const r = replayOn(schedule, 'node', ls);
      assert.ok(!r.ok && r.kind === 'malformed', re.source);
      assert.equal(r.line, line, re.source);
      assert.match(r.message, re);
    }
    assert.ok(replayOn(schedule, 'node', [...lines, '']).ok, 'a trailing newline is fine');
  });
});
