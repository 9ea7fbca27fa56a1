// `pulsewire run` (and the demo): a schedule on a target until --ticks,
// --duration or a signal, with an optional recording. Its own module so that
// the demo and the CLI both import it, and neither imports the other.

import type { Schedule } from '../../runtime/schedule/schedule.ts';
import type { Output } from '../../runtime/vm/io.ts';
import type { TickMode } from '../shared/runner.ts';
import type { TargetName } from '../runtime.ts';
import { runToEnd, StartError } from '../shared/run-to-end.ts';
import { startRecording, type Recording } from './record.ts';
import { Failure } from './cli-errors.ts';
import { runToken } from './token.ts';
import { CONTROL_TOKEN_ENV } from '../shared/control-protocol.ts';

export interface RunSettings {
  mode: TickMode;
  ticks?: number;
  duration?: number;
  rate?: number;
  verbose: boolean;
  /** Default node. */
  target?: TargetName;
  /** Write the run's trace to this file. */
  record?: string;
  /** Extra output handler (the demo's variable display). */
  onOutput?(o: Output): void;
  /** Serve the live inspector (run --inspect). */
  inspect?: { port: number; host?: string; project?: string };
}

/** Runs a schedule on a target until --ticks, --duration or a signal; resolves to the exit code. */
export async function runSchedule(schedule: Schedule, s: RunSettings): Promise<number> {
  let recording: Recording | undefined;
  if (s.record !== undefined) {
    try {
      recording = startRecording(s.record, schedule, { mode: s.mode, target: s.target ?? 'node', tickRateHz: s.rate ?? schedule.meta.tickRateHz });
    } catch (e) {
      throw new Failure((e as Error).message);
    }
  }
  const target = s.target ?? 'node';
  let live: Awaited<ReturnType<typeof startLive>> | undefined;
  if (s.inspect) {
    try {
      live = await startLive(schedule, s.inspect, { mode: s.mode, target, tickRateHz: s.rate ?? schedule.meta.tickRateHz });
    } catch (e) {
      recording?.close();
      throw new Failure(`cannot open the inspector on ${s.inspect.host ?? '127.0.0.1'}:${s.inspect.port}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  try {
    return await runToEnd(schedule, {
      target: s.target,
      mode: s.mode,
      tickRateHz: s.rate,
      maxTicks: s.ticks,
      steppedTicks: s.ticks,
      duration: s.duration,
      verbose: s.verbose,
      env: process.env,
      log: { warn: (t) => process.stderr.write(`warning: ${t}\n`) },
      onEvent: (ev, ok) => {
        recording?.hooks.onEvent(ev, ok);
        live?.hooks.onEvent(ev, ok);
      },
      onTick: (tick, now, outputs, stats) => {
        recording?.hooks.onTick(tick, now, outputs, stats);
        live?.hooks.onTick(tick, now, outputs, stats);
      },
      onOutput: (o, tick, now) => {
        recording?.hooks.onOutput(o, tick, now);
        live?.hooks.onOutput(o, tick, now);
        s.onOutput?.(o);
      },
      onStarted: (rt) => live?.bind(rt.runner),
    });
  } catch (e) {
    if (e instanceof StartError) throw new Failure(e.message);
    throw e;
  } finally {
    recording?.close();
    await live?.close();
  }
}

/** The inspector of a plain run (loaded only with --inspect: the server, the page, ELK for its picture). */
async function startLive(schedule: Schedule, o: NonNullable<RunSettings['inspect']>, run: { mode: string; target: string; tickRateHz: number }) {
  const { attachInspector, runSource } = await import('../inspector/attach.ts');
  const { token, given } = runToken(process.env);
  const src = runSource(schedule, run);
  const inspector = await attachInspector(schedule, src.source, { port: o.port, host: o.host, token, project: o.project });
  announce(inspector.url, token, given, o.host);
  return { hooks: src.hooks, bind: src.bind, close: () => inspector.close() };
}

/** The inspector's address on stderr, the token in its #fragment (a browser never sends that part to a server). */
export function announce(url: string, token: string, given: boolean, host: string | undefined): void {
  if (host !== undefined && host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    process.stderr.write(`warning: the inspector listens on ${host}: whoever reaches it with the token sees this run\n`);
  }
  process.stderr.write(`pulsewire: inspector on ${url}#token=${encodeURIComponent(token)}${given ? '' : ` (token generated; set ${CONTROL_TOKEN_ENV} to choose it)`}\n`);
}

