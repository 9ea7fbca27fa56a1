// `pulsewire replay <project|.pws> TRACE [--target T]`: the replay binding
// on a file, with a verdict a person (or CI) reads: exit 0 when every
// output of every tick is identical, 1 with the first divergence, a trace
// of another schedule, or a malformed line.

import type { Schedule } from '../../runtime/schedule/schedule.ts';
import { scheduleChecksum } from '../../runtime/vm/trace.ts';
import { replay } from '../../bindings/replay/index.ts';
import { createRuntime, loadRuntime, type TargetName } from '../runtime.ts';
import type { Divergence } from '../../bindings/replay/replay.ts';
import type { TickEngine } from '../shared/runner.ts';
import { readTraceLines } from './trace-file.ts';

export interface ReplayVerdict {
  code: 0 | 1;
  /** The first divergence, when there is one. */
  divergence?: Divergence;
  /** For stdout (success) or stderr (failure), one or more lines. */
  message: string;
  ticksPerSecond?: number;
}

export async function replayFile(schedule: Schedule, traceFile: string, target: TargetName): Promise<ReplayVerdict> {
  await loadRuntime(schedule, { target, transports: {} });
  let engine: TickEngine | undefined;
  let t0 = 0;
  try {
    const r = replay({
      lines: readTraceLines(traceFile),
      checksum: scheduleChecksum(schedule),
      engine: (header) => {
        // No transports: the trace is the only source of events.
        engine = createRuntime(schedule, { target, mode: 'stepped', transports: {}, limits: header.limits }).engine;
        t0 = performance.now(); // the rate is the replay's, not the engine's start-up
        return engine;
      },
    });
    const s = (performance.now() - t0) / 1000;
    if (r.ok) {
      const rate = Math.round(r.ticks / Math.max(s, 1e-6));
      return {
        code: 0,
        ticksPerSecond: rate,
        message: `${traceFile}: identical on ${target}: ${r.ticks} ticks, ${r.events} events, ${r.outputs} outputs (recorded on ${r.header.target}; ${rate} ticks/s)`,
      };
    }
    return { code: 1, message: `${traceFile}: ${r.message}`, ...(r.kind === 'diverged' ? { divergence: r.divergence } : {}) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'EISDIR' || err.code === 'EACCES') {
      return { code: 1, message: `${traceFile}: cannot read it (${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a folder' : err.code})` };
    }
    if (engine === undefined) return { code: 1, message: `cannot start the ${target} target: ${err.message ?? e}` };
    throw e;
  } finally {
    engine?.dispose?.();
  }
}
