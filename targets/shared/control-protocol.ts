// The control channel's wire protocol (docs/HIL.md, "Control channel"):
// JSON text frames over one WebSocket, subprotocol CONTROL_SUBPROTOCOL, the
// token in the upgrade's Authorization header (Bearer).
//
//   client → server   {"id":1,"op":"step","n":10,"settle":false}
//   server → client   {"id":1,"ok":true,"result":{…}}  or  {"id":1,"ok":false,"error":"…"}
//   server → client   {"push":"tick","line":"<a trace tick line>"}   for every tick, as it ends
//
// Every tick's push precedes the response of the request that ran it, so a
// client's mirror of the run is current when a step resolves. Values travel
// in the trace's encoding (bytes as {"$bytes": …}).

import { decodeValue, encodeValue, type Json } from '../../runtime/vm/trace.ts';
import type { Value } from '../../runtime/values.ts';

export const CONTROL_SUBPROTOCOL = 'pulsewire-control.v1';
/** Where `run --control` takes its token from; without it, one is generated and printed. */
export const CONTROL_TOKEN_ENV = 'PULSEWIRE_CONTROL_TOKEN';
/** Largest request a server accepts, bytes. */
export const CONTROL_MAX_PAYLOAD = 1 << 20;
/** Most ticks one step request may ask for. */
export const CONTROL_MAX_STEP = 1_000_000;

export const CONTROL_OPS = ['hello', 'step', 'pause', 'resume', 'inject', 'state', 'trace', 'stop'] as const;
export type ControlOp = (typeof CONTROL_OPS)[number];

export interface ControlRequest {
  id: number;
  op: ControlOp;
  /** step: ticks to run. */
  n?: number;
  /** step: settle I/O before the first tick (the client's back ends acted). */
  settle?: boolean;
  /** inject: the event, in trace encoding. */
  event?: unknown;
  /** trace: how many recent ticks. */
  last?: number;
}

export type ControlResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface TickPush {
  push: 'tick';
  line: string;
}

/** A RigState on the wire. */
export interface WireState {
  tick: number;
  now: number;
  variables: { [name: string]: Json };
  paused: boolean;
}

export function encodeState(s: { tick: number; now: number; variables: Record<string, Value>; paused: boolean }): WireState {
  const variables: { [name: string]: Json } = {};
  for (const [k, v] of Object.entries(s.variables)) variables[k] = encodeValue(v);
  return { tick: s.tick, now: s.now, variables, paused: s.paused };
}

export function decodeState(w: WireState): { tick: number; now: number; variables: Record<string, Value>; paused: boolean } {
  const variables: Record<string, Value> = {};
  for (const [k, v] of Object.entries(w.variables)) variables[k] = decodeValue(v);
  return { tick: w.tick, now: w.now, variables, paused: w.paused };
}
