// `pulsewire timeline`, `replay --report` and the HIL kit's failure report:
// the demo trace's picture holds a lane per connection, a row per variable,
// the budget and the console lines; the same trace gives the same bytes
// (and docs/images/telemetry-timeline.svg is that picture); a replay that
// diverges marks the tick with both sides; a failing rig points at its page.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTimeline, renderTimeline } from '../../targets/pictures/timeline-command.ts';
import { PICTURES, timelinePicture } from '../../targets/pictures/make-pictures.ts';
import { startRig } from '../../targets/hil/index.ts';
import { parseSvg } from './svg.ts';

const REPO = new URL('../../', import.meta.url).pathname;
const BIN = join(REPO, 'bin/pulsewire.mjs');
const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .+:\d+:\d+/, `a stack trace leaked:\n${s}`);

describe('pulsewire timeline', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'pulsewire-timeline-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('draws the demo trace: ticks, budget, a lane per connection, a step plot per variable, console lines', () => {
    const svg = timelinePicture();
    const root = parseSvg(svg);
    const rows = Array.from(root.getElementsByTagName('g')).map((g) => g.getAttribute('data-row')).filter(Boolean);
    assert.deepEqual(rows, ['ticks', 'budget used', 'Telemetry', 'Alerts', 'alert', 'connected', 'gear', 'speed', 'console', 'runtime errors']);
    // The telemetry link was dropped and came back: its state band shows open, closed, open again.
    const states = [...svg.matchAll(/data-state="(\w+)"/g)].map((m) => m[1]);
    assert.ok(states.indexOf('open') < states.indexOf('closed') && states.lastIndexOf('open') > states.indexOf('closed'), states.join(' '));
    assert.match(svg, /peak \d+ per tick/, 'the budget row has costs');
    assert.match(svg, /telemetry link down/);
    const t = readTimeline(PICTURES.trace);
    assert.equal(t.times.length, readFileSync(PICTURES.trace, 'utf8').trimEnd().split('\n').length - 1);
  });

  it('gives the same bytes for the same trace, and docs/images/telemetry-timeline.svg is up to date', () => {
    assert.equal(timelinePicture(), timelinePicture());
    assert.ok(readFileSync(PICTURES.timeline, 'utf8') === timelinePicture(), 'docs/images/telemetry-timeline.svg is out of date: run `npm run pictures` and commit it');
  });

  it('writes HTML with every console line, and refuses a bad trace without a stack', () => {
    const out = join(dir, 'demo.html');
    const r = cli(['timeline', PICTURES.trace, '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    const html = readFileSync(out, 'utf8');
    assert.equal((html.match(/<tr class="warning">/g) ?? []).length, readTimeline(PICTURES.trace).lines.filter((l) => l.level === 'warning').length);
    assert.doesNotMatch(html, /<script|src=/);
    writeFileSync(join(dir, 'bad.jsonl'), '{"format":"pulsewire-trace","version":1}\n');
    for (const [args, code, msg] of [
      [['timeline', join(dir, 'bad.jsonl')], 1, /"schedule" must be a string/],
      [['timeline', join(dir, 'none.jsonl')], 1, /no such file/],
      [['timeline'], 2, /missing a trace/],
    ] as const) {
      const x = cli([...args]);
      assert.equal(x.status, code, args.join(' '));
      assert.match(x.stderr, msg);
      noStack(x.stderr);
    }
  });

  it('replay --report marks the first divergence with the expected and actual outputs side by side', () => {
    const lines = readFileSync(PICTURES.trace, 'utf8').trimEnd().split('\n');
    const i = lines.findIndex((l) => l.includes('"name":"speed"'));
    const tick = JSON.parse(lines[i]).tick;
    lines[i] = lines[i].replace(/("name":"speed","value":)([\d.]+)/, (_m, a, v) => `${a}${Number(v) + 1000}`);
    const trace = join(dir, 'changed.jsonl');
    writeFileSync(trace, lines.join('\n') + '\n');
    const report = join(dir, 'report.html');
    const r = cli(['replay', PICTURES.project, trace, '--report', report]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`diverges at tick ${tick}`));
    assert.match(r.stderr, new RegExp(`report: ${report.replace(/[.]/g, '\\.')}`));
    const html = readFileSync(report, 'utf8');
    assert.match(html, new RegExp(`first divergence: tick ${tick}`));
    const differs = [...html.replace(/&quot;/g, '"').matchAll(/<tr class="differs"><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)];
    assert.equal(differs.length, 1);
    assert.match(differs[0][1], /"name":"speed","value":10\d\d/);
    assert.doesNotMatch(differs[0][2], /"value":10\d\d/);
    const svg = renderTimeline(readTimeline(trace, tick), 'svg');
    assert.ok(svg.length > 0);
  });

  it('a failing HIL assertion writes its report and names it in the failure', async () => {
    const reports = join(dir, 'reports');
    process.env.PULSEWIRE_REPORTS = reports;
    const rig = await startRig({ project: JSON.parse(readFileSync(PICTURES.project, 'utf8')), connect: { Telemetry: 'ws://127.0.0.1:9', Alerts: 'http://127.0.0.1:9' } });
    try {
      await rig.step(30);
      let message = '';
      try {
        rig.expectVariable('gear', 4);
      } catch (e) {
        message = (e as Error).message;
      }
      const m = /\nreport: (.+\.html)$/.exec(message);
      assert.ok(m, `the failure names its report:\n${message}`);
      assert.ok(existsSync(m[1]));
      const html = readFileSync(m[1], 'utf8');
      assert.match(html, /variable &quot;gear&quot; is 0, expected 4/);
      assert.match(html, /failed at tick 29/);
    } finally {
      delete process.env.PULSEWIRE_REPORTS;
      await rig.close();
    }
  });
});
