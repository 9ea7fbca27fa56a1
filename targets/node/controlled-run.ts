// `pulsewire run --control PORT`: the runtime on the kit's virtual clock
// (targets/shared/stepped-host.ts), driven through the control channel by a
// rig in another process — as a rig drives a board. With --mode stepped it
// waits for the client to step it; with --mode fixed it also ticks by
// itself, paced to real time, until a client pauses it.

import type { Schedule } from '../../runtime/schedule/schedule.ts';
import { loadRuntime, type TargetName } from '../runtime.ts';
import { createSteppedRuntime } from '../shared/stepped-host.ts';
import { CONTROL_TOKEN_ENV } from '../shared/control-protocol.ts';
import { startControlServer } from './control.ts';
import { openTraceWriter } from './trace-file.ts';
import { printOutput } from '../shared/output.ts';
import { runToken } from './token.ts';
import { announce } from './run-command.ts';

export interface ControlledRunSettings {
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  target: TargetName;
  /** 'stepped': only the client ticks it; 'fixed': ticks in real time until paused. */
  mode: 'fixed' | 'stepped';
  rate?: number;
  ticks?: number;
  duration?: number;
  record?: string;
  verbose: boolean;
  /** Also serve the live inspector, with pause, step and resume (run --control --inspect). */
  inspect?: { port: number; host?: string; project?: string };
}

/** Resolves to the exit code once a client says stop, a signal arrives, or --ticks / --duration is reached. */
export async function runControlled(schedule: Schedule, s: ControlledRunSettings): Promise<number> {
  const env = process.env;
  const { token, given } = runToken(env);
  await loadRuntime(schedule, { target: s.target });
  const writer = s.record !== undefined ? openTraceWriter(s.record) : undefined;
  let failed = false;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const host = createSteppedRuntime(schedule, {
    target: s.target,
    tickRateHz: s.rate,
    env,
    log: { warn: (t) => process.stderr.write(`warning: ${t}\n`) },
    record: writer ? (line) => writer.write(line) : undefined,
    onOutput: (o) => {
      if (printOutput(o, s.verbose, schedule.connections) !== 'ok') failed = true;
    },
  });
  const maxTicks = s.ticks;
  if (maxTicks !== undefined) {
    host.recorder.onRecord((r) => {
      if (r.tick + 1 >= maxTicks) finish();
    });
  }
  const server = await startControlServer(host, { port: s.port, host: s.host, token, onStop: finish }).catch(async (e: NodeJS.ErrnoException) => {
    await host.close();
    writer?.close();
    throw new Error(`cannot open the control channel on ${s.host ?? '127.0.0.1'}:${s.port}: ${e.code ?? e.message}`);
  });
  if (s.host !== undefined && s.host !== '127.0.0.1' && s.host !== 'localhost' && s.host !== '::1') {
    process.stderr.write(`warning: the control channel listens on ${server.address}: whoever reaches it with the token controls this runtime\n`);
  }
  if (!given) process.stderr.write(`pulsewire: control token: ${token} (set ${CONTROL_TOKEN_ENV} to choose it)\n`);
  let inspector: { close(): Promise<void> } | undefined;
  if (s.inspect) {
    const { attachInspector, hostSource } = await import('../inspector/attach.ts');
    try {
      const i = await attachInspector(schedule, hostSource(host), { port: s.inspect.port, host: s.inspect.host, token, project: s.inspect.project });
      inspector = i;
      announce(i.url, token, true, s.inspect.host);
    } catch (e) {
      await server.close();
      await host.close();
      writer?.close();
      throw new Error(`cannot open the inspector on ${s.inspect.host ?? '127.0.0.1'}:${s.inspect.port}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  // Last, so that a client reading stderr up to this line has everything above it.
  process.stderr.write(`pulsewire: control channel on ${server.url}\n`);
  process.once('SIGINT', finish);
  process.once('SIGTERM', finish);
  const timer = s.duration !== undefined ? setTimeout(finish, s.duration * 1000) : undefined;
  if (s.mode === 'fixed') host.play();
  try {
    await finished;
  } finally {
    if (timer) clearTimeout(timer);
    process.off('SIGINT', finish);
    process.off('SIGTERM', finish);
    await inspector?.close();
    await server.close();
    await host.close();
    writer?.close();
  }
  return failed ? 1 : 0;
}
