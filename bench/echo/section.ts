// Sections 1 and 2: WebSocket and Socket.IO echo, parent side.
//
// One server child per protocol, pinned to core 0, lives for the section;
// every session gets a fresh client child pinned to core 1. A round runs
// every case once, in an order rotated by the round number; rounds repeat,
// and each figure is the median over rounds. Ratios are taken within a
// round (pulsewire / hand-written of the same round), then their median.

import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../../runtime/compiler/index.ts';
import { encode } from '../../runtime/schedule/index.ts';
import { echoProject } from './projects.ts';
import { startChild, type Child, type Msg } from '../lib/children.ts';
import { cpuMsOf } from '../lib/machine.ts';
import { median, rotate } from '../lib/stats.ts';
import type { EchoResult, Impl, Proto } from './protocol.ts';

export type Mode = 'on-demand' | 'fixed';

export interface EchoCase {
  id: string;
  proto: Proto;
  impl: Impl;
  /** pulsewire only. */
  target?: string;
  mode?: Mode;
  w: number;
  n: number;
  warm: number;
}

export interface EchoTrial extends EchoResult {
  round: number;
  /** Client CPU time (user + system) per measured message, µs. */
  clientCpuUsPerMsg: number;
}

export interface EchoCaseResult extends EchoCase {
  /** Why there are no numbers ('target not built'), when there are none. */
  na?: string;
  trials: EchoTrial[];
  median: { msgsPerSec: number; p50: number; p99: number; clientCpuUsPerMsg: number };
  /** Medians of per-round ratios to the hand-written client of the same W (and mode on-demand). */
  vsHand?: { msgsPerSec: number; p50: number; p99: number };
}

export interface EchoCounts {
  rounds: number;
  w32: { n: number; warm: number };
  /** Absent in a smoke run: W=1 on-demand runs the same client code as W=32. */
  w1?: { n: number; warm: number };
  fixed: { n: number; warm: number };
  timeoutMs: number;
}

export function echoCases(proto: Proto, targets: readonly string[], c: EchoCounts): EchoCase[] {
  const cases: EchoCase[] = [];
  for (const w of c.w1 ? [32, 1] : [32]) {
    const k = w === 32 ? c.w32 : c.w1!;
    cases.push({ id: `${proto}/hand/w${w}`, proto, impl: 'hand', w, ...k });
    for (const t of targets) cases.push({ id: `${proto}/${t}/on-demand/w${w}`, proto, impl: 'pulsewire', target: t, mode: 'on-demand', w, ...k });
  }
  for (const t of targets) cases.push({ id: `${proto}/${t}/fixed60/w1`, proto, impl: 'pulsewire', target: t, mode: 'fixed', w: 1, ...c.fixed });
  return cases;
}

let sessionId = 0;

async function runSession(server: Child, url: string, pws: string, c: EchoCase, timeoutMs: number, round: number): Promise<EchoTrial> {
  const id = ++sessionId;
  server.send({ type: 'session', id, n: c.n, warm: c.warm, w: c.w, timeoutMs });
  const args = [c.proto, c.impl, url, c.target ?? 'node', c.mode ?? 'on-demand', '60', pws];
  const client = startChild('bench/echo/client.ts', args, { core: 1 });
  let cpu0 = NaN;
  let result: EchoResult | undefined;
  const clientGone = client.exitedP.then(() => 'exited' as const);
  try {
    // Start-up (tsx, compile) and warm-up both happen before `measuring`.
    for (;;) {
      const m = await Promise.race([server.next(['measuring', 'result'], timeoutMs + 30_000), clientGone]);
      if (m === 'exited') {
        server.send({ type: 'abort' });
        const r = await server.next(['result'], 10_000);
        result = (r as Msg & { result: EchoResult }).result;
        result.error = `${result.error}: ${client.tail()}`;
        break;
      }
      if (m.id !== id) continue; // a late message of an earlier session
      if (m.type === 'measuring') {
        cpu0 = cpuMsOf(client.pid);
        continue;
      }
      result = (m as Msg & { result: EchoResult }).result;
      break;
    }
    const cpu1 = cpuMsOf(client.pid);
    return { ...result, round, clientCpuUsPerMsg: result.received > 0 ? ((cpu1 - cpu0) * 1000) / result.received : NaN };
  } finally {
    await client.stop();
  }
}

export async function runEchoSection(
  proto: Proto,
  allTargets: readonly string[],
  built: readonly string[],
  counts: EchoCounts,
  log: (s: string) => void,
): Promise<EchoCaseResult[]> {
  const cases = echoCases(proto, allTargets, counts);
  const results: EchoCaseResult[] = cases.map((c) => ({
    ...c,
    na: c.target && !built.includes(c.target) ? 'n/a (target not built)' : undefined,
    trials: [],
    median: { msgsPerSec: NaN, p50: NaN, p99: NaN, clientCpuUsPerMsg: NaN },
  }));
  const runnable = results.filter((r) => !r.na);
  // The graph is compiled once, here; clients load the .pws as a board would.
  const dir = mkdtempSync(join(tmpdir(), 'pulsewire-bench-'));
  const pws = join(dir, `echo-${proto}.pws`);
  const compiled = compile(echoProject(proto));
  if (!compiled.ok) throw new Error(`echo graph: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  writeFileSync(pws, encode(compiled.schedule, { debug: false }));
  const server = startChild('bench/echo/server.ts', [proto], { core: 0 });
  try {
    const { url } = (await server.next(['listening'], 30_000)) as Msg & { url: string };
    for (let round = 0; round < counts.rounds; round++) {
      for (const r of rotate(runnable, round)) {
        const t = await runSession(server, url, pws, r, counts.timeoutMs, round);
        r.trials.push(t);
        log(`  ${proto} round ${round + 1}/${counts.rounds} ${r.id}: ${t.ok ? `${Math.round(t.msgsPerSec)} msg/s, p50 ${t.p50.toFixed(3)} ms, p99 ${t.p99.toFixed(3)} ms` : `FAILED: ${t.error}`}`);
      }
    }
  } finally {
    server.send({ type: 'close' });
    await server.stop(3000);
    rmSync(dir, { recursive: true, force: true });
  }
  for (const r of runnable) {
    const ok = r.trials.filter((t) => t.ok);
    r.median = {
      msgsPerSec: median(ok.map((t) => t.msgsPerSec)),
      p50: median(ok.map((t) => t.p50)),
      p99: median(ok.map((t) => t.p99)),
      clientCpuUsPerMsg: median(ok.map((t) => t.clientCpuUsPerMsg)),
    };
    if (r.impl === 'hand') continue;
    const hand = results.find((h) => h.impl === 'hand' && h.w === r.w);
    if (!hand) continue;
    const per = (f: (t: EchoTrial) => number) =>
      median(r.trials.map((t) => {
        const h = hand.trials.find((x) => x.round === t.round);
        return t.ok && h?.ok ? f(t) / f(h) : NaN;
      }));
    r.vsHand = { msgsPerSec: per((t) => t.msgsPerSec), p50: per((t) => t.p50), p99: per((t) => t.p99) };
  }
  return results;
}
