// Section 3: VM speed. For graphs of 100, 1,000 and 10,000 nodes (graphs.ts),
// the compiled graph on every target against the hand-written JavaScript on
// the same engine, in two kinds of tick:
//
//   full  events on Small and Big: the whole graph runs (ns per executed node);
//   wake  an event on Small only: ten nodes wake, whatever the graph's size
//         (ns per tick; should not grow with the graph).
//
// Every variant starts from the same state and runs the same ticks in the
// same order, so they stay in step; at the end each VM's variables must
// equal its hand-written peer's state (the baseline really does the same
// work). A sample is k ticks, k chosen per graph so a sample is long enough
// to time; rounds interleave the variants in rotated order; medians.

import { compile } from '../../runtime/compiler/index.ts';
import type { InEvent } from '../../runtime/vm/io.ts';
import { createRuntime, loadRuntime } from '../../targets/runtime.ts';
import { median, rotate } from '../lib/stats.ts';
import { workload, handWritten, SMALL, BIG, type Workload } from './graphs.ts';
import { quickjsHand } from './quickjs-hand.ts';

export type TickKind = 'full' | 'wake';

interface Variant {
  id: string;
  platform: string;
  kind: 'vm' | 'hand';
  run(k: number, big: boolean): void;
  state(): Record<string, unknown>;
  dispose(): Promise<void> | void;
}

export interface VmCounts {
  sizes: number[];
  rounds: number;
  /** Executed nodes per full sample, and ticks per wake sample. */
  fullNodes: number;
  wakeTicks: number;
}

export interface VmRow {
  size: number;
  tick: TickKind;
  platform: string;
  kind: 'vm' | 'hand';
  na?: string;
  /** Per sample. */
  nsPerNode: number[];
  nsPerTick: number[];
  median: { nsPerNode: number; nsPerTick: number };
  /** Median of per-round vm/hand ratios on the same platform. */
  vsHand?: number;
}

export interface VmSection {
  rows: VmRow[];
  /** Per platform: wake-tick cost of the largest graph over that of the smallest (vm). */
  wakeGrowth: Record<string, number>;
  verified: Record<string, string>;
}

const SMALL_EV: InEvent = { kind: 'ws.message', conn: SMALL, data: 'tick' };
const BIG_EV: InEvent = { kind: 'ws.message', conn: BIG, data: 'tick' };

