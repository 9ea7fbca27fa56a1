// The Node target: a VM in this process, wired to the ws and socket.io-client
// transports through the host loop.

import { Vm, type VmOptions } from '../../runtime/vm/index.ts';
import type { Schedule } from '../../runtime/schedule/schedule.ts';
import { Runner, type RunnerOptions } from '../shared/runner.ts';
import { createWebSocketTransport } from '../../bindings/node/websocket.ts';
import { createSocketIoTransport } from '../../bindings/node/socketio.ts';

export type NodeRuntimeOptions = Omit<RunnerOptions, 'transports'> & Partial<Pick<RunnerOptions, 'transports'>> & { vm?: VmOptions };

export function createNodeRuntime(schedule: Schedule, opts: NodeRuntimeOptions): { vm: Vm; runner: Runner } {
  const vm = new Vm(schedule, opts.vm);
  const runner = new Runner(schedule, vm, {
    ...opts,
    transports: opts.transports ?? { ws: createWebSocketTransport, sio: createSocketIoTransport },
  });
  return { vm, runner };
}
