// `pulsewire graph`: the picture of the demo holds every node and link of
// the project exactly once, no two boxes overlap, the same input gives the
// same bytes (and docs/images/telemetry.svg is that picture), a project with
// problems still draws with the faulty nodes marked, and a .pws draws from
// its debug map.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '../../runtime/schedule/index.ts';
import type { ProjectFile } from '../../runtime/project/model.ts';
import { readDiagram, render, pickScopes } from '../../targets/pictures/graph-command.ts';
import { compileOk } from '../helpers/project.ts';
import { boxes, links, overlaps, parseSvg } from './svg.ts';

const REPO = new URL('../../', import.meta.url).pathname;
const BIN = join(REPO, 'bin/pulsewire.mjs');
const DEMO = join(REPO, 'examples/telemetry/project.json');
const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .+:\d+:\d+/, `a stack trace leaked:\n${s}`);

describe('pulsewire graph', function () {
  this.timeout(60_000);
  let dir: string;
  let demoSvg: string;
  const demo: ProjectFile = JSON.parse(readFileSync(DEMO, 'utf8'));
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pulsewire-graph-'));
    demoSvg = await render(readDiagram(DEMO).diagram, 'svg');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('draws every node and every link of the demo exactly once', () => {
    const svg = parseSvg(demoSvg);
    const drawn = boxes(svg).map((b) => b.node).sort();
    const want = demo.scopes.flatMap((s) => s.nodes.map((n) => `${s.kind === 'Project' ? 'Project' : `${s.kind}:${(s as { name: string }).name}`}/${n.id}`)).sort();
    assert.deepEqual(drawn, want);
    const label = (s: ProjectFile['scopes'][number]) => (s.kind === 'Project' ? 'Project' : `${s.kind}:${s.name}`);
    const wantLinks = demo.scopes.flatMap((s) => (s.links ?? []).map((l) => `${label(s)}/${l.from[0]}:${l.from[1]} → ${label(s)}/${l.to[0]}:${l.to[1]}`)).sort();
    const drawnLinks = links(svg).map((l) => `${l.from} → ${l.to}`).sort();
    assert.deepEqual(drawnLinks, wantLinks);
    // Pulse and data links are drawn differently, and both kinds are there.
    assert.ok(links(svg).some((l) => l.pulse) && links(svg).some((l) => !l.pulse));
  });

  it('lays boxes out without overlaps, pins by the editor\'s names, the key attribute shown', () => {
    const bs = boxes(parseSvg(demoSvg));
    for (const scope of new Set(bs.map((b) => b.node.split('/')[0]))) {
      assert.deepEqual(overlaps(bs.filter((b) => b.node.startsWith(scope + '/'))), [], scope);
    }
    const parse = bs.find((b) => b.node === 'Scene:Dashboard/speedField')!;
    assert.match(parse.text, /Get Dictionary Element/);
    assert.match(parse.text, /Dictionary/);
    assert.match(parse.text, /Key = "speed"/);
    assert.match(bs.find((b) => b.node === 'Scene:Dashboard/setSpeed')!.text, /Variable: speed/);
    assert.match(bs.find((b) => b.node === 'Scene:Dashboard/onReceive')!.text, /Configuration: Telemetry/);
  });

  it('gives the same bytes for the same input, and docs/images/telemetry.svg is up to date', async () => {
    assert.equal(await render(readDiagram(DEMO).diagram, 'svg'), demoSvg);
    const checkedIn = readFileSync(join(REPO, 'docs/images/telemetry.svg'), 'utf8');
    assert.ok(checkedIn === demoSvg, 'docs/images/telemetry.svg is out of date: run `npm run pictures` and commit it');
  });

  it('draws a project with problems, marking the nodes at fault with their messages', async () => {
    const broken = structuredClone(demo);
    const dash = broken.scopes[1];
    dash.nodes.find((n) => n.id === 'setSpeed')!.attributes = { Variable: 'sped' };
    dash.nodes.find((n) => n.id === 'warn')!.type = 'Consol';
    dash.links!.push({ from: ['parse', 'Outptu'], to: ['gearField', 'Dictionary'] });
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    const r = cli(['graph', file, '-o', join(dir, 'broken.svg')]);
    noStack(r.stderr);
    assert.equal(r.status, 1, 'problems: exit 1, picture written');
    assert.match(r.stderr, /sped/);
    const bs = boxes(parseSvg(readFileSync(join(dir, 'broken.svg'), 'utf8')));
    const faulty = bs.filter((b) => b.faulty).map((b) => b.node).sort();
    assert.deepEqual(faulty, ['Scene:Dashboard/parse', 'Scene:Dashboard/setSpeed', 'Scene:Dashboard/warn']);
    const svgText = readFileSync(join(dir, 'broken.svg'), 'utf8');
    assert.match(svgText, /Variable &quot;sped&quot; is not a variable/);
    assert.match(svgText, /unknown node type &quot;Consol&quot;/);
    assert.equal(bs.length, demo.scopes.reduce((n, s) => n + s.nodes.length, 0), 'every node still drawn');
  });

  it('draws a schedule from its debug map, and a stripped one chain by chain', async () => {
    const schedule = compileOk(demo);
    const pws = join(dir, 'demo.pws');
    writeFileSync(pws, encode(schedule));
    const fromPws = parseSvg(await render(readDiagram(pws).diagram, 'svg'));
    const names = new Set(boxes(fromPws).map((b) => b.node));
    for (const n of ['Scene:Dashboard/setSpeed', 'Scene:Dashboard/ack', 'Project/logError']) assert.ok(names.has(n), n);
    assert.ok(boxes(fromPws).find((b) => b.node === 'Scene:Dashboard/ack')!.text.includes('Socket.IO Send'));
    assert.ok(links(fromPws).some((l) => l.from.includes('On WebSocket Receive') && l.to === 'Scene:Dashboard/parse:►'));
    writeFileSync(pws, encode(schedule, { debug: false }));
    const stripped = parseSvg(await render(readDiagram(pws).diagram, 'svg'));
    assert.equal(boxes(stripped).filter((b) => !b.text.includes('timer chain')).length, schedule.events.length);
    assert.match(stripped.textContent ?? '', /no debug map/);
  });

  it('picks one scope, writes HTML with every scope, and refuses bad input without a stack', async () => {
    const one = await render(pickScopes(readDiagram(DEMO).diagram, 'Project'), 'svg');
    assert.deepEqual([...new Set(boxes(parseSvg(one)).map((b) => b.node.split('/')[0]))], ['Project']);
    const html = await render(readDiagram(DEMO).diagram, 'html');
    assert.match(html, /^<!doctype html>/);
    assert.equal((html.match(/<svg /g) ?? []).length, 2);
    assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org)/, 'no script, no network');
    for (const [args, code, msg] of [
      [['graph'], 2, /missing a project/],
      [['graph', DEMO, '--format', 'png'], 2, /--format/],
      [['graph', DEMO, '--scope', 'Nope', '-o', join(dir, 'x.svg')], 1, /no scope named "Nope"/],
      [['graph', join(dir, 'missing.json')], 1, /no such file/],
    ] as const) {
      const x = cli([...args]);
      assert.equal(x.status, code, args.join(' '));
      assert.match(x.stderr, msg);
      noStack(x.stderr);
    }
    writeFileSync(join(dir, 'bad.pws'), new Uint8Array([0x50, 0x57, 0x53, 0x31, 9, 9, 9]));
    const bad = cli(['graph', join(dir, 'bad.pws')]);
    assert.equal(bad.status, 1);
    noStack(bad.stderr);
  });
});
