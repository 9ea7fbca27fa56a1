// The schedule as the VM sees it: what the compiler produces and what
// decode() returns after verifying a .pws file. format.ts maps it to bytes.

import type { Value, TypeCode } from '../values.ts';
import type { Limits } from '../limits.ts';

/** Event kinds of the event table. Numbers are stored in .pws files (never reorder). */
export const EVENT_KINDS = {
  SceneLoaded: 1,
  WsStart: 2,
  WsStop: 3,
  WsReceive: 4,
  WsError: 5,
  SioStart: 6,
  SioStop: 7,
  SioReceive: 8,
  SioError: 9,
  SioSubscribe: 10,
  SioUnsubscribe: 11,
} as const;
export type EventKindName = keyof typeof EVENT_KINDS;
export type EventKind = (typeof EVENT_KINDS)[EventKindName];

/**
 * Registers an event's payload is written to, per kind, in this order.
 * The compiler fills EventEntry.regs in this order; the VM writes them so.
 */
export const EVENT_PAYLOAD: { readonly [K in EventKindName]: readonly string[] } = {
  SceneLoaded: [],
  WsStart: [],
  WsStop: ['Code', 'Reason'],
  WsReceive: ['Message'],
  WsError: ['Message', 'Code'],
  SioStart: [],
  SioStop: ['Reason'],
  SioReceive: ['Namespace', 'Trigger Name', 'Message'],
  SioError: ['Namespace', 'Message', 'Code'],
  SioSubscribe: ['Namespace', 'Event Name'],
  SioUnsubscribe: ['Namespace', 'Event Name'],
};

export type ConnKind = 'ws' | 'sio';

export interface ConnectionEntry {
  kind: ConnKind;
  /** The Name the designer gave it; nodes pick it in Configuration. */
  name: string;
  /** Full address, URL and Port already composed by the compiler. */
  url: string;
  /** Binding options (headers, auth, reconnect, TLS, bounds) as plain JSON; see bindings/options.ts. */
  options: { [key: string]: Value };
}

export interface VariableEntry {
  /** Qualified name: `speed` in the Project scope, `Dashboard/speed` in a scene. */
  name: string;
  type: TypeCode;
  /** Owning scene index, or -1 for the Project scope. */
  scene: number;
  /** Constant-pool index of the initial value. */
  init: number;
}

export interface EventEntry {
  kind: EventKind;
  /** Connection index for communication events; scene index (or -1: any) for SceneLoaded. */
  key: number;
  /** Scene whose listener this is, or -1 for the Project scope (always live). */
  scene: number;
  /** Bit 0: On WebSocket Receive wants Binary. */
  flags: number;
  /** Entry point of the chain. */
  pc: number;
  /** Payload registers, in EVENT_PAYLOAD order. */
  regs: number[];
}

export interface DebugMap {
  /** Sorted start pcs; the instructions from pcs[i] up to pcs[i+1] belong to nodes[i]. */
  pcs: number[];
  /** `scope/node-id` for each range. */
  nodes: string[];
}

export interface Meta {
  /** Project name, for messages. */
  name: string;
  tickRateHz: number;
  /** Scene loaded at boot, or -1 when the project has no scenes. */
  startScene: number;
  randomSeed: number;
  /** Per-project overrides of the defaults in limits.ts. */
  limits: Partial<Limits>;
}

export interface Schedule {
  meta: Meta;
  consts: Value[];
  connections: ConnectionEntry[];
  scenes: string[];
  variables: VariableEntry[];
  events: EventEntry[];
  regCount: number;
  /** Pairs (register, constant index): registers that start with a value (literals, defaults). */
  regInit: number[];
  code: Int32Array;
  debug?: DebugMap;
}
