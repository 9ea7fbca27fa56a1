// Attaching the inspector to a run: what `run --inspect`, `run --control
// --inspect` and the demo share. It finds the page's script, works out
// which nodes each chain reaches (for the page to light), lays the graph out
// in the background (the run does not wait for ELK), and starts the server.
// The source it reads is either a plain run's (a recorder of its own and
// the runner, bound once it exists) or a controlled run's stepped host.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '../../runtime/schedule/index.ts';
import { fileURLToPath } from 'node:url';
import type { Schedule } from '../../runtime/schedule/schedule.ts';
import { scheduleChecksum, traceConnections, TRACE_FORMAT, TRACE_VERSION, type TraceHeader } from '../../runtime/vm/trace.ts';
import type { Runner, RunnerOptions } from '../shared/runner.ts';
import { TraceRecorder } from '../shared/recorder.ts';
import type { SteppedHost } from '../shared/stepped-host.ts';
import { chainNodes } from '../pictures/code-walk.ts';
import { startInspector, type InspectSource, type Inspector } from './server.ts';

/** The page's script: dist/inspector.js of this package (beside a board's runner.mjs on a board). */
export function pageScript(): string {
  const here = import.meta.url;
  const candidates = [
    new URL('./inspector.js', here), // bundled: dist/cli.mjs, a board's runner.mjs
    new URL('../../dist/inspector.js', here), // from source (tsx)
  ];
  for (const u of candidates) {
    try {
      return readFileSync(fileURLToPath(u), 'utf8');
    } catch {
      // the next place
    }
  }
  throw new Error(`the inspector's page is missing (dist/inspector.js): run 'node build.mjs' first`);
}

export interface InspectSettings {
  port: number;
  host?: string;
  token: string;
  /** Where the graph picture comes from: a project file, else the schedule's debug map. */
  project?: string;
  /** A picture made before (a board folder's graph.svg): no layout at run time. */
  graphSvg?: string;
}

/**
 * Lays the graph out in another process (`pulsewire graph`): ELK is seconds
 * of synchronous work on a big graph, which in this process would hold the
 * run's event loop and so its ticks. From the project when there is one (the
 * best picture), else from the schedule itself, written with its debug map.
 */
function graphOf(schedule: Schedule, project: string | undefined): Promise<string | undefined> {
  const cli = [new URL('../bin/pulsewire.mjs', import.meta.url), new URL('../../bin/pulsewire.mjs', import.meta.url)]
    .map((u) => fileURLToPath(u))
    .find((f) => existsSync(f));
  if (!cli) return Promise.resolve(undefined); // a board: its picture comes from its folder, or there is none
  const dir = mkdtempSync(join(tmpdir(), 'pulsewire-inspect-'));
  let input = project;
  if (input === undefined || !existsSync(input)) {
    input = join(dir, 'schedule.pws');
    writeFileSync(input, encode(schedule));
  }
  const out = join(dir, 'graph.svg');
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'graph', input, '-o', out], { timeout: 300_000 }, () => {
      let svg: string | undefined;
      try {
        svg = readFileSync(out, 'utf8'); // written even when the project has problems (exit 1)
      } catch {
        svg = undefined;
      }
      rmSync(dir, { recursive: true, force: true });
      resolve(svg);
    });
  });
}

export async function attachInspector(schedule: Schedule, src: InspectSource, s: InspectSettings): Promise<Inspector> {
  const chains = Object.fromEntries(chainNodes(schedule));
  const inspector = await startInspector(src, {
    port: s.port,
    host: s.host,
    token: s.token,
    script: pageScript(),
    chains,
    graph: s.graphSvg ?? graphOf(schedule, s.project),
  });
  return inspector;
}

/** A plain run's source: a recorder of its own (recent ticks only, nothing written) and the runner once it exists. */
export function runSource(schedule: Schedule, run: { mode: string; target: string; tickRateHz: number }): {
  source: InspectSource;
  hooks: Required<Pick<RunnerOptions, 'onEvent' | 'onOutput' | 'onTick'>>;
  bind(runner: Runner): void;
} {
  const header: TraceHeader = {
    format: TRACE_FORMAT, version: TRACE_VERSION, schedule: scheduleChecksum(schedule), project: schedule.meta.name,
    tickRateHz: run.tickRateHz, mode: run.mode, target: run.target, connections: traceConnections(schedule),
  };
  const recorder = new TraceRecorder(header, { keep: 1 });
  let runner: Runner | undefined;
  const vars: Record<string, import('../../runtime/values.ts').Value> = {};
  const sv = schedule.variables;
  for (const v of sv) vars[v.name] = schedule.consts[v.init];
  recorder.onRecord((r) => {
    for (const o of r.outputs) if (o.kind === 'var') vars[o.name] = o.value;
  });
  return {
    hooks: recorder.hooks(),
    bind: (r) => (runner = r),
    source: {
      header,
      onRecord: (fn) => recorder.onRecord(fn),
      // From the run's own outputs, not the engine: asking a QuickJS guest would cost a call per read.
      variables: () => ({ ...vars }),
      connections: () => runner?.connectionStatus() ?? [],
      ticks: () => runner?.ticks ?? 0,
      now: () => runner?.now ?? 0,
    },
  };
}

/** A controlled run's source: its stepped host, with pause, step and resume. */
export function hostSource(host: SteppedHost): InspectSource {
  return {
    header: host.header,
    onRecord: (fn) => host.recorder.onRecord(fn),
    variables: () => host.variables(),
    connections: () => host.runner.connectionStatus(),
    ticks: () => host.ticks,
    now: () => host.now,
    control: {
      step: (n) => host.step(n, { settle: true }),
      pause: () => host.pause(),
      play: () => host.play(),
      get playing() {
        return host.playing;
      },
    },
  };
}
