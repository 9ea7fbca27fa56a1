// Running a project for real: compiled, pointed at loopback back ends, on a
// chosen target, in on-demand mode, with every output kept. `until` waits
// (bounded) for a condition and fails showing what the run produced.

import { createRuntime, loadRuntime, type TargetName } from '../../targets/runtime.ts';
import { overrideConnections } from '../../targets/shared/load.ts';
import type { Output } from '../../runtime/vm/io.ts';
import type { Limits } from '../../runtime/limits.ts';
import type { TickMode } from '../../targets/shared/runner.ts';
import { compileOk } from './project.ts';

export interface LiveRun {
  outputs: Output[];
  console(): string[];
  variables(): Record<string, unknown>;
  until(what: string, pred: () => boolean, timeoutMs?: number): Promise<void>;
  /** Waits `ms` of real time (for asserting that something does NOT happen after a sentinel). */
  settle(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export async function live(
  p: object,
  opts: { target: TargetName; connect?: Record<string, string>; mode?: TickMode; limits?: Partial<Limits>; env?: Record<string, string> },
): Promise<LiveRun> {
  const schedule = overrideConnections(compileOk(p), opts.connect ?? {});
  const outputs: Output[] = [];
  await loadRuntime(schedule, { target: opts.target });
  const { runner, engine } = createRuntime(schedule, {
    target: opts.target,
    mode: opts.mode ?? 'on-demand',
    limits: opts.limits,
    env: opts.env ?? {},
    log: { warn: () => {} },
    onOutput: (o) => outputs.push(o),
  });
  void runner.start();
  const run: LiveRun = {
    outputs,
    console: () => outputs.flatMap((o) => (o.kind === 'console' ? [o.text] : [])),
    variables: () => engine.variables(),
    async until(what, pred, timeoutMs = 8000) {
      const end = performance.now() + timeoutMs;
      while (!pred()) {
        if (performance.now() > end) {
          throw new Error(`timed out waiting for ${what}; outputs so far:\n${outputs.map((o) => '  ' + JSON.stringify(o)).join('\n')}`);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    settle: (ms) => new Promise((r) => setTimeout(r, ms)),
    stop: () => runner.stop(),
  };
  return run;
}
