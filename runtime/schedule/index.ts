// runtime/schedule: the compiled form of a project and its .pws file.
// opcodes.ts is the instruction set, schedule.ts the in-memory model,
// format.ts the bytes, verify.ts what a loaded schedule guarantees the VM,
// disasm.ts the listing. This file names the folder's public API.

export { OPS, OP, OP_NAMES, OP_BY_CODE, instructionLength } from './opcodes.ts';
export type { OpName, OpRow } from './opcodes.ts';
export { EVENT_KINDS, EVENT_PAYLOAD } from './schedule.ts';
export type {
  Schedule, Meta, ConnKind, ConnectionEntry, VariableEntry, EventEntry, EventKind, EventKindName, DebugMap,
} from './schedule.ts';
export { encode, decode, strip, FORMAT_VERSION, MAGIC, HEADER_SIZE, SECTIONS } from './format.ts';
export type { SectionName } from './format.ts';
export { verify, MAX_REGISTERS, MAX_JSON_DEPTH } from './verify.ts';
export { disassemble } from './disasm.ts';
export { ScheduleError } from './errors.ts';
export { crc32 } from './crc32.ts';
