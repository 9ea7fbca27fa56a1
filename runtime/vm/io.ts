// What crosses between the VM and the bindings: events in, outputs out.
// Plain JSON-like objects (Binary as Uint8Array) so that traces record them
// as they are and the QuickJS boundary can marshal them.

import type { Value } from '../values.ts';
import type { ErrorCode } from '../errors.ts';

/** Who ended a connection. */
export type ClosedBy = 'client' | 'server' | 'fault';

/** Events the bindings post to the VM's inbound queue. `conn` is the connection index. */
export type InEvent =
  | { kind: 'ws.open'; conn: number }
  | { kind: 'ws.message'; conn: number; data: string | Uint8Array }
  | { kind: 'ws.error'; conn: number; code: ErrorCode; message: string }
  | { kind: 'ws.close'; conn: number; code: number; reason: string; by: ClosedBy }
  | { kind: 'sio.open'; conn: number }
  | { kind: 'sio.close'; conn: number; reason: string; by: ClosedBy }
  | { kind: 'sio.event'; conn: number; ns: string; event: string; message: string }
  | { kind: 'sio.error'; conn: number; ns: string; code: ErrorCode; message: string }
  | { kind: 'sio.subscribed'; conn: number; ns: string; event: string }
  | { kind: 'sio.unsubscribed'; conn: number; ns: string; event: string };

/** Commands the VM hands to the bindings after a tick, in emission order. */
export type Command =
  | { kind: 'ws.start'; conn: number }
  | { kind: 'ws.stop'; conn: number }
  | { kind: 'ws.send'; conn: number; data: string | Uint8Array }
  | { kind: 'sio.start'; conn: number }
  | { kind: 'sio.stop'; conn: number }
  | { kind: 'sio.emit'; conn: number; ns: string; event: string; message: string }
  | { kind: 'sio.subscribe'; conn: number; ns: string; event: string }
  | { kind: 'sio.unsubscribe'; conn: number; ns: string; event: string };

export type ConsoleLevel = 'info' | 'warning' | 'error';
export const CONSOLE_LEVELS: readonly ConsoleLevel[] = ['info', 'warning', 'error'];

/** A runtime error: a stopped chain, a dropped event, a failed conversion. */
export interface RuntimeError {
  kind: 'error';
  code: ErrorCode;
  message: string;
  /** `scope/node-id` when the debug map is present, else `pc N`. */
  node?: string;
}

/** Everything a tick produces, in one ordered list. */
export type Output =
  | Command
  | { kind: 'console'; level: ConsoleLevel; text: string }
  | { kind: 'var'; name: string; value: Value }
  | RuntimeError;

export const isCommand = (o: Output): o is Command => o.kind.startsWith('ws.') || o.kind.startsWith('sio.');
