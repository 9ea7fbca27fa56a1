// pulsewire/hil: the hardware-in-the-loop kit for mocha tests (docs/HIL.md).
//
//   const telemetry = await startWsBackend();
//   const rig = await startRig({ project: 'project.json', connect: { Telemetry: telemetry }, target });
//   await rig.runUntil('connected', (r) => r.variable('connected') === true);
//   telemetry.send({ speed: 131 });
//   await rig.runUntil('warning', (r) => r.console('warning').length > 0);
//
// A Rig is the same whether the runtime runs in this process (startRig) or
// in another, behind `pulsewire run --control` (connectRig, spawnRig).

export { Rig, type Controller, type RigInfo, type RigState, type RigOptions, type RunLimits, type ConsoleLine, type HasReceived } from './rig.ts';
export { startRig, loadProject, type StartRigOptions } from './local.ts';
export { connectRig, spawnRig, type ConnectRigOptions, type SpawnRigOptions } from './remote.ts';
export { startWsBackend, type WsBackend, type WsClient, type WsMessage } from './backends/ws.ts';
export { startSioBackend, type SioBackend, type SioClient, type SioMessage, type SioReply } from './backends/sio.ts';
export type { Matcher } from './backends/activity.ts';
export { formatTicks } from './format.ts';
export { TARGETS, type TargetName } from '../runtime.ts';
export type { InEvent, Output } from '../../runtime/vm/io.ts';
export type { TickRecord, TraceHeader } from '../../runtime/vm/trace.ts';
export type { Value } from '../../runtime/values.ts';
