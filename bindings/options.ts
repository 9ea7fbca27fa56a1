// Connection options: what a project's connection settings mean to a
// transport, with the defaults in one place. The compiler copies the
// settings into the schedule's connection table as they are; transports
// call connectionOptions() once per connection.
//
// Secrets (headers, token, auth values) may be `{ "env": "NAME" }`: they are
// read from the host's environment when the connection opens, so they never
// sit in a project file, a schedule or a trace. bindings/secrets.ts is the
// one place that reads them and the one scrubber that masks them.

import type { ConnectionEntry } from '../runtime/schedule/schedule.ts';
import type { Value } from '../runtime/values.ts';

export interface ReconnectPolicy {
  enabled: boolean;
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** Fraction of the delay drawn at random (seeded), e.g. 0.2 → ±20 %. */
  jitter: number;
  /** Failed attempts in a row before giving up; 0 = never give up. */
  maxAttempts: number;
}

export interface ConnectionOptions {
  headers: Record<string, SecretValue>;
  token?: SecretValue;
  auth?: { [key: string]: Value };
  tls: { ca?: string; verify: boolean };
  reconnect: ReconnectPolicy;
  handshakeTimeoutMs: number;
  /** intervalMs 0 disables the heartbeat. */
  heartbeat: { intervalMs: number; timeoutMs: number };
  sendWhileClosed: 'error' | 'queue';
  offlineQueue: number;
  sendBuffer: { highWaterBytes: number; lowWaterBytes: number };
  maxMessageBytes: number;
  /** Socket.IO only: Engine.IO transports in the order to try. */
  transports: Array<'websocket' | 'polling'>;
}

export type SecretValue = string | { env: string };

export const DEFAULT_OPTIONS: ConnectionOptions = {
  headers: {},
  tls: { verify: true },
  reconnect: { enabled: true, initialDelayMs: 500, maxDelayMs: 10_000, factor: 2, jitter: 0.2, maxAttempts: 10 },
  handshakeTimeoutMs: 5_000,
  heartbeat: { intervalMs: 15_000, timeoutMs: 5_000 },
  sendWhileClosed: 'error',
  offlineQueue: 64,
  sendBuffer: { highWaterBytes: 1 << 20, lowWaterBytes: 1 << 18 },
  maxMessageBytes: 1 << 20,
  // WebSocket only: on a board, HTTP long-polling costs round trips and an upgrade for nothing.
  transports: ['websocket'],
};

type Obj = { [key: string]: Value };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
const num = (v: unknown, d: number, min = 0): number => (typeof v === 'number' && Number.isFinite(v) && v >= min ? v : d);
const isSecret = (v: unknown): v is SecretValue => typeof v === 'string' || (isObj(v) && typeof v.env === 'string');

/** The options of one connection, defaults filled in. The schema has already checked the shapes. */
export function connectionOptions(entry: ConnectionEntry): ConnectionOptions {
  const o = entry.options;
  const d = DEFAULT_OPTIONS;
  const rc = isObj(o.reconnect) ? o.reconnect : {};
  const hb = isObj(o.heartbeat) ? o.heartbeat : {};
  const tls = isObj(o.tls) ? o.tls : {};
  const sb = isObj(o.sendBuffer) ? o.sendBuffer : {};
  const headers: Record<string, SecretValue> = {};
  if (isObj(o.headers)) for (const [k, v] of Object.entries(o.headers)) if (isSecret(v)) headers[k] = v;
  const high = num(sb.highWaterBytes, d.sendBuffer.highWaterBytes, 1);
  return {
    headers,
    token: isSecret(o.token) ? o.token : undefined,
    auth: isObj(o.auth) ? o.auth : undefined,
    tls: { ca: typeof tls.ca === 'string' ? tls.ca : undefined, verify: tls.verify !== false },
    reconnect: {
      enabled: rc.enabled !== false,
      initialDelayMs: num(rc.initialDelayMs, d.reconnect.initialDelayMs),
      maxDelayMs: num(rc.maxDelayMs, d.reconnect.maxDelayMs),
      factor: num(rc.factor, d.reconnect.factor, 1),
      jitter: Math.min(1, num(rc.jitter, d.reconnect.jitter)),
      maxAttempts: Math.floor(num(rc.maxAttempts, d.reconnect.maxAttempts)),
    },
    handshakeTimeoutMs: num(o.handshakeTimeoutMs, d.handshakeTimeoutMs, 1),
    heartbeat: { intervalMs: num(hb.intervalMs, d.heartbeat.intervalMs), timeoutMs: num(hb.timeoutMs, d.heartbeat.timeoutMs, 1) },
    sendWhileClosed: o.sendWhileClosed === 'queue' ? 'queue' : 'error',
    offlineQueue: Math.floor(num(o.offlineQueue, d.offlineQueue)),
    sendBuffer: { highWaterBytes: high, lowWaterBytes: Math.min(num(sb.lowWaterBytes, d.sendBuffer.lowWaterBytes), high) },
    maxMessageBytes: Math.floor(num(o.maxMessageBytes, d.maxMessageBytes, 1)),
    transports: transportsFrom(o.transports),
  };
}

/** The `transports` option: known Engine.IO transport names in the given order, else the default. */
export function transportsFrom(option: unknown): Array<'websocket' | 'polling'> {
  const names = Array.isArray(option) ? option.filter((n): n is 'websocket' | 'polling' => n === 'websocket' || n === 'polling') : [];
  return names.length > 0 ? names : [...DEFAULT_OPTIONS.transports];
}
