// The core both Node transports are built on, in the spirit of
// engine.io-client's Transport base: the base owns what every connection
// has — its ready-state, the close it owes, posting and waking, the one
// error framing, the one secret scrubber, TLS settings, credentials, the
// backoff and the guard that keeps every exception inside the transport —
// and websocket.ts / socketio.ts own only their protocol (what Start, Stop
// and Send do on the wire, and which library events mean what).
//
// The transport around the connections (one per protocol family) is
// nodeTransport(): it routes commands by connection index, fires the tick
// clock's deadlines, counts connections in flight and closes everything in
// a bounded time.
//
// Contracts for code built on top (backpressure, a delivery ledger):
// - every event a connection produces goes through post(), in order;
// - heard() is called by the protocol for every sign of life from the peer
//   (a frame, a pong, an Engine.IO packet), with no allocation;
// - deadlines (after/cancel) are on the transport's tick clock and guarded.

import { readFileSync } from 'node:fs';
import type { ConnectionStatus, Transport, TransportContext } from '../types.ts';
import type { ClosedBy, Command, InEvent } from '../../runtime/vm/io.ts';
import type { ErrorCode } from '../../runtime/errors.ts';
import type { ConnectionEntry } from '../../runtime/schedule/schedule.ts';
import { connectionOptions, type ConnectionOptions } from '../options.ts';
import { Backoff } from '../backoff.ts';
import { Deadlines, type DeadlineId } from '../deadlines.ts';
import { missingText, resolveCredentials, Scrubber, type Credentials } from '../secrets.ts';
import { endpointOf, type Endpoint, type Failure } from './errors.ts';

/**
 * Where a connection is. `retrying` is the wait between attempts (WebSocket:
 * on the tick clock; Socket.IO: the library's reconnection, attempts included).
 */
export type ReadyState = 'idle' | 'connecting' | 'open' | 'closing' | 'retrying';

/** Close code for an end without a close frame (RFC 6455 §7.1.5); also the code of a Start that never got up. */
export const ABNORMAL = 1006;

/** What the connections of one transport share: its context and its tick clock. */
export interface Hub {
  readonly ctx: TransportContext;
  readonly deadlines: Deadlines;
}

/** TLS options for one attempt, in the shape `ws` and engine.io-client both take. */
export interface TlsSettings {
  /** PEM text. */
  ca?: string;
  rejectUnauthorized: boolean;
}

export abstract class Connection {
  protected state: ReadyState = 'idle';
  /** retrying: the tick-clock time of the next attempt, when this transport's own deadline decides it. */
  protected retryAt: number | undefined;
  /**
   * The close event owed for this "up-episode": set by a Start from idle
   * and by every open, cleared when a close is posted — so a graph sees
   * On … Stop once for each On … Start, and once for a Start that never got up.
   */
  protected owesClose = false;
  readonly opts: ConnectionOptions;
  /** The peer as printed in messages: host:port, never the URL (its query may hold a token). */
  readonly at: Endpoint;
  readonly backoff: Backoff;
  private readonly scrubber = new Scrubber();
  private warnedTls = false;

  constructor(
    protected readonly hub: Hub,
    readonly index: number,
    readonly entry: ConnectionEntry,
  ) {
    this.opts = connectionOptions(entry);
    this.at = endpointOf(entry.url);
    this.backoff = new Backoff(this.opts.reconnect, hub.ctx.seed + index);
  }

  get name(): string {
    return this.entry.name;
  }

  // ── what each protocol defines ────────────────────────────────────────

  /** Runs one command of this protocol family. */
  abstract handle(cmd: Command): void;
  /** Waiting on the network or on a library's own wall-clock timer (a virtual clock must not outrun it). */
  abstract get inFlight(): boolean;
  /** The transport is closing: end without events (bounded; nodeTransport waits for the sockets). */
  abstract shutdown(): void;
  /** Who speaks in messages: `Telemetry`, `Socket.IO connection "veh", namespace "/"`. */
  protected abstract label(ns?: string): string;
  protected abstract errorEvent(code: ErrorCode, message: string, ns?: string): InEvent;
  protected abstract closeEvent(by: ClosedBy, reason: string, code: number): InEvent;