async function vmVariant(w: Workload, target: string): Promise<Variant> {
  const r = compile(w.project);
  if (!r.ok) throw new Error(`bench graph of ${w.nodes} nodes: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  await loadRuntime(r.schedule, { target: target as 'node', transports: {} });
  const { engine, runner } = createRuntime(r.schedule, { target: target as 'node', mode: 'stepped', transports: {} });
  let now = 0;
  const boot = engine.tick(now);
  const bad = boot.find((o) => o.kind === 'error');
  if (bad) throw new Error(`bench graph of ${w.nodes} nodes on ${target}: ${JSON.stringify(bad)}`);
  return {
    id: `${target}/vm`,
    platform: target,
    kind: 'vm',
    run(k, big) {
      for (let i = 0; i < k; i++) {
        engine.post(SMALL_EV);
        if (big) engine.post(BIG_EV);
        const out = engine.tick(++now);
        if (out.length && out[out.length - 1].kind === 'error') throw new Error(`${target}: ${JSON.stringify(out[out.length - 1])}`);
      }
    },
    state: () => engine.variables(),
    dispose: () => runner.stop(),
  };
}

function nodeHand(w: Workload): Variant {
  const h = handWritten(w);
  return {
    id: 'node/hand',
    platform: 'node',
    kind: 'hand',
    run(k, big) {
      for (let i = 0; i < k; i++) {
        h.onSmall('tick');
        if (big) h.onBig('tick');
      }
    },
    state: () => h.state(),
    dispose: () => {},
  };
}

async function guestHand(w: Workload): Promise<Variant> {
  const g = await quickjsHand(w);
  return { id: 'quickjs/hand', platform: 'quickjs', kind: 'hand', run: (k, big) => g.run(k, big), state: () => g.state(), dispose: () => g.dispose() };
}

export async function runVmSection(allTargets: readonly string[], built: readonly string[], c: VmCounts, log: (s: string) => void): Promise<VmSection> {
  const rows: VmRow[] = [];
  const verified: Record<string, string> = {};
  for (const size of c.sizes) {
    const w = workload(size);
    const counter = handWritten(w, true);
    const variants: Variant[] = [nodeHand(w), await guestHand(w)];
    for (const t of built) variants.push(await vmVariant(w, t));
    const rowOf = (tick: TickKind, v: { platform: string; kind: 'vm' | 'hand' }, na?: string): VmRow => {
      let row = rows.find((r) => r.size === size && r.tick === tick && r.platform === v.platform && r.kind === v.kind);
      if (!row) rows.push((row = { size, tick, ...v, na, nsPerNode: [], nsPerTick: [], median: { nsPerNode: NaN, nsPerTick: NaN } }));
      return row;
    };
    for (const t of allTargets) if (!built.includes(t)) for (const tick of ['full', 'wake'] as const) rowOf(tick, { platform: t, kind: 'vm' }, 'n/a (target not built)');
    // Ticks per sample: a full tick runs about 14.5 nodes per block.
    const fullK = Math.max(1, Math.round(c.fullNodes / (size * 1.45)));
    const plan: { tick: TickKind; k: number }[] = [{ tick: 'full', k: fullK }, { tick: 'wake', k: c.wakeTicks }];
    const sample = (v: Variant, p: { tick: TickKind; k: number }): number => {
      const t0 = performance.now();
      v.run(p.k, p.tick === 'full');
      return (performance.now() - t0) * 1e6; // ns
    };
    const count = (p: { tick: TickKind; k: number }): number => {
      let n = 0;
      for (let i = 0; i < p.k; i++) n += (counter.onSmall('tick') as number) + (p.tick === 'full' ? (counter.onBig('tick') as number) : 0);
      return n;
    };
    // Warm-up: one untimed sample of each kind (the counter follows, to stay in step).
    for (const p of plan) {
      for (const v of variants) sample(v, p);
      count(p);
    }
    const ratios = new Map<VmRow, number[]>();
    for (let round = 0; round < c.rounds; round++) {
      for (const p of plan) {
        const nodes = count(p);
        const times = new Map<Variant, number>();
        for (const v of rotate(variants, round)) times.set(v, sample(v, p));
        for (const [v, ns] of times) {
          const row = rowOf(p.tick, v);
          row.nsPerNode.push(ns / nodes);
          row.nsPerTick.push(ns / p.k);
          if (v.kind === 'vm') {
            const hand = variants.find((h) => h.kind === 'hand' && h.platform === v.platform);
            if (hand) {
              if (!ratios.has(row)) ratios.set(row, []);
              ratios.get(row)!.push(ns / times.get(hand)!);
            }
          }
        }
      }
      log(`  vm ${size} nodes: round ${round + 1}/${c.rounds}`);
    }
    for (const [row, rs] of ratios) row.vsHand = median(rs);
    // The VMs must have done what the hand-written code did.
    for (const v of variants.filter((x) => x.kind === 'vm')) {
      const peer = variants.find((h) => h.kind === 'hand' && h.platform === v.platform) ?? variants[0];
      const a = v.state();
      const b = peer.state();
      const diff = Object.keys(b).filter((k) => a[k] !== b[k]);
      verified[`${v.id} ${size}`] = diff.length === 0 ? 'same state' : `DIFFERS in ${diff.length} variables (e.g. ${diff[0]}: ${a[diff[0]]} vs ${b[diff[0]]})`;
      if (diff.length) log(`  WARNING: ${v.id} at ${size} nodes ends in another state than ${peer.id}: ${verified[`${v.id} ${size}`]}`);
    }
    for (const v of variants) await v.dispose();
  }
  for (const r of rows) r.median = { nsPerNode: median(r.nsPerNode), nsPerTick: median(r.nsPerTick) };
  const wakeGrowth: Record<string, number> = {};
  const lo = Math.min(...c.sizes);
  const hi = Math.max(...c.sizes);
  for (const t of built) {
    const a = rows.find((r) => r.size === lo && r.tick === 'wake' && r.platform === t && r.kind === 'vm');
    const b = rows.find((r) => r.size === hi && r.tick === 'wake' && r.platform === t && r.kind === 'vm');
    if (a && b) wakeGrowth[t] = b.median.nsPerTick / a.median.nsPerTick;
  }
  return { rows, wakeGrowth, verified };
}
