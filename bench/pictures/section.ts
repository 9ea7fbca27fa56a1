// Section 5: what the pictures cost.
//
//   layout     ELK laying out a generated graph of 1,000 nodes (the vm
//              section's workload) and the demo: the first layout in the
//              process (ELK loading and warming up) and the median of the
//              next ones;
//   inspector  CPU per tick of `pulsewire run` on the demo at 60 Hz (fixed)
//              against its back ends streaming telemetry every 50 ms, in
//              three variants interleaved round by round: no --inspect,
//              --inspect with no page, --inspect with a page attached (a
//              WebSocket client reading every push, as the page does). CPU
//              is read from /proc between two instants after start-up, so
//              the start (and the background layout of the picture) is not
//              counted;
//   page       the inspector page in headless Chromium watching a busy run
//              (ten minutes' worth of 60 Hz ticks, 36,000, run at 1,000 Hz,
//              the back end sending telemetry every 2 ms) — its JS heap a quarter of the way
//              and at the end: bounded rings keep them alike.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { ROOT } from '../lib/children.ts';
import { cpuMsOf } from '../lib/machine.ts';
import { median } from '../lib/stats.ts';
import { workload } from '../vm/graphs.ts';
import { projectDiagram } from '../../targets/pictures/diagram.ts';
import { layoutScope } from '../../targets/pictures/layout.ts';
import { readDiagram } from '../../targets/pictures/graph-command.ts';
import { startTelemetryServer } from '../../examples/telemetry/backend.ts';
import { startAlertServer } from '../../examples/telemetry/alerts.ts';
import type { ProjectFile } from '../../runtime/project/model.ts';

export interface PicturesSection {
  layout: { name: string; nodes: number; firstMs: number; medianMs: number }[];
  inspector: { variant: string; cpuUsPerTick: number; rounds: number[] }[];
  /** attached ÷ without --inspect, median of per-round ratios. */
  attachedVsNone?: number;
  detachedVsNone?: number;
  page?: { ticks: number; heapQuarterMiB: number; heapEndMiB: number; na?: string };
}

export interface PicturesCounts {
  rounds: number;
  layoutNodes: number;
  /** Seconds measured per inspector run (after a warm-up of warmS). */
  measureS: number;
  warmS: number;
  pageTicks: number;
}

const BIN = join(ROOT, 'bin/pulsewire.mjs');
const TOKEN = 'bench-token';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runPicturesSection(c: PicturesCounts, log: (s: string) => void): Promise<PicturesSection> {
  const out: PicturesSection = { layout: [], inspector: [] };
  // ── layout ──
  const big = workload(c.layoutNodes).project as unknown as ProjectFile;
  for (const [name, scope] of [
    [`generated graph, ${c.layoutNodes} nodes`, projectDiagram(big, [], 'bench').scopes[0]],
    ['telemetry demo, Scene:Dashboard', readDiagram(join(ROOT, 'examples/telemetry/project.json')).diagram.scopes[1]],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < Math.max(2, c.rounds); i++) {
      const t = performance.now();
      await layoutScope(scope);
      times.push(performance.now() - t);
    }
    out.layout.push({ name, nodes: scope.nodes.length, firstMs: times[0], medianMs: median(times.slice(1)) });
    log(`  layout ${name}: first ${times[0].toFixed(0)} ms, then ${median(times.slice(1)).toFixed(0)} ms`);
  }

  // ── inspector attached / detached ──
  const telemetry = await startTelemetryServer({ intervalMs: 50 });
  const alerts = await startAlertServer({ intervalMs: 1000 });
  const variants = ['no --inspect', '--inspect, no page', '--inspect, page attached'] as const;
  const per: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v, []]));
  try {
    for (let round = 0; round < c.rounds; round++) {
      for (const v of round % 2 ? [...variants].reverse() : variants) {
        per[v].push(await inspectorRun(v, telemetry.url, alerts.url, c));
      }
      log(`  inspector round ${round + 1}: ${variants.map((v) => `${v} ${per[v][round].toFixed(1)} µs/tick`).join(', ')}`);
    }
  } finally {
    await Promise.all([telemetry.close(), alerts.close()]);
  }
  for (const v of variants) out.inspector.push({ variant: v, cpuUsPerTick: median(per[v]), rounds: per[v] });
  out.attachedVsNone = median(per[variants[2]].map((x, i) => x / per[variants[0]][i]));
  out.detachedVsNone = median(per[variants[1]].map((x, i) => x / per[variants[0]][i]));

  // ── the page's memory ──
  out.page = await pageMemory(c.pageTicks, log);
  return out;
}

