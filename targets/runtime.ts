// One way to get a running pulsewire, whatever the target: the CLI, the
// integration tests, the HIL kit and the benchmark all come through here, so
// "the same schedule on every target" is one parameter.
//
// Loading is on demand, so that a command pays only for what its run uses:
// the QuickJS module (wasm, guest bundle) only for the quickjs target, and
// each protocol's library (ws, socket.io-client) only when the schedule has
// a connection of that kind. `await loadRuntime(schedule, { target })` loads
// them (once per process; later calls are free), then the synchronous
// createRuntime() makes the runtime. Nothing here waits at import time (no
// top-level await), so the HIL kit bundles as CommonJS too.

import type { Schedule } from '../runtime/schedule/schedule.ts';
import type { Limits } from '../runtime/limits.ts';
import { Vm } from '../runtime/vm/index.ts';
import { Runner, type RunnerOptions, type TickEngine } from './shared/runner.ts';
import type { TransportFactory } from '../bindings/types.ts';
import { QuickJsEngine, QUICKJS_DEFAULTS } from '../bindings/quickjs/engine.ts';
import { loadQuickJs, quickJsLoaded } from '../bindings/quickjs/module.ts';

import { TARGETS, type TargetName } from './target-names.ts';

export { TARGETS, type TargetName };

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

type Family = 'ws' | 'sio';
/** The Node bindings loaded so far, by protocol family. */
const nodeBindings: Partial<Record<Family, TransportFactory>> = {};
/** Why the QuickJS module could not load (a Node-only install), once it was tried. */
let quickjsUnavailable: string | undefined;

const families = (s: Schedule): Family[] => (['ws', 'sio'] as const).filter((k) => s.connections.some((c) => c.kind === k));

/**
 * Loads what createRuntime needs to run `schedule` on `target`: the QuickJS
 * module for quickjs, and unless `transports` are given, the Node binding of
 * each protocol the schedule's connections use. A module that cannot load
 * is not an error here: createRuntime says why when it is asked for it.
 */
export async function loadRuntime(schedule: Schedule, opts: { target?: TargetName; transports?: RuntimeOptions['transports'] } = {}): Promise<void> {
  const jobs: Promise<unknown>[] = [];
  if (opts.target === 'quickjs' && !quickJsLoaded() && quickjsUnavailable === undefined) {
    jobs.push(loadQuickJs().catch((e: unknown) => (quickjsUnavailable = (e as Error)?.message ?? String(e))));
  }
  if (!opts.transports) {
    for (const f of families(schedule)) {
      if (nodeBindings[f]) continue;
      jobs.push(f === 'ws'
        ? import('../bindings/node/websocket.ts').then((m) => (nodeBindings.ws = m.createWebSocketTransport))
        : import('../bindings/node/socketio.ts').then((m) => (nodeBindings.sio = m.createSocketIoTransport)));
    }
  }
  await Promise.all(jobs);
}

/** The Node bindings for the connections of `schedule` (ws, socket.io-client), as loaded by loadRuntime. */
export function nodeTransports(schedule: Schedule): RunnerOptions['transports'] {
  const out: RunnerOptions['transports'] = {};
  for (const f of families(schedule)) {
    const factory = nodeBindings[f];
    if (!factory) throw new Error(`the ${f === 'ws' ? 'WebSocket' : 'Socket.IO'} binding is not loaded: await loadRuntime(schedule) first`);
    out[f] = factory;
  }
  return out;
}

/** A runtime for `schedule`, before its first tick; what it needs must have been loaded by loadRuntime(). */
export function createRuntime(schedule: Schedule, opts: RuntimeOptions): Runtime {
  const target = opts.target ?? 'node';
  const transports = opts.transports ?? nodeTransports(schedule);
  let engine: TickEngine;
  switch (target) {
    case 'node':
      engine = new Vm(schedule, { limits: opts.limits });
      break;
    case 'quickjs':
      if (!quickJsLoaded()) {
        throw new Error(quickjsUnavailable !== undefined
          ? `the quickjs target is not available: ${quickjsUnavailable}`
          : "the quickjs target is not loaded: await loadRuntime(schedule, { target: 'quickjs' }) first");
      }
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
  const runner = new Runner(schedule, engine, { ...opts, transports });
  return { engine, runner };
}
