// The Node WebSocket transport: every connection of kind 'ws' of a schedule,
// on top of the `ws` package (ws speaks the protocol; this file adds what
// deployments need around it: reconnect, handshake timeout, heartbeat,
// bounded send buffers, stable error codes). docs/CONNECTIONS.md states the
// behaviour; this header only summarises it.
//
// Per connection, a state machine:
//
//   idle ──start──► connecting ──'open'──► open ──stop──► closing ──'close'──► idle
//                    │    ▲                 │
//          failure   ▼    │ deadline        │ drop / heartbeat / server close
//                   backoff ◄───────────────┘
//
// Every timer (handshake timeout, heartbeat, reconnect wait, close bound,
// drain poll) is a deadline on the tick clock (Deadlines), fired by
// advance(now): what a connection does depends only on the tick times the
// host fed in and on what the network delivered.
//
// Events go to ctx.sink in arrival order. `ws.close` is owed once per
// "up-episode" (owesClose): set by a Start from idle and by every open,
// cleared when a ws.close is posted, so a graph's On Stop fires exactly once
// for each On Start, and once for a Start that never got up.
//
// A socket this file gave up on (timed out, terminated, stopped) is
// "detached": `conn.sock` no longer points at it, so its late events are
// ignored, but it keeps an 'error' listener and stays in `dying` until its
// 'close', so close() can wait for it.

import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { ClientOptions, RawData } from 'ws';
import type { Transport, TransportContext } from '../types.ts';
import type { Command, ClosedBy, InEvent } from '../../runtime/vm/io.ts';
import type { ErrorCode } from '../../runtime/errors.ts';
import { connectionOptions, missingSecrets, resolveSecret, type ConnectionOptions } from '../options.ts';
import { Backoff } from '../backoff.ts';
import { Deadlines, type DeadlineId } from '../deadlines.ts';
import { classifyCloseCode, classifySocketError, endpointOf, type Endpoint, type Failure } from './errors.ts';

/** Stop while open: how long the server has to answer our close frame before we terminate. */
export const CLOSE_BOUND_MS = 2_000;
/** close(): how long to wait for terminated sockets to report 'close'. */
export const SHUTDOWN_WAIT_MS = 1_000;
/** While sends are refused above the high watermark, how often to look whether the buffer drained. */
export const DRAIN_POLL_MS = 50;
/** Close code for an end without a close frame (RFC 6455 §7.1.5); used for attempts that never opened. */
const ABNORMAL = 1006;

type State = 'idle' | 'connecting' | 'open' | 'closing' | 'backoff';

/** How a state reads in a message. 'open' appears when ws is already closing under us. */
const STATE_WORDS: Record<State, string> = {
  idle: 'not open',
  connecting: 'still connecting',
  open: 'closing',
  closing: 'closing',
  backoff: 'waiting to reconnect',
};

/** What the connections share: the clock, the sink, and the set of sockets still closing. */
interface Shared {
  ctx: TransportContext;
  deadlines: Deadlines;
  dying: Set<WebSocket>;
  /** Called when a dying socket reported 'close' (close() waits on it). */
  onDied(): void;
}

class Connection {
  private state: State = 'idle';
  private sock: WebSocket | undefined;
  private readonly opts: ConnectionOptions;
  private readonly at: Endpoint;
  private readonly backoff: Backoff;
  /** Ever started: a send before the first Start is not_started, later not_open. */
  private started = false;
  private owesClose = false;
  /** Failed attempts in a row since the last open or Start. */
  private failures = 0;
  /** The deadline of the current state: handshake timeout, reconnect wait or close bound. */
  private timer: DeadlineId | undefined;
  /** Heartbeat: the next ping, or the pong that is due. */
  private beat: DeadlineId | undefined;
  private awaitingPong = false;
  /** A Start arrived while closing: connect again once the close completes. */
  private restart = false;
  /** sendWhileClosed 'queue': messages held for the next open. */
  private queue: Array<string | Uint8Array> = [];
  private dropped = 0;
  /** Above the high watermark: sends are refused until the buffer is below the low one. */
  private throttled = false;
  private refused = 0;
  private drainPoll: DeadlineId | undefined;
  /** Resolved secret values of the current attempt, scrubbed from every posted text. */
  private secrets: string[] = [];
  private warnedTls = false;

