// The interfaces between the VM's host loop and the transports.
//
// Platform-neutral: nothing here imports a transport library, so the QuickJS
// guest, the replay binding and the Node binding all implement or consume
// the same shapes. A transport owns every connection of one protocol family
// (all WebSocket connections, or all Socket.IO connections) of a schedule.
//
// Time: transports keep their own deadlines (handshake timeout, heartbeat,
// reconnect backoff) on the tick clock, not on setTimeout, so that a run is
// reproducible from its trace: the host loop calls advance(now) with the
// tick's logical time before each tick and wakes for nextDeadline().

import type { InEvent, Command, Output } from '../runtime/vm/io.ts';
import type { Value } from '../runtime/values.ts';
import type { ConnectionEntry } from '../runtime/schedule/schedule.ts';
import type { Limits } from '../runtime/limits.ts';

/** Where transports deliver events: the VM's bounded inbound queue. */
export interface EventSink {
  /** Queues an event for the next tick. Never throws; overflow is counted and reported by the VM. */
  post(ev: InEvent): void;
  /**
   * Backpressure: true when the queue can take no more of connection
   * `conn`'s input until the next tick has run (its share of the queue is
   * used up). A transport then stops reading that connection's socket, so
   * that TCP flow control holds the sender, keeps what still arrives (what
   * the library had already read: bounded) and posts it, in order, when
   * drained() says there is room. Optional: a sink without it is never full.
   */
  full?(conn: number): boolean;
}

/** Diagnostic lines of the host (never secrets). */
export interface HostLog {
  warn(text: string): void;
  debug?(text: string): void;
}

export interface TransportContext {
  /** The schedule's whole connection table; `conn` in commands and events is an index into it. */
  connections: readonly ConnectionEntry[];
  sink: EventSink;
  log: HostLog;
  /** Environment for `{ "env": "NAME" }` option values (secrets stay out of project files). */
  env: Readonly<Record<string, string | undefined>>;
  /** Seed for reconnect jitter, so backoff is reproducible. */
  seed: number;
  /** Called when the transport has queued an event outside a tick (lets an on-demand loop wake up). */
  wake?(): void;
}

/** One connection as an observer (the inspector) sees it; reading it never changes the connection. */
export interface ConnectionStatus {
  /** Index in the schedule's connection table. */
  conn: number;
  state: 'idle' | 'connecting' | 'open' | 'closing' | 'retrying';
  /** retrying: when the next attempt is due, tick-clock ms (absent where a library's own timer decides: Socket.IO). */
  retryAt?: number;
  /** Messages waiting to be sent (the offline queue, the library's send buffer). */
  queued: number;
  /** Sends refused by a full offline queue so far. */
  dropped: number;
}

/** One protocol family's connections. */
export interface Transport {
  /** Handles one command of its family (ws.* or sio.*), in emission order. */
  handle(cmd: Command): void;
  /** Advances the tick clock to `now` (ms): fires due deadlines. Called before every tick. */
  advance(now: number): void;
  /** The earliest pending deadline in tick-clock ms, if any. */
  nextDeadline(): number | undefined;
  /**
   * Called by the host after every tick: the queue has room again, so
   * connections that stopped reading for backpressure post what they kept
   * and read again (see EventSink.full). Optional: a transport without it
   * never stops reading.
   */
  drained?(): void;
  /**
   * Connections now waiting on the network or on a library's wall-clock
   * timer (connecting, reconnecting, closing). A virtual clock (the HIL kit)
   * runs no faster than real time while this is above 0, so that it cannot
   * outrun real I/O. Optional: a transport without it has none.
   */
  inFlight?(): number;
  /** Every connection's state and counters, for an observer. Optional: a transport without it shows none. */
  status?(): ConnectionStatus[];
  /** Closes every connection and releases every timer and handle; resolves within a bounded time. */
  close(): Promise<void>;
}

export type TransportFactory = (ctx: TransportContext) => Transport;

/**
 * What the host loop needs of a VM: the in-process Vm and the QuickJS
 * sandbox's host side both provide it. It lives here, below targets/, so
 * that bindings (the QuickJS engine, replay) implement or consume it
 * without importing upwards.
 */
/** What the last tick cost and which chains it ran (the timeline and the inspector show it). */
export interface TickStats {
  /** Budget charged by the tick (limits.tickBudget is the most). */
  cost: number;
  /** Entry pcs of the chains it ran, in order, at most TICK_STATS_CHAINS (a reused array: copy to keep). */
  chains: readonly number[];
}

export interface TickEngine {
  post(ev: InEvent): boolean;
  tick(now: number): Output[];
  hasPendingWork(): boolean;
  nextDue(): number | undefined;
  /** Every variable by qualified name (`speed`, `Dashboard/speed`). */
  variables(): Record<string, Value>;
  /** The bounds in force (the host reads the queue's capacity for backpressure); default: the schedule's. */
  readonly limits?: Limits;
  /** The last tick's cost and chains; optional for engines that cannot tell. */
  lastTick?(): TickStats;
  /** Releases what the engine holds (a sandbox); idempotent. */
  dispose?(): void;
}
