// The tables of a run and the issue's targets, met or not, from the results
// object that bench/run.ts also writes as JSON.

import { num, int, ratio, table, type Cell } from './lib/table.ts';
import type { Machine } from './lib/machine.ts';
import type { EchoCaseResult } from './echo/section.ts';
import type { VmSection } from './vm/section.ts';
import type { FootprintSection } from './footprint/section.ts';
import type { PicturesSection } from './pictures/section.ts';

export interface Target {
  name: string;
  value: string;
  limit: string;
  /** undefined: not measured in this run (n/a). */
  met: boolean | undefined;
}

export interface Results {
  smoke: boolean;
  date: string;
  machine: Machine;
  targets: { known: string[]; built: string[] };
  ws?: EchoCaseResult[];
  sio?: EchoCaseResult[];
  vm?: VmSection;
  footprint?: FootprintSection;
  pictures?: PicturesSection;
  goals?: Target[];
  seconds?: number;
}

const FIXED_HZ = 60;
const PERIOD_MS = 1000 / FIXED_HZ;

function echoTable(title: string, rows: EchoCaseResult[]): string {
  const label = (r: EchoCaseResult) => (r.impl === 'hand' ? 'hand-written client' : `pulsewire ${r.target}`);
  const mode = (r: EchoCaseResult) => (r.impl === 'hand' ? '—' : r.mode === 'fixed' ? `fixed ${FIXED_HZ} Hz` : 'on-demand');
  // Ratios to the hand-written client only where they mean something: on-demand (fixed mode waits for its frame).
  const vs = (r: EchoCaseResult, k: 'msgsPerSec' | 'p50' | 'p99') => (r.vsHand && r.mode === 'on-demand' ? ratio(r.vsHand[k]) : '');
  const body: Cell[][] = rows.map((r) =>
    r.na
      ? [label(r), r.w, mode(r), r.na, '', '', '', '', '', '']
      : [
          label(r), r.w, mode(r),
          int(r.median.msgsPerSec), vs(r, 'msgsPerSec'),
          num(r.median.p50, 3), vs(r, 'p50'),
          num(r.median.p99, 3), vs(r, 'p99'),
          num(r.median.clientCpuUsPerMsg, 1),
        ],
  );
  return table(title, ['client', 'W', 'mode', 'msg/s', '×hand', 'p50 ms', '×hand', 'p99 ms', '×hand', 'client CPU µs/msg'], body);
}

function vmTables(v: VmSection): string {
  const sizes = [...new Set(v.rows.map((r) => r.size))];
  const platforms = [...new Set(v.rows.map((r) => r.platform))];
  const full: Cell[][] = [];
  for (const size of sizes) {
    for (const p of platforms) {
      const vm = v.rows.find((r) => r.size === size && r.tick === 'full' && r.platform === p && r.kind === 'vm');
      const hand = v.rows.find((r) => r.size === size && r.tick === 'full' && r.platform === p && r.kind === 'hand');
      full.push([
        int(size), p,
        vm?.na ?? num(vm?.median.nsPerNode, 1),
        num(hand?.median.nsPerNode, 1),
        vm?.na ? '' : ratio(vm?.vsHand),
        vm?.na ? '' : num((vm?.median.nsPerTick ?? NaN) / 1000, 1),
      ]);
    }
  }
  const wake: Cell[][] = [];
  for (const size of sizes) {
    const cells: Cell[] = [int(size)];
    for (const p of platforms) {
      const vm = v.rows.find((r) => r.size === size && r.tick === 'wake' && r.platform === p && r.kind === 'vm');
      const hand = v.rows.find((r) => r.size === size && r.tick === 'wake' && r.platform === p && r.kind === 'hand');
      cells.push(vm?.na ?? int(vm?.median.nsPerTick), num(hand?.median.nsPerTick, 0));
    }
    wake.push(cells);
  }
  const growth = Object.entries(v.wakeGrowth).map(([t, g]) => `${t} ${ratio(g)}`).join(', ');
  return [
    table('3. VM speed: a full tick (the whole graph runs)', ['nodes', 'engine', 'VM ns/node', 'hand-written ns/node', 'VM ×hand', 'VM µs/tick'], full),
    table(`3. VM speed: a tick that wakes 10 nodes (ns per tick; ${sizes.at(-1)?.toLocaleString('en-US')}-node graph vs ${sizes[0]}: ${growth || 'n/a'})`,
      ['nodes', ...platforms.flatMap((p) => [`${p} VM`, `${p} hand-written`])], wake),
    `Same state at the end: ${Object.entries(v.verified).map(([k, s]) => `${k}: ${s}`).join('; ')}\n`,
  ].join('\n');
}