  constructor(
    private readonly shared: Shared,
    private readonly index: number,
    private readonly name: string,
    private readonly url: string,
    options: ConnectionOptions,
    seed: number,
  ) {
    this.opts = options;
    this.at = endpointOf(url);
    this.backoff = new Backoff(options.reconnect, seed);
  }

  // ── commands ──────────────────────────────────────────────────────────

  start(): void {
    this.started = true;
    switch (this.state) {
      case 'idle':
        this.owesClose = true;
        this.freshSequence();
        this.attempt();
        return;
      case 'backoff':
        // An explicit Start begins a fresh attempt sequence, now.
        this.cancelTimer();
        this.freshSequence();
        this.attempt();
        return;
      case 'closing':
        this.restart = true;
        return;
      case 'connecting':
      case 'open':
        return;
    }
  }

  stop(): void {
    this.restart = false;
    switch (this.state) {
      case 'open': {
        const sock = this.sock!;
        this.state = 'closing';
        this.stopHeartbeat();
        this.guardedly(() => sock.close(1000));
        this.timer = this.after(CLOSE_BOUND_MS, () => {
          this.timer = undefined;
          this.detach();
          this.closeCompleted(ABNORMAL, `${this.at.peer} did not answer the close within ${CLOSE_BOUND_MS} ms`);
        });
        return;
      }
      case 'connecting':
        this.detach();
        this.abandon(1000, 'stopped before the connection opened', 'client');
        return;
      case 'backoff':
        this.abandon(1000, 'stopped while waiting to reconnect', 'client');
        return;
      case 'closing':
      case 'idle':
        return;
    }
  }

  send(data: string | Uint8Array): void {
    const sock = this.sock;
    if (this.state === 'open' && sock && sock.readyState === WebSocket.OPEN) {
      const high = this.opts.sendBuffer.highWaterBytes;
      if (this.throttled || sock.bufferedAmount > high) {
        this.throttle();
        this.refused++;
        const low = this.opts.sendBuffer.lowWaterBytes;
        this.postError('send_buffer_full', `send buffer over ${high} bytes (sending resumes below ${low}): message refused (${this.refused} refused so far)`);
        return;
      }
      sock.send(data);
      return;
    }
    if (this.opts.sendWhileClosed === 'queue') {
      if (this.queue.length < this.opts.offlineQueue) {
        this.queue.push(typeof data === 'string' ? data : data.slice());
      } else {
        this.dropped++;
        this.postError('send_buffer_full', `offline queue full (${this.opts.offlineQueue} messages): message dropped (${this.dropped} dropped so far)`);
      }
      return;
    }
    if (!this.started) this.postError('not_started', 'message not sent: the connection was never started');
    else this.postError('not_open', `message not sent: the connection is ${STATE_WORDS[this.state]}`);
  }

  /** Waiting on the network (an upgrade, or the answer to our close) rather than on the tick clock. */
  get inFlight(): boolean {
    return this.state === 'connecting' || this.state === 'closing';
  }

  /** Transport close(): terminate without events; the transport then ignores everything. */
  shutdown(): void {
    this.detach();
    this.state = 'idle';
    this.timer = this.beat = this.drainPoll = undefined; // the transport clears every deadline
  }

  // ── attempts ──────────────────────────────────────────────────────────

  private freshSequence(): void {
    this.failures = 0;
    this.backoff.reset();
  }

  private attempt(): void {
    this.state = 'connecting';
    const missing = missingSecrets(this.opts, this.shared.ctx.env);
    if (missing.length > 0) {
      const names = missing.join(', ');
      return this.attemptFailed({
        code: 'config',
        text: `environment variable${missing.length > 1 ? 's' : ''} ${names} (named by a header or the token) ${missing.length > 1 ? 'are' : 'is'} not set`,
        permanent: true,
      });
    }
    let sock: WebSocket;
    try {
      sock = new WebSocket(this.url, this.clientOptions());
    } catch (err) {
      return this.attemptFailed(err instanceof CaUnreadable ? err.failure : this.constructionFailure(err));
    }
    this.sock = sock;
    this.listen(sock);
    this.timer = this.after(this.opts.handshakeTimeoutMs, () => {
      this.timer = undefined;
      this.detach();
      this.attemptFailed({
        code: 'handshake_timeout',
        text: `${this.at.peer} did not complete the upgrade within ${this.opts.handshakeTimeoutMs} ms`,
        permanent: false,
      });
    });
  }

