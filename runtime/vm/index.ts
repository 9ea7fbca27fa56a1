export { Vm, type VmOptions } from './vm.ts';
export type { InEvent, Command, Output, RuntimeError, ConsoleLevel, ClosedBy } from './io.ts';
export { isCommand } from './io.ts';
