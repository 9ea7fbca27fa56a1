// The live inspector in a real browser (headless Chromium): the demo's graph
// running against real back ends on 127.0.0.1 with `run --inspect`. The page
// shows `speed` changing as the back end sends, the chains that ran lit, the
// connection going to backoff when its back end goes away and open again when
// it is back; a stepped run with --control is paused, stepped and resumed
// from the page; a wrong token is refused. The trace recorded while the page
// watched replays identically. A screenshot of each state is written to
// test-results/screenshots/.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Page } from 'playwright-core';
import { startSioBackend, startWsBackend, type SioBackend, type WsBackend } from '../../targets/hil/index.ts';
import { BIN, REPO, launch, screenshotPath, spawnInspected } from './browser.ts';

/** The page's document, as the functions run in the browser see it (this file is type-checked without the DOM's types). */
declare const document: { querySelector(s: string): { getAttribute(a: string): string | null; textContent: string | null } | null };

const TOKEN = 'inspector-test-token';
const DEMO = JSON.parse(readFileSync(join(REPO, 'examples/telemetry/project.json'), 'utf8'));

/** The demo with its telemetry link reconnecting by itself (the demo's own graph restarts it instead). */
function project(dir: string): string {
  const p = structuredClone(DEMO);
  p.settings.webSocketConnections[0].reconnect = { enabled: true, initialDelayMs: 1500, maxDelayMs: 3000, jitter: 0, maxAttempts: 0 };
  const file = join(dir, 'telemetry.json');
  writeFileSync(file, JSON.stringify(p));
  return file;
}

const cell = (page: Page, sel: string, attr: string) => page.locator(sel).getAttribute(attr, { timeout: 20_000 });