function footprintTables(f: FootprintSection): string {
  const secs = ['CONSTS', 'REGS', 'VARS', 'EVENTS', 'CONNS', 'CODE'];
  return [
    table('4. Schedule size (stripped .pws; text: the designer\'s strings, names, URLs and options)',
      ['schedule', 'nodes', 'bytes', 'bytes/node', 'text/node', 'rest/node', ...secs.map((s) => `${s}/node`)],
      f.schedule.map((s) => [s.name, int(s.nodes), int(s.bytes), num(s.bytesPerNode, 1), num(s.textBytes / s.nodes, 1), num((s.bytes - s.textBytes) / s.nodes, 1),
        ...secs.map((k) => num(s.perNode[k], 1))])),
    table('4. Bundles', ['bundle', 'bytes', 'KiB', 'gzipped KiB', 'socket.io-client inside'],
      f.bundles.map((b) => (b.na ? [b.name, b.na, '', '', ''] : [b.name, int(b.bytes), num((b.bytes ?? NaN) / 1024, 1), num((b.gzipped ?? NaN) / 1024, 1), b.hasSocketIoClient === undefined ? '' : b.hasSocketIoClient ? 'yes' : 'no']))),
    table('4. Memory', ['what', 'value'], [
      ['QuickJS heap with the demo loaded (computeMemoryUsage)', f.quickjsHeap.na ?? `${num((f.quickjsHeap.bytes ?? NaN) / 1024, 1)} KiB`],
      ...f.rss.map((r): Cell[] => [`RSS: ${r.name}`, r.na ?? `${num((r.rssKiB ?? NaN) / 1024, 1)} MiB (peak ${num((r.peakKiB ?? NaN) / 1024, 1)} MiB)`]),
    ]),
    table('4. Start-up (spawn → connection accepted; median)', ['client', 'first connection ms', 'first tick ms'],
      f.startup.map((s) => [s.name, s.na ?? num(s.median, 1), s.firstTick === undefined ? '' : num(s.firstTick, 1)])),
  ].join('\n');
}

function picturesTables(p: PicturesSection): string {
  return [
    table('5. Graph layout (ELK layered, in-process)', ['graph', 'nodes', 'first layout ms (ELK loads)', 'then, median ms'],
      p.layout.map((l) => [l.name, l.nodes, num(l.firstMs, 0), num(l.medianMs, 0)])),
    table('5. The demo at 60 Hz, CPU per tick (median of rounds)', ['run', 'CPU µs/tick', '×no --inspect'],
      p.inspector.map((i, k) => [i.variant, num(i.cpuUsPerTick, 1), k === 0 ? '' : ratio(k === 1 ? p.detachedVsNone : p.attachedVsNone)])),
    table('5. The inspector page\'s JS heap in Chromium, a busy run (1,000 Hz)', ['ticks', 'at a quarter', 'at the end'],
      p.page ? [[p.page.ticks, p.page.na ?? `${num(p.page.heapQuarterMiB, 1)} MiB`, p.page.na ? '' : `${num(p.page.heapEndMiB, 1)} MiB`]] : []),
  ].join('\n');
}

