// One way to get a running pulsewire, whatever the target: the CLI, the
// integration tests, the HIL kit and the benchmark all come through here, so
// "the same schedule on every target" is one parameter.

import type { Schedule } from '../runtime/schedule/schedule.ts';
import type { Limits } from '../runtime/limits.ts';
import { Vm } from '../runtime/vm/index.ts';
import { Runner, type RunnerOptions, type TickEngine } from './shared/runner.ts';
import { createWebSocketTransport } from '../bindings/node/websocket.ts';
import { createSocketIoTransport } from '../bindings/node/socketio.ts';
import { QuickJsEngine, QUICKJS_DEFAULTS } from '../bindings/quickjs/engine.ts';
import { loadQuickJs } from '../bindings/quickjs/module.ts';

export type TargetName = 'node' | 'quickjs';
export const TARGETS: readonly TargetName[] = ['node', 'quickjs'];

// createRuntime() is synchronous, but the QuickJS target needs its wasm
// module and guest bundle, which load asynchronously (~20 ms, once per
// process): importing this file waits for them. When they cannot load (a
// Node-only install), only the quickjs target fails, with this reason.
const quickjs = await loadQuickJs().then(() => undefined, (e: unknown) => (e as Error)?.message ?? String(e));

export interface RuntimeOptions extends Omit<RunnerOptions, 'transports'> {
  target?: TargetName;
  /** Overrides of the schedule's limits (a board profile's, a test's). */
  limits?: Partial<Limits>;
  /** Transports; default: the Node bindings (ws, socket.io-client). */
  transports?: RunnerOptions['transports'];
  /** quickjs: the sandbox's memory budget in bytes, as QuickJS counts it. Default 16 MiB. */
  memoryLimitBytes?: number;
  /** quickjs: how long one tick may run in the sandbox before it is interrupted (a fatal stop). Default 5000 ms. */
  tickTimeLimitMs?: number;
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
    case 'quickjs':
      if (quickjs !== undefined) throw new Error(`the quickjs target is not available: ${quickjs}`);
      engine = new QuickJsEngine(schedule, {
        limits: opts.limits,
        memoryLimitBytes: opts.memoryLimitBytes ?? QUICKJS_DEFAULTS.memoryLimitBytes,
        tickTimeLimitMs: opts.tickTimeLimitMs ?? QUICKJS_DEFAULTS.tickTimeLimitMs,
        log: opts.log,
      });
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