  /** Options for one attempt: headers and token resolved now (never stored in the schedule), TLS, limits. */
  private clientOptions(): ClientOptions {
    const env = this.shared.ctx.env;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.opts.headers)) headers[k] = resolveSecret(v, env)!;
    const token = resolveSecret(this.opts.token, env);
    if (token !== undefined) headers['Authorization'] = `Bearer ${token}`;
    this.secrets = [...Object.values(headers), ...(token !== undefined ? [token] : [])].filter((s) => s.length >= 3);

    const o: ClientOptions & { closeTimeout?: number } = {
      headers,
      maxPayload: this.opts.maxMessageBytes,
      // ws's own backstop timer for an unanswered close; ours (tick clock) normally fires first.
      closeTimeout: CLOSE_BOUND_MS + SHUTDOWN_WAIT_MS,
    };
    const tls = this.opts.tls;
    if (tls.ca !== undefined) {
      try {
        o.ca = readFileSync(tls.ca);
      } catch (err) {
        const why = (err as { code?: string }).code ?? 'unreadable';
        throw new CaUnreadable({ code: 'tls', text: `cannot read the TLS CA file ${tls.ca} (${why})`, permanent: false });
      }
    }
    if (!tls.verify) {
      o.rejectUnauthorized = false;
      if (!this.warnedTls) {
        this.warnedTls = true;
        this.shared.ctx.log.warn(`${this.name}: TLS certificate verification is OFF for this connection (tls.verify: false)`);
      }
    }
    return o;
  }

  /** The ws constructor throws on a bad URL or a header value Node refuses: a settings problem, not retried. */
  private constructionFailure(err: unknown): Failure {
    const msg = err instanceof Error ? err.message : String(err);
    // ws's "Invalid URL: <url>" would print the URL, which may carry a token.
    const text = err instanceof SyntaxError ? 'the URL is not a valid ws:// or wss:// address' : `cannot open: ${msg}`;
    return { code: 'config', text, permanent: true };
  }

  /** One attempt failed (never opened): report it, then retry by policy or give up. */
  private attemptFailed(f: Failure): void {
    this.cancelTimer();
    this.postError(f.code, f.text);
    this.failures++;
    const policy = this.opts.reconnect;
    if (f.permanent || !policy.enabled) return this.abandon(ABNORMAL, f.text, 'fault');
    if (policy.maxAttempts > 0 && this.failures >= policy.maxAttempts) {
      const text = `gave up after ${this.failures} failed attempt${this.failures > 1 ? 's' : ''} in a row (last: ${f.text})`;
      this.postError('gave_up', text);
      return this.abandon(ABNORMAL, text, 'fault');
    }
    this.waitToReconnect();
  }

  private waitToReconnect(): void {
    this.state = 'backoff';
    this.timer = this.after(this.backoff.next(), () => {
      this.timer = undefined;
      this.attempt();
    });
  }

  /** Ends an attempt sequence: back to idle, and the ws.close still owed for this up-episode, if any. */
  private abandon(code: number, reason: string, by: ClosedBy): void {
    this.cancelTimer();
    this.state = 'idle';
    if (this.owesClose) this.postClose(code, reason, by);
  }

  // ── socket events ─────────────────────────────────────────────────────

  /** Registers every listener; events of a detached socket are ignored, errors included (never unhandled). */
  private listen(sock: WebSocket): void {
    const mine =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A): void => {
        if (this.sock === sock) this.guardedly(() => fn(...args));
      };
    sock.on('error', mine((err: Error) => this.onError(err)));
    sock.on('open', mine(() => this.onOpen()));
    sock.on('message', mine((data: RawData, isBinary: boolean) => this.onMessage(data, isBinary)));
    sock.on('pong', mine(() => this.onPong()));
    sock.on('close', (code: number, reason: Buffer) => {
      if (this.shared.dying.delete(sock)) this.shared.onDied();
      if (this.sock === sock) this.guardedly(() => this.onClose(code, reason.toString()));
    });
  }

  private onOpen(): void {
    this.cancelTimer();
    this.state = 'open';
    this.owesClose = true;
    this.freshSequence();
    this.post({ kind: 'ws.open', conn: this.index });
    const held = this.queue;
    this.queue = [];
    this.dropped = 0;
    for (const m of held) this.sock!.send(m);
    this.armPing();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    // binaryType is ws's default 'nodebuffer', so data is a Buffer; the others are handled for safety.
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    // A Buffer may be a view into a pooled slab: the VM gets a fresh copy of its bytes.
    this.post({ kind: 'ws.message', conn: this.index, data: isBinary ? new Uint8Array(buf) : buf.toString('utf8') });
  }

  private onError(err: Error): void {
    const f = classifySocketError(err, this.at, this.opts.maxMessageBytes);
    if (this.state === 'connecting') {
      this.detach();
      return this.attemptFailed(f);
    }
    // Open or closing: ws is already tearing the socket down (after a receiver
    // error it has sent its close frame); terminate now rather than wait on
    // ws's own close timer.
    this.postError(f.code, f.text);
    this.detach();
    // The close code ws sent for its receiver errors (RFC 6455 §7.4.1); otherwise no frame was exchanged.
    const code = f.code === 'message_too_big' ? 1009 : f.code === 'protocol' ? 1002 : ABNORMAL;
    if (this.state === 'closing') this.closeCompleted(code, f.text);
    else this.leftOpen(code, f.text, 'fault', f.permanent);
  }

  private onClose(code: number, reason: string): void {
    this.sock = undefined;
    switch (this.state) {
      case 'connecting':
        // ws reports an 'error' first for every failed upgrade; this is the fallback.
        return this.attemptFailed({ code: 'network', text: `${this.at.peer} closed the connection before the upgrade completed`, permanent: false });
      case 'closing':
        return this.closeCompleted(code, reason);
      case 'open': {
        if (code === ABNORMAL) {
          this.postError('network', `connection to ${this.at.peer} lost (no close frame)`);
          return this.leftOpen(code, reason || 'connection lost (no close frame)', 'fault', false);
        }
        const f = classifyCloseCode(code, reason, this.at);
        if (f) this.postError(f.code, f.text);
        return this.leftOpen(code, reason, 'server', f !== undefined);
      }
      default:
        return;
    }
  }

  private onPong(): void {
    if (!this.awaitingPong) return;
    this.awaitingPong = false;
    this.cancel('beat');
    this.armPing();
  }

  // ── leaving open ──────────────────────────────────────────────────────

  /** The connection went down without a Stop: ws.close, then reconnect unless the cause is permanent. */
  private leftOpen(code: number, reason: string, by: ClosedBy, permanent: boolean): void {
    this.stopHeartbeat();
    this.state = 'idle';
    this.postClose(code, reason, by);
    if (permanent || !this.opts.reconnect.enabled) return;
    this.waitToReconnect();
  }

  /** A Stop's close finished (answered, or bounded): ws.close by client; a Start that came meanwhile connects again. */
  private closeCompleted(code: number, reason: string): void {
    this.cancelTimer();
    this.state = 'idle';
    this.postClose(code, reason, 'client');
    if (this.restart) {
      this.restart = false;
      this.start();
    }
  }

  // ── heartbeat and send buffer ─────────────────────────────────────────

  private armPing(): void {
    const { intervalMs, timeoutMs } = this.opts.heartbeat;
    if (intervalMs <= 0) return;
    this.beat = this.after(intervalMs, () => {
      this.beat = undefined;
      this.awaitingPong = true;
      this.sock?.ping();
      this.beat = this.after(timeoutMs, () => {
        this.beat = undefined;
        const reason = `no pong within ${timeoutMs} ms`;
        this.postError('heartbeat_timeout', `${this.at.peer} sent ${reason} (half-open link?)`);
        this.detach();
        this.leftOpen(ABNORMAL, reason, 'fault', false);
      });
    });
  }

  private stopHeartbeat(): void {
    this.awaitingPong = false;
    this.cancel('beat');
  }

  private throttle(): void {
    this.throttled = true;
    if (this.drainPoll !== undefined) return;
    const poll = (): void => {
      this.drainPoll = undefined;
      const sock = this.sock;
      if (this.state !== 'open' || !sock || sock.bufferedAmount < this.opts.sendBuffer.lowWaterBytes) {
        this.throttled = false;
        this.refused = 0;
        return;
      }
      this.drainPoll = this.after(DRAIN_POLL_MS, poll);
    };
    this.drainPoll = this.after(DRAIN_POLL_MS, poll);
  }

  // ── helpers ───────────────────────────────────────────────────────────

  /** Lets go of the current socket: its later events are ignored; close() still waits for its 'close'. */
  private detach(): void {
    const sock = this.sock;
    this.sock = undefined;
    this.stopHeartbeat();
    this.throttled = false;
    this.refused = 0;
    this.cancel('drainPoll');
    if (!sock) return;
    this.shared.dying.add(sock);
    try {
      sock.terminate();
    } catch {
      // terminate() only throws on misuse; the socket is abandoned either way.
    }
  }

  /** Arms a tick-clock deadline whose handler is guarded like a socket event's. */
  private after(ms: number, fn: () => void): DeadlineId {
    return this.shared.deadlines.after(ms, () => this.guardedly(fn));
  }

  private cancelTimer(): void {
    this.cancel('timer');
  }

  private cancel(which: 'timer' | 'beat' | 'drainPoll'): void {
    this.shared.deadlines.cancel(this[which]);
    this[which] = undefined;
  }

  /** Runs a handler; a throw becomes a ws.error (internal) instead of an exception out of the transport. */
  guardedly(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.postError('internal', `internal error in the WebSocket transport: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private postError(code: ErrorCode, text: string): void {
    this.post({ kind: 'ws.error', conn: this.index, code, message: this.scrub(`${this.name}: ${text}`) });
  }

  private postClose(code: number, reason: string, by: ClosedBy): void {
    this.owesClose = false;
    this.post({ kind: 'ws.close', conn: this.index, code, reason: this.scrub(reason), by });
  }

  private post(ev: InEvent): void {
    const { sink, wake } = this.shared.ctx;
    sink.post(ev);
    try {
      wake?.();
    } catch {
      // A host's wake-up hook must not break the transport.
    }
  }

  /** Secrets never leave in an event, even if a server echoes one in a close reason. */
  private scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    return out;
  }
}

/** Thrown by clientOptions() so that an unreadable CA file is reported as a TLS failure with its path. */
class CaUnreadable extends Error {
  constructor(readonly failure: Failure) {
    super(failure.text);
  }
}

/** The Transport for every connection of kind 'ws' in ctx.connections. */
export function createWebSocketTransport(ctx: TransportContext): Transport {
  const deadlines = new Deadlines();
  let closed = false;
  let settle: (() => void) | undefined;
  const shared: Shared = {
    ctx,
    deadlines,
    dying: new Set(),
    onDied: () => {
      if (closed && shared.dying.size === 0) settle?.();
    },
  };
  const conns = new Map<number, Connection>();
  ctx.connections.forEach((entry, i) => {
    if (entry.kind === 'ws') conns.set(i, new Connection(shared, i, entry.name, entry.url, connectionOptions(entry), ctx.seed + i));
  });
  let closing: Promise<void> | undefined;

  return {
    handle(cmd: Command): void {
      if (closed || !cmd.kind.startsWith('ws.')) return;
      const c = conns.get(cmd.conn);
      if (!c) {
        ctx.log.warn(`WebSocket transport: ${cmd.kind} names connection ${cmd.conn}, which is not a WebSocket connection`);
        return;
      }
      c.guardedly(() => {
        if (cmd.kind === 'ws.start') c.start();
        else if (cmd.kind === 'ws.stop') c.stop();
        else if (cmd.kind === 'ws.send') c.send(cmd.data);
      });
    },

    advance(now: number): void {
      if (closed) return;
      // Deadline callbacks are connection methods that guard themselves where
      // they touch the socket; this catch is the last line.
      try {
        deadlines.fire(now);
      } catch (err) {
        ctx.log.warn(`WebSocket transport: deadline failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    },

    nextDeadline(): number | undefined {
      return closed ? undefined : deadlines.next();
    },

    inFlight(): number {
      let n = 0;
      if (!closed) for (const c of conns.values()) if (c.inFlight) n++;
      return n;
    },

    close(): Promise<void> {
      if (closing) return closing;
      closed = true;
      for (const c of conns.values()) c.shutdown();
      deadlines.clear();
      closing = new Promise<void>((resolve) => {
        if (shared.dying.size === 0) return resolve();
        // A bounded wait for sockets to report 'close' (shutdown, not protocol timing).
        const t = setTimeout(() => resolve(), SHUTDOWN_WAIT_MS);
        t.unref();
        settle = () => {
          clearTimeout(t);
          resolve();
        };
      });
      return closing;
    },
  };
}