  /** What an observer sees (the inspector): reading it changes nothing. */
  status(): ConnectionStatus {
    const s: ConnectionStatus = { conn: this.index, state: this.state, queued: this.waiting(), dropped: this.refusedSends() };
    if (this.state === 'retrying' && this.retryAt !== undefined) s.retryAt = this.retryAt;
    return s;
  }
  /** Messages waiting to be sent. */
  protected waiting(): number {
    return 0;
  }
  /** Sends refused so far by a full queue. */
  protected refusedSends(): number {
    return 0;
  }

  // ── posting ───────────────────────────────────────────────────────────

  /**
   * Queues an event for the next tick and wakes an on-demand host — or,
   * when the queue has no room for this connection (backpressure), keeps it
   * and stops reading the socket. Once something is kept, every later event
   * of this connection is kept behind it, so the graph sees them in order.
   */
  protected post(ev: InEvent): void {
    const sink = this.hub.ctx.sink;
    if (this.kept.length > 0 || sink.full?.(this.index)) {
      this.kept.push(ev);
      return this.holdReading();
    }
    sink.post(ev);
    this.wake();
    if (sink.full?.(this.index)) this.holdReading();
  }

  private wake(): void {
    try {
      this.hub.ctx.wake?.();
    } catch {
      // A host's wake-up hook must not break the transport.
    }
  }

  // ── backpressure ──────────────────────────────────────────────────────

  /**
   * Events that arrived while the queue had no room for this connection:
   * what the library had read before the socket stopped (at most a read's
   * worth and one message), and what followed them. Posted by drained().
   */
  private kept: InEvent[] = [];
  /** Reading is stopped for backpressure (pauseReading() was called, resumeReading() not yet). */
  private held = false;

  /** Stopped reading for backpressure, or events waiting to be posted: the peer is not silent, we are not listening. */
  protected get backpressured(): boolean {
    return this.held || this.kept.length > 0;
  }

  private holdReading(): void {
    this.held = true;
    // Every time, not once: a socket opened since (a reconnect) must stop too. Idempotent in the protocols.
    this.pauseReading();
  }

  /** The host ran a tick: post what was kept while there is room, then read again. */
  drained(): void {
    const sink = this.hub.ctx.sink;
    let n = 0;
    while (n < this.kept.length && !sink.full?.(this.index)) sink.post(this.kept[n++]);
    if (n > 0) {
      this.kept = this.kept.slice(n);
      this.wake();
    }
    if (this.kept.length === 0 && this.held && !sink.full?.(this.index)) {
      this.held = false;
      this.resumeReading();
    }
  }

  /** Stops reading the socket (backpressure); the protocol's. Default: nothing to stop. */
  protected pauseReading(): void {}
  /** Reads the socket again. */
  protected resumeReading(): void {}

  /** The one error framing: `<label>: <text>`, secrets masked. */
  protected postError(code: ErrorCode, text: string, ns?: string): void {
    this.post(this.errorEvent(code, this.scrub(`${this.label(ns)}: ${text}`), ns));
  }

  /** Posts the close this up-episode owes, if it still owes one. */
  protected postClose(by: ClosedBy, reason: string, code = ABNORMAL): void {
    if (!this.owesClose) return;
    this.owesClose = false;
    this.post(this.closeEvent(by, this.scrub(reason), code));
  }

  /** A line for the host log, named and scrubbed. */
  protected warn(text: string): void {
    this.hub.ctx.log.warn(this.scrub(`${this.label()}: ${text}`));
  }

  protected scrub(text: string): string {
    return this.scrubber.scrub(text);
  }

  /** Every sign of life from the peer (a frame, a pong, a packet). Subclasses may listen by overriding. */
  protected heard(): void {}

  // ── guards ────────────────────────────────────────────────────────────