/** CPU µs per tick of one run of the demo at 60 Hz, measured over measureS after warmS. */
async function inspectorRun(variant: string, ws: string, sio: string, c: PicturesCounts): Promise<number> {
  const args = ['run', join(ROOT, 'examples/telemetry/project.json'), '--mode', 'fixed', '--connect', `Telemetry=${ws}`, '--connect', `Alerts=${sio}`];
  if (variant !== 'no --inspect') args.push('--inspect');
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, PULSEWIRE_CONTROL_TOKEN: TOKEN }, stdio: ['ignore', 'ignore', 'pipe'] });
  let page: WebSocket | undefined;
  try {
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    if (variant !== 'no --inspect') {
      const url = await until(() => /inspector on (http:\/\/\S+\/)#/.exec(err)?.[1], 20_000);
      if (variant.endsWith('page attached')) {
        page = new WebSocket(`${url.replace('http', 'ws')}ws`, ['pulsewire-control.v1', `pulsewire-token.${TOKEN}`]);
        page.on('error', () => {});
        let id = 0;
        page.on('open', () => ['hello', 'graph', 'trace'].forEach((op) => page!.send(JSON.stringify({ id: ++id, op }))));
        page.on('message', (d) => JSON.parse(String(d))); // read and parse every push, as the page does
      }
    }
    await sleep(c.warmS * 1000);
    const a = cpuMsOf(child.pid!);
    const t = performance.now();
    await sleep(c.measureS * 1000);
    const b = cpuMsOf(child.pid!);
    const ticks = ((performance.now() - t) / 1000) * 60;
    return ((b - a) * 1000) / ticks;
  } finally {
    page?.terminate();
    await stop(child);
  }
}

async function pageMemory(ticks: number, log: (s: string) => void): Promise<PicturesSection['page']> {
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    return { ticks, heapQuarterMiB: NaN, heapEndMiB: NaN, na: 'playwright-core not installed' };
  }
  const browserPath = process.env.PULSEWIRE_CHROMIUM ?? '/usr/bin/chromium';
  const telemetry = await startTelemetryServer({ intervalMs: 2 });
  const alerts = await startAlertServer({ intervalMs: 500 });
  const dir = mkdtempSync(join(tmpdir(), 'pulsewire-bench-page-'));
  let child: ChildProcess | undefined;
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  }).catch((e: Error) => e);
  if (browser instanceof Error) {
    await Promise.all([telemetry.close(), alerts.close()]);
    return { ticks, heapQuarterMiB: NaN, heapEndMiB: NaN, na: `no Chromium (${browser.message.split('\n')[0]}): .ci/chromium.sh installs it` };
  }
  try {
    // Ten minutes of 60 Hz ticks at 1,000 Hz (36 s): long enough for the page to attach early and watch nearly all of it.
    // No --ticks: the run goes on until the page has watched `ticks` of them (it may attach late on a busy machine).
    child = spawn(process.execPath, [BIN, 'run', join(ROOT, 'examples/telemetry/project.json'), '--mode', 'fixed', '--tick-rate', '1000', '--inspect',
      '--connect', `Telemetry=${telemetry.url}`, '--connect', `Alerts=${alerts.url}`], { env: { ...process.env, PULSEWIRE_CONTROL_TOKEN: TOKEN }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    const url = await until(() => /inspector on (http:\/\/\S+\/)#/.exec(err)?.[1], 20_000);
    const page = await browser.newPage();
    await page.goto(`${url}#token=${TOKEN}`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const m = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      return (m.metrics.find((x) => x.name === 'JSHeapUsedSize')?.value ?? NaN) / 1048576;
    };
    const tickNow = async () => Number((await page.locator('#tick').textContent().catch(() => '')) || NaN);
    const first = await until(async () => {
      const t = await tickNow();
      return Number.isFinite(t) && t > 0 ? t : undefined;
    }, 120_000);
    const reach = (n: number) => until(async () => ((await tickNow()) >= first + n ? true : undefined), 120_000 + n * 5);
    await reach(ticks / 4);
    const quarter = await heap();
    await reach(ticks);
    const end = await heap();
    log(`  page heap: ${quarter.toFixed(1)} MiB at a quarter, ${end.toFixed(1)} MiB after ${ticks} ticks`);
    return { ticks, heapQuarterMiB: quarter, heapEndMiB: end };
  } finally {
    await browser.close();
    if (child) await stop(child);
    await Promise.all([telemetry.close(), alerts.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function until<T>(f: () => T | undefined | Promise<T | undefined>, ms: number): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error('timed out');
    await sleep(50);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(t);
}
