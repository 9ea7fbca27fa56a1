// Running a schedule from a terminal until it is done: what `pulsewire run`
// and a board's `./start` share. It creates the runtime, prints outputs,
// stops on --ticks, --duration, SIGINT/SIGTERM or a stopped sandbox, and
// resolves to the exit code (0 ok, 1 the run failed).

import type { Schedule } from '../../runtime/schedule/schedule.ts';
import { createRuntime, loadRuntime, type Runtime, type RuntimeOptions } from '../runtime.ts';
import { printOutput } from './output.ts';

export interface RunToEndOptions extends RuntimeOptions {
  verbose: boolean;
  /** Stop after this many seconds of real time. */
  duration?: number;
  /** Stepped mode: the number of virtual ticks to run (required there). */
  steppedTicks?: number;
  /** Called once the runtime is up, before the first tick (a banner, say). */
  onStarted?(runtime: Runtime): void;
}

/** The target could not start (its module or guest missing, a memory limit below what it needs). */
export class StartError extends Error {}

export async function runToEnd(schedule: Schedule, o: RunToEndOptions): Promise<number> {
  let failed = false;
  let sandboxStopped = false;
  let stop = (): void => {};
  let runtime;
  try {
    await loadRuntime(schedule, o);
    runtime = createRuntime(schedule, {
      ...o,
      maxTicks: o.mode === 'stepped' ? undefined : o.maxTicks,
      onOutput: (out, tick, now) => {
        o.onOutput?.(out, tick, now);
        const meaning = printOutput(out, o.verbose, schedule.connections);
        if (meaning !== 'ok') failed = true;
        if (meaning === 'sandbox-stopped' && !sandboxStopped) {
          sandboxStopped = true; // it ticks no more: end the run (a board's supervisor restarts it)
          queueMicrotask(stop);
        }
      },
    });
  } catch (e) {
    throw new StartError(`cannot start the ${o.target ?? 'node'} target: ${(e as Error)?.message ?? e}`);
  }
  const { runner } = runtime;
  stop = () => void runner.stop();
  o.onStarted?.(runtime);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const timer = o.duration !== undefined ? setTimeout(stop, o.duration * 1000) : undefined;
  try {
    if (o.mode === 'stepped') {
      for (let i = 0; i < (o.steppedTicks ?? 0) && !sandboxStopped; i++) {
        runner.step();
        await new Promise((r) => setImmediate(r)); // let I/O in between virtual ticks
      }
      await runner.stop();
    } else {
      await runner.start();
    }
  } finally {
    if (timer) clearTimeout(timer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return failed ? 1 : 0;
}
