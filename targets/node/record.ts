// `pulsewire run --record FILE`: the trace of a run, streamed to a file
// (header first, then a line per tick as each ends).

import type { Schedule } from '../../runtime/schedule/schedule.ts';
import type { Limits } from '../../runtime/limits.ts';
import { scheduleChecksum, traceConnections, TRACE_FORMAT, TRACE_VERSION } from '../../runtime/vm/trace.ts';
import { TraceRecorder } from '../shared/recorder.ts';
import { openTraceWriter } from './trace-file.ts';

export interface Recording {
  hooks: ReturnType<TraceRecorder['hooks']>;
  /** Writes what is buffered and closes the file. */
  close(): void;
}

/** Opens `file` for a run's trace; throws an Error with a one-line message when it cannot. */
export function startRecording(
  file: string,
  schedule: Schedule,
  run: { mode: string; target: string; tickRateHz: number; limits?: Partial<Limits> },
): Recording {
  let writer;
  try {
    writer = openTraceWriter(file);
  } catch (e) {
    throw new Error(`cannot write the trace ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const w = writer;
  const recorder = new TraceRecorder(
    {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      schedule: scheduleChecksum(schedule),
      project: schedule.meta.name,
      tickRateHz: run.tickRateHz,
      mode: run.mode,
      target: run.target,
      ...(run.limits ? { limits: run.limits } : {}),
      connections: traceConnections(schedule),
    },
    { write: (line) => w.write(line), keep: 1 },
  );
  return { hooks: recorder.hooks(), close: () => w.close() };
}
