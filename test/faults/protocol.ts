// What the fault suite's processes agree on: the telemetry back end (a child
// process), the clients under test (child processes: pulsewire on either
// engine, a careful hand-written `ws` client, plain socket.io-client) and the
// harness that drives them over Node's IPC channel.
//
// The back end sends a 100-byte telemetry frame every 10 ms (bench/echo's
// frame). A client sends every frame back, and on its own sends {"up":n}
// every 100 ms, n = 1, 2, 3, … from its start. Over Socket.IO the frame is
// the string argument of a `telemetry` event, echoed as `echo`, and the up
// is an `up` event. The back end writes every up it receives to a file, one
// line each, synchronously: a back end killed by SIGKILL has still recorded
// every up it read, so "delivered" is exact.

export { telemetryFrame, MESSAGE_BYTES } from '../../bench/echo/protocol.ts';

export type Proto = 'ws' | 'sio';
export type ClientKind = 'pulsewire' | 'careful' | 'sio-client';
export type Engine = 'node' | 'quickjs';

export const SIO_FRAME = 'telemetry';
export const SIO_ECHO = 'echo';
export const SIO_UP = 'up';
/** Frames per second of the steady stream (one every 10 ms). */
export const FRAME_PERIOD_MS = 10;
/** The client's own sends. */
export const UP_PERIOD_MS = 100;

/** An up as the graph writes it; the back end also reads the duplicate flag a re-send carries. */
export const upText = (n: number): string => `{"up":${n}}`;

/** The up number and duplicate flag of a message, or undefined when it is not an up. */
export function parseUp(m: unknown): { n: number; dup: boolean } | undefined {
  let v = m;
  if (typeof m === 'string') {
    if (!m.startsWith('{"up"') && !m.includes('"up":')) return undefined;
    try {
      v = JSON.parse(m);
    } catch {
      return undefined;
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.up !== 'number') return undefined;
  return { n: o.up, dup: o.possibleDuplicate === true };
}

// ── the back end's command line and IPC ────────────────────────────────

export interface ServerConfig {
  proto: Proto;
  /** 0: an ephemeral port (reported); a restart passes the port it had. */
  port: number;
  /** The file every received up is appended to: `epoch conn n dup`. */
  upsFile: string;
  /** TLS key and certificate files: a wss / https back end. */
  tls?: { key: string; cert: string };
}

export type ToServer =
  | { type: 'flood'; n: number }
  | { type: 'close'; code: number; reason: string }
  /** Socket.IO: how the back end ends the session (a server disconnect, or the link closed under it). */
  | { type: 'sio-end'; how: 'disconnect' | 'transport' }
  | { type: 'oversize'; bytes: number }
  | { type: 'bad-utf8' }
  | { type: 'epoch'; epoch: number }
  | { type: 'stats' };

export type FromServer =
  | { type: 'listening'; port: number }
  | { type: 'conn'; id: number }
  | { type: 'gone'; id: number }
  | { type: 'flood-done'; n: number; ms: number }
  | { type: 'stats'; echoes: number; conns: number; frames: number };

// ── the clients' command line and IPC ──────────────────────────────────

export interface AgentConfig {
  client: ClientKind;
  engine: Engine;
  proto: Proto;
  url: string;
  /** pulsewire: the tick mode (default on-demand, as the x86_64 board profile runs). */
  mode?: 'fixed' | 'on-demand';
  /** pulsewire: the compiled telemetry project (project.ts), as a board loads it. */
  pws?: string;
}

/** A lifecycle event as the client's logic saw it (pulsewire: what reached the graph). */
export interface SeenEvent {
  t: number;
  kind: 'open' | 'close' | 'error' | 'unconfirmed';
  code?: string | number;
  by?: string;
  reason?: string;
  /** unconfirmed: how many; error: a count its message gives (queue_overflow, discarded emits). */
  count?: number;
}

export type FromAgent =
  | { type: 'started'; rss: number }
  | { type: 'event'; ev: SeenEvent }
  /** An up was handed to the connection: written (or buffered by the library), or refused with a report. */
  | { type: 'up'; n: number; outcome: 'written' | 'reported'; code?: string }
  /** Ups a later report named: they count as reported (a delivery ledger's report, a discarded buffer). */
  | { type: 'ups-reported'; ns: number[]; code: string }
  | { type: 'stats'; stats: AgentStats }
  | { type: 'fatal'; message: string };

/** stats: the counters now; idle: the same, and the peak RSS starts over from here. */
export type ToAgent = { type: 'stats' | 'idle' };

export interface AgentStats {
  /** Messages (frames, events) the client's logic received. */
  received: number;
  /** Inbound messages refused and reported with a count (the event queue's overflow). */
  refusedReported: number;
  /** Error lines without a count (e.g. outputs_full). */
  uncountedErrors: number;
  /** Echoes handed to the connection. */
  echoed: number;
  upsSent: number;
  rss: number;
  /** Peak RSS since the harness noted the idle figure (sampled every 20 ms). */
  peakRss: number;
}
