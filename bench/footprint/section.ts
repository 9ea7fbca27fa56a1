// Section 4: footprint and start-up.
//
//   schedule   bytes of the stripped .pws per node, for the generated graphs
//              and the telemetry demo, with the share of each file section;
//   bundles    dist/guest.js as built (minified), and gzipped;
//   heap       QuickJS's own count of the guest's bytes (computeMemoryUsage)
//              once the demo's schedule is loaded;
//   RSS        resident memory of a process running the demo against its two
//              back ends (started here, on 127.0.0.1), against a hand-written
//              client doing the demo's job;
//   start-up   spawn → the server accepts the WebSocket (and → the first
//              tick where the process can tell), the hand-written client
//              against the built CLI on each target and against the bench's
//              own client through createRuntime (tsx, as sections 1–2 run).

import { readFileSync, existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { compile } from '../../runtime/compiler/index.ts';
import { encode } from '../../runtime/schedule/index.ts';
import type { Schedule } from '../../runtime/schedule/schedule.ts';
import { startTelemetryServer } from '../../examples/telemetry/backend.ts';
import { startAlertServer } from '../../examples/telemetry/alerts.ts';
import { startChild, ROOT, type ChildOptions } from '../lib/children.ts';
import { rssOf } from '../lib/machine.ts';
import { median, rotate } from '../lib/stats.ts';
import { workload } from '../vm/graphs.ts';
import { echoProject } from '../echo/projects.ts';

export interface ScheduleSize {
  name: string;
  nodes: number;
  bytes: number;
  bytesPerNode: number;
  /** Bytes per node of each file section (CONSTS, REGS, CODE, …). */
  perNode: Record<string, number>;
  /** UTF-8 bytes of the text the designer wrote (string constants, names, URLs, connection options): the rest is structure. */
  textBytes: number;
}

export interface BundleSize {
  name: string;
  bytes?: number;
  gzipped?: number;
  hasSocketIoClient?: boolean;
  na?: string;
}

export interface Measured {
  name: string;
  target?: string;
  na?: string;
  samples: number[];
  median: number;
  /** First tick, where the process reports it. */
  firstTick?: number;
}

export interface FootprintSection {
  schedule: ScheduleSize[];
  bundles: BundleSize[];
  quickjsHeap: { bytes?: number; na?: string };
  rss: { name: string; target?: string; rssKiB?: number; peakKiB?: number; na?: string }[];
  startup: Measured[];
}

export interface FootprintCounts {
  rounds: number;
  settleMs: number;
  sizes: number[];
  /** Also time the bench's own tsx clients (sections 1–2 run them); off in a smoke run. */
  harness: boolean;
}

const SECTION_NAMES = ['', 'META', 'CONSTS', 'CONNS', 'SCENES', 'VARS', 'EVENTS', 'REGS', 'CODE', 'DEBUG'];

/** Sizes of the sections of a .pws (format.ts: 16-byte header, then | id u8 | length varint | body |…). */
function sections(bytes: Uint8Array): Record<string, number> {
  const out: Record<string, number> = { HEADER: 16 };
  let p = 16;
  while (p < bytes.length) {
    const id = bytes[p++];
    let len = 0;
    let shift = 1;
    let start = p;
    for (;;) {
      const b = bytes[p++];
      len += (b & 0x7f) * shift;
      shift *= 128;
      if (b < 0x80) break;
    }
    const name = SECTION_NAMES[id] ?? `#${id}`;
    out[name] = 1 + (p - start) + len;
    start = p;
    p += len;
  }
  return out;
}

const utf8 = (t: string) => Buffer.byteLength(t, 'utf8');

function scheduleSize(name: string, s: Schedule, nodes: number): ScheduleSize {
  const bytes = encode(s, { debug: false });
  const perNode: Record<string, number> = {};
  for (const [k, v] of Object.entries(sections(bytes))) perNode[k] = v / nodes;
  const textBytes = utf8(s.meta.name)
    + s.consts.reduce((n: number, c) => n + (typeof c === 'string' ? utf8(c) : 0), 0)
    + s.connections.reduce((n, c) => n + utf8(c.name) + utf8(c.url) + utf8(JSON.stringify(c.options)), 0)
    + s.variables.reduce((n, v) => n + utf8(v.name), 0)
    + s.scenes.reduce((n, t) => n + utf8(t), 0);
  return { name, nodes, bytes: bytes.length, bytesPerNode: bytes.length / nodes, perNode, textBytes };
}

const demoProject = (): { project: object; nodes: number } => {
  const project = JSON.parse(readFileSync(join(ROOT, 'examples/telemetry/project.json'), 'utf8')) as { scopes: { nodes: unknown[] }[] };
  return { project, nodes: project.scopes.reduce((n, s) => n + s.nodes.length, 0) };
};

function compiled(p: object, what: string): Schedule {
  const r = compile(p);
  if (!r.ok) throw new Error(`${what}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.schedule;
}

function bundles(): BundleSize[] {
  const out: BundleSize[] = [];
  const guest = join(ROOT, 'dist/guest.js');
  if (existsSync(guest)) {
    const b = readFileSync(guest);
    out.push({ name: 'dist/guest.js (QuickJS guest, minified)', bytes: b.length, gzipped: gzipSync(b, { level: 9 }).length, hasSocketIoClient: /io server disconnect/.test(b.toString()) && /transport close/.test(b.toString()) });
  } else out.push({ name: 'dist/guest.js (QuickJS guest, minified)', na: 'n/a (target not built)' });
  const cli = join(ROOT, 'dist/cli.mjs');
  if (existsSync(cli)) {
    const b = readFileSync(cli);
    out.push({ name: 'dist/cli.mjs (Node CLI, not minified; ws, socket.io-client external)', bytes: b.length, gzipped: gzipSync(b, { level: 9 }).length });
  }
  return out;
}

/**
 * QuickJS's count of the guest's bytes with the demo loaded. The engine takes
 * the wasm module as an option (its tests pass a leak-checking one); the one
 * passed here is the shared module, wrapped to keep a reference to the
 * runtime it makes, so the bench can ask that runtime computeMemoryUsage().
 * Imported by a computed name: the QuickJS host may not be in this checkout.
 */
async function quickjsHeap(demo: Schedule, built: readonly string[]): Promise<{ bytes?: number; na?: string }> {
  if (!built.includes('quickjs')) return { na: 'n/a (target not built)' };
  interface Ctx { dump(h: unknown): unknown }
  interface Rt { context?: Ctx; computeMemoryUsage(): { dispose(): void } }
  interface Module { newRuntime(o?: unknown): Rt; getWasmMemory(): unknown }
  type Engine = { tick(now: number): unknown; dispose(): void };
  const here = (p: string) => new URL(p, import.meta.url).href;
  try {
    const { loadQuickJs } = (await import(here('../../bindings/quickjs/module.ts'))) as { loadQuickJs(): Promise<{ module: Module; guestSource: string }> };
    const { QuickJsEngine } = (await import(here('../../bindings/quickjs/engine.ts'))) as { QuickJsEngine: new (s: Schedule, o: object) => Engine };
    const shared = await loadQuickJs();
    let rt: Rt | undefined;
    const module: Module = { newRuntime: (o) => (rt = shared.module.newRuntime(o)), getWasmMemory: () => shared.module.getWasmMemory() };
    const engine = new QuickJsEngine(demo, { module, guestSource: shared.guestSource });
    try {
      engine.tick(0);
      const ctx = rt?.context;
      if (!rt || !ctx) return { na: 'n/a (the QuickJS runtime has no context to measure in)' };
      const h = rt.computeMemoryUsage();
      const usage = ctx.dump(h) as { memory_used_size: number };
      h.dispose();
      return { bytes: usage.memory_used_size };
    } finally {
      engine.dispose();
    }
  } catch (e) {
    return { na: `n/a (${(e as Error).message})` };
  }
}

/** Resident memory of a demo process after it has run `settleMs` against both back ends. */
async function demoRss(built: readonly string[], settleMs: number, log: (s: string) => void): Promise<FootprintSection['rss']> {
  const rows: FootprintSection['rss'] = [];
  const variants: { name: string; target?: string; script: string; args: (ws: string, sio: string) => string[] }[] = [
    { name: 'hand-written client (ws + socket.io-client)', script: 'bench/footprint/hand-client.mjs', args: (ws, sio) => ['dashboard', ws, sio] },
    ...['node', 'quickjs'].map((t) => ({
      name: `pulsewire demo, bin/pulsewire.mjs run --target ${t}`,
      target: t,
      script: 'bin/pulsewire.mjs',
      args: (ws: string, sio: string) => ['run', 'examples/telemetry/project.json', '--mode', 'on-demand', '--target', t, '--connect', `Telemetry=${ws}`, '--connect', `Alerts=${sio}`],
    })),
  ];
  for (const v of variants) {
    if (v.target && !built.includes(v.target)) {
      rows.push({ name: v.name, target: v.target, na: 'n/a (target not built)' });
      continue;
    }
    const telemetry = await startTelemetryServer({ intervalMs: 100 });
    const alerts = await startAlertServer({ intervalMs: 500 });
    const child = startChild(v.script, v.args(telemetry.url, alerts.url), { tsx: false, core: 1 });
    try {
      const deadline = Date.now() + 15_000;
      while ((telemetry.connections === 0 || alerts.clients() === 0) && !child.exited && Date.now() < deadline) await sleep(20);
      if (child.exited || telemetry.connections === 0) {
        rows.push({ name: v.name, target: v.target, na: `n/a (did not connect: ${child.tail()})` });
        continue;
      }
      await sleep(settleMs);
      const m = rssOf(child.pid);
      rows.push({ name: v.name, target: v.target, rssKiB: m.rssKiB, peakKiB: m.peakKiB });
      log(`  rss ${v.name}: ${m.rssKiB} KiB (peak ${m.peakKiB} KiB)`);
    } finally {
      await child.stop();
      await Promise.all([telemetry.close(), alerts.close()]);
    }
  }
  return rows;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Spawn → connection accepted (and → first tick), per variant, rounds interleaved. */
async function startup(allTargets: readonly string[], built: readonly string[], rounds: number, harness: boolean, log: (s: string) => void): Promise<Measured[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pulsewire-bench-'));
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  try {
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    type V = { name: string; target?: string; script: string; args: string[]; opts: ChildOptions };
    const pws = join(dir, 'echo-ws.pws');
    writeFileSync(pws, encode(compiled(echoProject('ws'), 'echo graph'), { debug: false }));
    // Board folders for the echo graph, as `pulsewire build` makes them: what a board runs. The profiles'
    // tick mode does not matter here (the first connection comes from the boot tick).
    writeFileSync(join(dir, 'echo-ws.json'), JSON.stringify(echoProject('ws')));
    const boards: V[] = [];
    for (const [t, profile] of [['node', 'x86_64-node'], ['quickjs', 'arm64-quickjs']] as const) {
      if (!built.includes(t)) continue;
      const folder = join(dir, `board-${t}`);
      const made = spawnSync(process.execPath, ['bin/pulsewire.mjs', 'build', '--board', profile, join(dir, 'echo-ws.json'), '--out', folder], { cwd: ROOT, encoding: 'utf8' });
      if (made.status !== 0 || !existsSync(join(folder, 'runner.mjs'))) continue;
      boards.push({
        name: `pulsewire board folder, engine ${t} (pulsewire build --board ${profile}), runner.mjs`,
        target: t, script: join(folder, 'runner.mjs'), args: [join(folder, 'schedule.pws'), '--connect', `Link=${url}`], opts: { tsx: false },
      });
    }
    const variants: V[] = [
      { name: 'hand-written ws client (.mjs, node)', script: 'bench/footprint/hand-client.mjs', args: ['echo', url], opts: { tsx: false } },
      ...boards,
      ...allTargets.map((t) => ({
        name: `pulsewire bin/pulsewire.mjs run echo.pws --target ${t}`,
        target: t,
        script: 'bin/pulsewire.mjs',
        args: ['run', pws, '--mode', 'on-demand', '--target', t, '--connect', `Link=${url}`],
        opts: { tsx: false },
      })),
      ...(harness ? [{ name: 'hand-written ws client (bench client, tsx)', script: 'bench/echo/client.ts', args: ['ws', 'hand', url], opts: {} }] : []),
      ...(harness ? allTargets : []).map((t) => ({
        name: `pulsewire createRuntime --target ${t} (bench client, tsx)`,
        target: t,
        script: 'bench/echo/client.ts',
        args: ['ws', 'pulsewire', url, t, 'on-demand', '60', pws],
        opts: {},
      })),
    ];
    const results = new Map<V, { conn: number[]; tick: number[]; err?: string }>(variants.map((v) => [v, { conn: [], tick: [] }]));
    const runnable = variants.filter((v) => !v.target || built.includes(v.target));
    for (let round = 0; round < rounds; round++) {
      for (const v of rotate(runnable, round)) {
        const r = results.get(v)!;
        const connected = new Promise<number>((resolve) => wss.once('connection', (ws) => {
          resolve(performance.now());
          ws.on('error', () => {});
        }));
        const t0 = performance.now();
        const child = startChild(v.script, v.args, { ...v.opts, core: 1 });
        try {
          const gone = child.exitedP.then(() => -1);
          const timeout = sleep(20_000).then(() => -2);
          const t1 = await Promise.race([connected, gone, timeout]);
          if (t1 < 0) {
            r.err = t1 === -1 ? `exited: ${child.tail()}` : 'no connection within 20 s';
            continue;
          }
          r.conn.push(t1 - t0);
          if (v.script.endsWith('client.ts') && v.target) {
            // The first tick (the boot, which starts the connection) comes before the connection; its IPC
            // message is stamped on arrival, a fraction of a millisecond after the fact.
            const m = await child.next(['first-tick'], 10_000).catch(() => undefined);
            if (m) r.tick.push((m.receivedAt as number) - t0);
          }
        } finally {
          await child.stop();
        }
      }
      log(`  start-up round ${round + 1}/${rounds}`);
    }
    return variants.map((v) => {
      const r = results.get(v)!;
      const na = v.target && !built.includes(v.target) ? 'n/a (target not built)' : r.conn.length === 0 ? `n/a (${r.err})` : undefined;
      return { name: v.name, target: v.target, na, samples: r.conn, median: median(r.conn), firstTick: r.tick.length ? median(r.tick) : undefined };
    });
  } finally {
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runFootprintSection(allTargets: readonly string[], built: readonly string[], c: FootprintCounts, log: (s: string) => void): Promise<FootprintSection> {
  const schedule: ScheduleSize[] = [];
  for (const size of c.sizes) schedule.push(scheduleSize(`generated, ${size} nodes`, compiled(workload(size).project, `graph ${size}`), size));
  const demo = demoProject();
  const demoSchedule = compiled(demo.project, 'examples/telemetry');
  schedule.push(scheduleSize('examples/telemetry (the demo)', demoSchedule, demo.nodes));
  schedule.push(scheduleSize('echo graph (sections 1–2)', compiled(echoProject('ws'), 'echo'), 6));
  const quickjs = await quickjsHeap(demoSchedule, built);
  log(`  QuickJS heap with the demo: ${quickjs.bytes ?? quickjs.na}`);
  const rss = await demoRss(built, c.settleMs, log);
  const start = await startup(allTargets, built, c.rounds, c.harness, log);
  return { schedule, bundles: bundles(), quickjsHeap: quickjs, rss, startup: start };
}