  /** Runs fn; a throw becomes an `internal` error event (and a host log line), never an exception out of the transport. */
  guarded(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.internal(e);
    }
  }

  /** fn wrapped by guarded(), for library listeners. */
  guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
    return (...args: A) => {
      try {
        fn(...args);
      } catch (e) {
        this.internal(e);
      }
    };
  }

  private internal(e: unknown): void {
    const text = `internal error: ${e instanceof Error ? e.message : String(e)}`;
    try {
      this.warn(text);
      this.postError('internal', text);
    } catch {
      // The sink never throws and the log is the host's; nothing more can be done here.
    }
  }

  // ── the tick clock ────────────────────────────────────────────────────

  /** Arms a tick-clock deadline whose handler is guarded like a socket event's. */
  protected after(ms: number, fn: () => void): DeadlineId {
    return this.hub.deadlines.after(ms, () => this.guarded(fn));
  }

  /** Cancels a deadline; returns undefined so that `this.x = this.cancel(this.x)` clears the field. */
  protected cancel(id: DeadlineId | undefined): undefined {
    this.hub.deadlines.cancel(id);
    return undefined;
  }

  // ── what an attempt needs ─────────────────────────────────────────────

  /**
   * Headers, token (and auth) resolved for this attempt; from now on their
   * values are masked in every text. A named environment variable that is
   * not set is a `config` failure (it names the variable, never a value).
   */
  protected credentials(withAuth: boolean): Credentials | Failure {
    const c = resolveCredentials(this.opts, this.hub.ctx.env, withAuth);
    if ('missing' in c) return { code: 'config', text: missingText(c.missing), permanent: true };
    this.scrubber.set(c.secrets);
    return c;
  }

  /**
   * TLS for this attempt: fails closed (system CAs, host name checked)
   * unless `tls.ca` names a CA file (read now, so a renewed file is picked
   * up) or `tls.verify: false`, which the host log hears about once.
   */
  protected tls(): TlsSettings | Failure {
    const tls = this.opts.tls;
    const out: TlsSettings = { rejectUnauthorized: tls.verify };
    if (tls.ca !== undefined) {
      try {
        out.ca = readFileSync(tls.ca, 'utf8');
      } catch (e) {
        const why = (e as NodeJS.ErrnoException)?.code ?? 'unreadable';
        return { code: 'tls', text: `cannot read the TLS CA file ${tls.ca} (${why})`, permanent: false };
      }
    }
    if (!tls.verify && !this.warnedTls) {
      this.warnedTls = true;
      this.warn('TLS certificate verification is off for this connection (tls.verify: false)');
    }
    return out;
  }
}

/** A value of a credentials()/tls() call that is a failure. */
export const isFailure = (v: object): v is Failure => 'code' in v && 'permanent' in v;

export interface NodeTransportSpec<C extends Connection> {
  /** The command prefix and connection kind this transport serves. */
  family: 'ws' | 'sio';
  /** How the family reads in the host log. */
  title: string;
  make(hub: Hub, index: number, entry: ConnectionEntry): C;
  /**
   * After every connection's shutdown(): resolves once their sockets have
   * closed, or after a bounded wait that ends with the stragglers destroyed.
   */
  settle(): Promise<void>;
}

/** The Transport of every connection of one family in ctx.connections. */
export function nodeTransport<C extends Connection>(ctx: TransportContext, spec: NodeTransportSpec<C>): Transport {
  const hub: Hub = { ctx, deadlines: new Deadlines() };
  const conns = new Map<number, C>();
  ctx.connections.forEach((entry, i) => {
    if (entry.kind === spec.family) conns.set(i, spec.make(hub, i, entry));
  });
  const prefix = `${spec.family}.`;
  let closing: Promise<void> | undefined;

  return {
    handle(cmd: Command): void {
      if (!cmd.kind.startsWith(prefix)) return;
      if (closing) return ctx.log.warn(`${spec.title}: ${cmd.kind} after close() ignored`);
      const c = conns.get(cmd.conn);
      if (!c) return ctx.log.warn(`${spec.title}: ${cmd.kind} names connection ${cmd.conn}, which is not a ${spec.title} connection`);
      c.guarded(() => c.handle(cmd));
    },

    advance(now: number): void {
      if (closing) return;
      // Deadline handlers are guarded by Connection.after(); this catch is the last line.
      try {
        hub.deadlines.fire(now);
      } catch (e) {
        ctx.log.warn(`${spec.title}: deadline failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    },

    nextDeadline(): number | undefined {
      return closing ? undefined : hub.deadlines.next();
    },

    inFlight(): number {
      let n = 0;
      if (!closing) for (const c of conns.values()) if (c.inFlight) n++;
      return n;
    },

    drained(): void {
      if (closing) return;
      for (const c of conns.values()) c.guarded(() => c.drained());
    },

    status(): ConnectionStatus[] {
      return [...conns.values()].map((c) => c.status());
    },

    close(): Promise<void> {
      if (closing) return closing;
      for (const c of conns.values()) c.guarded(() => c.shutdown());
      hub.deadlines.clear();
      closing = spec.settle();
      return closing;
    },
  };
}
