// One way to get a running pulsewire, whatever the target: the CLI, the
// integration tests, the HIL kit and the benchmark all come through here, so
// "the same schedule on every target" is one parameter.

import type { Schedule } from '../runtime/schedule/schedule.ts';
import type { Limits } from '../runtime/limits.ts';
import { Vm } from '../runtime/vm/index.ts';
import { Runner, type RunnerOptions, type TickEngine } from './shared/runner.ts';
import { createWebSocketTransport } from '../bindings/node/websocket.ts';
import { createSocketIoTransport } from '../bindings/node/socketio.ts';

export type TargetName = 'node' | 'quickjs';
export const TARGETS: readonly TargetName[] = ['node'];

export interface RuntimeOptions extends Omit<RunnerOptions, 'transports'> {
  target?: TargetName;
  /** Overrides of the schedule's limits (a board profile's, a test's). */
  limits?: Partial<Limits>;
  /** Transports; default: the Node bindings (ws, socket.io-client). */
  transports?: RunnerOptions['transports'];
}

export interface Runtime {
  engine: TickEngine;
  runner: Runner;
}

export function createRuntime(schedule: Schedule, opts: RuntimeOptions): Runtime {
  const target = opts.target ?? 'node';
  let engine: TickEngine;
  switch (target) {
    case 'node':
      engine = new Vm(schedule, { limits: opts.limits });
      break;
    default:
      throw new Error(`unknown target "${target}" (targets: ${TARGETS.join(', ')})`);
  }
  const runner = new Runner(schedule, engine, {
    ...opts,
    transports: opts.transports ?? { ws: createWebSocketTransport, sio: createSocketIoTransport },
  });
  return { engine, runner };
}
