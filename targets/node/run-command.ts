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
      onEvent: recording?.hooks.onEvent,
      onTick: recording?.hooks.onTick,
      onOutput: (o, tick, now) => {
        recording?.hooks.onOutput(o, tick, now);
        s.onOutput?.(o);
      },
    });
  } catch (e) {
    if (e instanceof StartError) throw new Failure(e.message);
    throw e;
  } finally {
    recording?.close();
  }
}