describe('the live inspector in Chromium', function () {
  this.timeout(120_000);
  let dir: string;
  let browser: Awaited<ReturnType<typeof launch>>;
  let telemetry: WsBackend;
  let alerts: SioBackend;
  let feed: NodeJS.Timeout | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pulsewire-inspector-'));
    browser = await launch();
    telemetry = await startWsBackend();
    alerts = await startSioBackend();
    let n = 0;
    // The back end streams telemetry: a frame every 100 ms while a client is connected (bounded by the test's life).
    feed = setInterval(() => {
      n = (n + 1) % 30;
      telemetry.send({ type: 'telemetry', speed: 60 + n * 3, gear: 3 + (n % 3) });
    }, 100);
  });
  after(async () => {
    clearInterval(feed);
    await browser?.close();
    await Promise.all([telemetry?.close(), alerts?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a live run: speed changing, chains lit, connections open; backoff when the back end goes, open when it is back; the trace replays identically', async () => {
    const file = project(dir);
    const trace = join(dir, 'watched.jsonl');
    const run = await spawnInspected(
      ['run', file, '--mode', 'on-demand', '--inspect', '--record', trace, '--connect', `Telemetry=${telemetry.url}`, '--connect', `Alerts=${alerts.url}`],
      { PULSEWIRE_CONTROL_TOKEN: TOKEN },
    );
    const page = await browser.browser.newPage({ viewport: { width: 1500, height: 1100 } });
    try {
      await page.goto(`${run.url}#token=${TOKEN}`);
      await page.waitForSelector('body[data-link="live"]', { timeout: 20_000 });
      await page.waitForSelector('#graph g.node', { timeout: 60_000 }); // the graph is laid out in the background
      const first = await cell(page, 'tr[data-var="speed"]', 'data-value');
      await page.waitForFunction((v) => document.querySelector('tr[data-var="speed"]')?.getAttribute('data-value') !== v, first, { timeout: 20_000 });
      await page.waitForSelector('#graph g.node.lit[data-node="Scene:Dashboard/setSpeed"]', { timeout: 20_000 });
      await page.waitForSelector('tr[data-conn="0"][data-state="open"]', { timeout: 20_000 });
      await page.waitForSelector('tr[data-conn="1"][data-state="open"]', { timeout: 20_000 });
      assert.equal(await page.locator('#controls').textContent(), 'read-only');
      assert.ok(Number(await page.locator('tr[data-conn="0"] td').nth(2).textContent()) > 0, 'messages in are counted');
      await page.screenshot({ path: screenshotPath('inspector-live') });

      await telemetry.refuse();
      await page.waitForSelector('tr[data-conn="0"][data-state="backoff"]', { timeout: 20_000 });
      assert.match((await page.locator('tr[data-conn="0"]').textContent()) ?? '', /next attempt in \d+\.\d s/);
      await page.screenshot({ path: screenshotPath('inspector-backoff') });

      await telemetry.restart();
      await page.waitForSelector('tr[data-conn="0"][data-state="open"]', { timeout: 30_000 });
      await page.screenshot({ path: screenshotPath('inspector-reconnected') });
    } finally {
      await page.close();
      await run.stop();
    }
    const r = spawnSync(process.execPath, [BIN, 'replay', file, trace], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `the trace recorded with the page attached replays identically:\n${r.stderr}`);
  });

  it('pauses, steps and resumes a stepped run from the page (over the control protocol); a paused run does not advance', async () => {
    const run = await spawnInspected(
      ['run', project(dir), '--control', '0', '--mode', 'stepped', '--inspect', '--connect', `Telemetry=${telemetry.url}`, '--connect', `Alerts=${alerts.url}`],
      { PULSEWIRE_CONTROL_TOKEN: TOKEN },
    );
    const page = await browser.browser.newPage({ viewport: { width: 1500, height: 1100 } });
    const tick = async () => Number(await page.locator('#tick').textContent());
    try {
      await page.goto(`${run.url}#token=${TOKEN}`);
      await page.waitForSelector('#controls button#step', { timeout: 20_000 });
      assert.equal(await tick(), 0, 'stepped: nothing runs until the page says so');
      await page.click('#step');
      await page.waitForFunction(() => document.querySelector('#tick')?.textContent === '1', undefined, { timeout: 20_000 });
      await page.click('#resume');
      await page.waitForFunction(() => Number(document.querySelector('#tick')?.textContent) > 20, undefined, { timeout: 20_000 });
      await page.click('#pause');
      await page.waitForSelector('body[data-paused="true"]', { timeout: 20_000 });
      const paused = await tick();
      await page.waitForTimeout(800);
      assert.equal(await tick(), paused, 'a paused run does not advance');
      await page.screenshot({ path: screenshotPath('inspector-paused') });
      await page.click('#step');
      await page.waitForFunction((t) => Number(document.querySelector('#tick')?.textContent) === t + 1, paused, { timeout: 20_000 });
    } finally {
      await page.close();
      await run.stop();
    }
  });

  it('refuses a wrong token (HTTP 401 before a frame), and a page without control cannot pause', async () => {
    const run = await spawnInspected(['run', project(dir), '--mode', 'on-demand', '--inspect', '--connect', `Telemetry=${telemetry.url}`, '--connect', `Alerts=${alerts.url}`], { PULSEWIRE_CONTROL_TOKEN: TOKEN });
    const page = await browser.browser.newPage({ viewport: { width: 1200, height: 500 } });
    try {
      await page.goto(`${run.url}#token=wrong`);
      await page.waitForSelector('body[data-link="refused"]', { timeout: 20_000 });
      assert.match((await page.locator('#banner').textContent()) ?? '', /token/);
      await page.screenshot({ path: screenshotPath('inspector-refused') });
      const ws = `${run.url.replace('http', 'ws')}ws`;
      const status = await new Promise<number>((resolve) => {
        const c = new WebSocket(ws, ['pulsewire-control.v1', 'pulsewire-token.wrong']);
        c.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        c.on('open', () => resolve(101));
        c.on('error', () => {});
      });
      assert.equal(status, 401);
      const answer = await new Promise<{ ok: boolean; error?: string }>((resolve, reject) => {
        const c = new WebSocket(ws, ['pulsewire-control.v1', `pulsewire-token.${TOKEN}`]);
        c.on('open', () => c.send(JSON.stringify({ id: 1, op: 'pause' })));
        c.on('message', (d) => {
          const m = JSON.parse(String(d));
          if (m.id === 1) {
            c.close();
            resolve(m);
          }
        });
        c.on('error', reject);
      });
      assert.equal(answer.ok, false);
      assert.match(answer.error!, /read-only/);
    } finally {
      await page.close();
      await run.stop();
    }
  });
});
