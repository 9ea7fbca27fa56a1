// The issue's own scenario, through the CLI: record a live run of the demo
// against its real back ends (WebSocket telemetry, Socket.IO alerts) on
// each target, replay the trace on every target with no network —
// identical; a tampered payload is reported at its tick; a trace of another
// schedule and a malformed line are refused with clear messages.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TARGETS } from '../../targets/runtime.ts';
import { startTelemetryServer, type TelemetryServer } from '../../examples/telemetry/backend.ts';
import { startAlertServer, type AlertServer } from '../../examples/telemetry/alerts.ts';
import { runCli } from '../helpers/cli-async.ts';

const DEMO = new URL('../../examples/telemetry/project.json', import.meta.url).pathname;

describe('record a live run, replay it with no network (CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  let telemetry: TelemetryServer;
  let alerts: AlertServer;
  const traces = new Map<string, string>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pulsewire-trace-'));
    telemetry = await startTelemetryServer({ intervalMs: 25 });
    alerts = await startAlertServer({ intervalMs: 100 });
  });
  after(async () => {
    await Promise.all([telemetry.close(), alerts.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  for (const target of TARGETS) {
    it(`records a run on ${target}: telemetry, warnings, alerts and acks in the trace`, async () => {
      const file = join(dir, `${target}.jsonl`);
      const r = await runCli([
        'run', DEMO, '--mode', 'on-demand', '--duration', '1.5', '--target', target, '--record', file,
        '--connect', `Telemetry=${telemetry.url}`, '--connect', `Alerts=${alerts.url}`,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      const header = JSON.parse(lines[0]);
      assert.deepEqual({ ...header, schedule: undefined }, {
        format: 'pulsewire-trace', version: 1, schedule: undefined, project: 'telemetry', tickRateHz: 60, mode: 'on-demand', target,
        connections: [{ name: 'Telemetry', kind: 'ws' }, { name: 'Alerts', kind: 'sio' }],
      });
      const body = lines.slice(1).join('\n');
      for (const what of ['"ws.message"', '"sio.event"', 'above the limit', '"sio.emit"']) assert.ok(body.includes(what), `the trace holds ${what}`);
      traces.set(target, file);
    });
  }

  for (const from of TARGETS) {
    for (const on of TARGETS) {
      it(`replays the ${from} recording on ${on}: identical, exit 0`, async () => {
        const r = await runCli(['replay', DEMO, traces.get(from)!, '--target', on]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`identical on ${on}: \\d+ ticks, \\d+ events, \\d+ outputs \\(recorded on ${from}; \\d+ ticks/s\\)`));
      });
    }
  }

  it('a tampered payload (one speed changed) is the first divergence, at its tick', async () => {
    const lines = readFileSync(traces.get(TARGETS[0])!, 'utf8').trimEnd().split('\n');
    // A tick that took one telemetry frame whose first output is the speed it set.
    const i = lines.findIndex((l, n) => {
      if (n === 0) return false;
      const t = JSON.parse(l);
      return t.events?.length === 1 && t.events[0].kind === 'ws.message' && t.outputs?.[0]?.name === 'speed';
    });
    assert.ok(i > 0, 'a telemetry frame that changed the speed was recorded');
    const tick = JSON.parse(lines[i]).tick;
    const m = /\\"speed\\":([\d.]+)/.exec(lines[i])!;
    const changed = String(Number(m[1]) + 1000);
    lines[i] = lines[i].replace(m[0], `\\"speed\\":${changed}`);
    const file = join(dir, 'tampered.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    for (const on of TARGETS) {
      const r = await runCli(['replay', DEMO, file, '--target', on]);
      assert.equal(r.code, 1, on);
      assert.match(r.stderr, new RegExp(`diverges at tick ${tick} \\(t=[\\d.]+ ms\\), output 0:`));
      assert.match(r.stderr, new RegExp(`expected: \\{"kind":"var","name":"speed","value":${m[1]}\\}`));
      assert.match(r.stderr, new RegExp(`actual: +\\{"kind":"var","name":"speed","value":${changed}\\}`));
    }
  });

  it('a trace of another schedule is refused with a clear message, exit 1', async () => {
    const other = JSON.parse(readFileSync(DEMO, 'utf8'));
    other.scopes[1].variables[0].initial = 100; // the speed limit: another graph
    const file = join(dir, 'other.json');
    writeFileSync(file, JSON.stringify(other));
    const r = await runCli(['replay', file, traces.get(TARGETS[0])!]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /this trace was recorded with another schedule: schedule [0-9a-f]{8} \(project "telemetry"\), not [0-9a-f]{8}/);
  });

  it('a malformed line is refused with its number, exit 1; usage errors exit 2', async () => {
    const lines = readFileSync(traces.get(TARGETS[0])!, 'utf8').trimEnd().split('\n');
    lines[4] = '{"tick": 3, "time": oops}';
    const file = join(dir, 'malformed.jsonl');
    writeFileSync(file, lines.join('\n'));
    const r = await runCli(['replay', DEMO, file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /malformed\.jsonl: line 5: not valid JSON/);
    assert.equal((await runCli(['replay', DEMO])).code, 2);
    assert.equal((await runCli(['replay', DEMO, file, '--target', 'lua'])).code, 2);
    const missing = await runCli(['replay', DEMO, join(dir, 'nope.jsonl')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope\.jsonl: cannot read it \(no such file\)/);
  });
});