export function goals(r: Results): Target[] {
  const out: Target[] = [];
  const add = (name: string, x: number | undefined, limit: string, ok: (x: number) => boolean, fmt: (x: number) => string) =>
    out.push({ name, value: x === undefined || !Number.isFinite(x) ? 'n/a' : fmt(x), limit, met: x === undefined || !Number.isFinite(x) ? undefined : ok(x) });
  for (const proto of ['ws', 'sio'] as const) {
    const rows = r[proto];
    if (!rows) continue;
    const P = proto === 'ws' ? 'WebSocket' : 'Socket.IO';
    for (const [t, min] of [['node', 0.9], ['quickjs', 0.5]] as const) {
      const c = rows.find((x) => x.target === t && x.mode === 'on-demand' && x.w === 32);
      add(`${P} echo W=32 on-demand, ${t}: msg/s ×hand`, c?.vsHand?.msgsPerSec, `≥ ${min}×`, (x) => x >= min, ratio);
    }
    for (const t of ['node', 'quickjs']) {
      const c = rows.find((x) => x.target === t && x.mode === 'on-demand' && x.w === 1);
      add(`${P} echo W=1 on-demand, ${t}: p50 ×hand`, c?.vsHand?.p50, '≤ 1.2×', (x) => x <= 1.2, ratio);
    }
    for (const t of ['node', 'quickjs']) {
      const c = rows.find((x) => x.target === t && x.mode === 'fixed');
      add(`${P} echo W=1 fixed ${FIXED_HZ} Hz, ${t}: p99`, c?.median.p99, `≤ ${num(PERIOD_MS + 1, 2)} ms`, (x) => x <= PERIOD_MS + 1, (x) => `${num(x, 2)} ms`);
    }
  }
  if (r.footprint) {
    const hand = r.footprint.startup.find((s) => s.name.startsWith('hand-written ws client (.mjs'));
    const board = r.footprint.startup.find((s) => s.target === 'node' && s.name.startsWith('pulsewire board folder, engine node'));
    const cli = r.footprint.startup.find((s) => s.target === 'node' && s.name.includes('bin/pulsewire.mjs'));
    const plus = (x: number) => `${x >= 0 ? '+' : ''}${num(x, 1)} ms`;
    add('Start-up to first connection, Node board folder − hand-written', board && hand ? board.median - hand.median : undefined, '≤ +100 ms', (x) => x <= 100, plus);
    add('Start-up to first connection, Node CLI (bin/pulsewire.mjs run .pws) − hand-written', cli && hand ? cli.median - hand.median : undefined, '≤ +100 ms', (x) => x <= 100, plus);
  }
  if (r.vm) {
    for (const [t, max] of [['node', 2], ['quickjs', 3]] as const) {
      for (const size of [...new Set(r.vm.rows.map((x) => x.size))]) {
        const row = r.vm.rows.find((x) => x.size === size && x.tick === 'full' && x.platform === t && x.kind === 'vm');
        add(`VM ${t}, ${size.toLocaleString('en-US')} nodes: ns/node ×hand-written`, row?.vsHand, `≤ ${max}×`, (x) => x <= max, ratio);
      }
      add(`VM ${t}: wake-10-nodes tick, largest graph ×smallest`, r.vm.wakeGrowth[t], '≤ 1.5× ("about the same")', (x) => x <= 1.5, ratio);
    }
  }
  if (r.footprint) {
    for (const s of r.footprint.schedule) add(`Schedule bytes/node: ${s.name}`, s.bytesPerNode, '≤ 16', (x) => x <= 16, (x) => num(x, 1));
    const g = r.footprint.bundles.find((b) => b.name.startsWith('dist/guest.js'));
    add('Guest bundle, minified', g?.bytes === undefined ? undefined : g.bytes / 1024, '≤ 64 KiB', (x) => x <= 64, (x) => `${num(x, 1)} KiB`);
    const h = r.footprint.quickjsHeap.bytes;
    add('QuickJS heap, demo loaded', h === undefined ? undefined : h / 1024, '≤ 1024 KiB', (x) => x <= 1024, (x) => `${num(x, 0)} KiB`);
  }
  if (r.pictures) {
    const big = r.pictures.layout.find((l) => l.name.startsWith('generated'));
    add(`Layout of a ${big?.nodes ?? '?'}-node graph (after the first)`, big?.medianMs, 'reported', () => true, (x) => `${num(x, 0)} ms`);
    add('Tick CPU with the inspector attached ×without it (demo, 60 Hz)', r.pictures.attachedVsNone, '≤ 1.05×', (x) => x <= 1.05, ratio);
    const pg = r.pictures.page;
    add('Inspector page JS heap, end ÷ a quarter of the run', pg && !pg.na ? pg.heapEndMiB / pg.heapQuarterMiB : undefined, '≤ 1.25× (bounded rings)', (x) => x <= 1.25, ratio);
  }
  return out;
}

export function report(r: Results): string {
  const m = r.machine;
  const parts: string[] = [
    `pulsewire bench ${r.date}${r.smoke ? ' — SMOKE RUN (tiny counts; the figures mean nothing)' : ''}`,
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryMiB} MiB, Node ${m.node}, Linux ${m.kernel}; echo server and client ${m.pinned ? 'pinned to cores 0 and 1 (taskset)' : 'NOT pinned (no taskset or < 2 cores)'}; load average before: ${m.loadBefore.join(' ')}`,
    `targets built: ${r.targets.built.join(', ')}${r.targets.known.filter((t) => !r.targets.built.includes(t)).map((t) => `; ${t}: not built`).join('')}`,
    '',
  ];
  if (r.ws) parts.push(echoTable('1. WebSocket echo, 100-byte JSON frames (medians of rounds; ×hand: median of per-round ratios)', r.ws));
  if (r.sio) parts.push(echoTable('2. Socket.IO echo, 100-byte JSON strings (medians of rounds; ×hand: median of per-round ratios)', r.sio));
  if (r.vm) parts.push(vmTables(r.vm));
  if (r.footprint) parts.push(footprintTables(r.footprint));
  if (r.pictures) parts.push(picturesTables(r.pictures));
  r.goals = goals(r);
  parts.push(table('Targets', ['target', 'measured', 'limit', 'met'], r.goals.map((g) => [g.name, g.value, g.limit, g.met === undefined ? 'n/a' : g.met ? 'yes' : 'NO'])));
  return parts.join('\n') + '\n';
}
