// The Node WebSocket transport: every connection of kind 'ws' of a schedule,
// on top of the `ws` package (ws speaks the protocol; this file adds what
// deployments need around it: reconnect, handshake timeout, heartbeat,
// bounded send buffers, stable error codes). docs/CONNECTIONS.md states the
// behaviour; this header only summarises it. What both Node transports share
// (ready-state, the owed close, posting, error framing, secrets, TLS,
// backoff, guards) is the Connection core in connection.ts; this file is
// the WebSocket protocol on top of it.
//
// Per connection, a state machine:
//
//   idle ──start──► connecting ──'open'──► open ──stop──► closing ──'close'──► idle
//                    │    ▲                 │
//          failure   ▼    │ deadline        │ drop / heartbeat / server close
//                  retrying ◄───────────────┘
//
// Every timer (handshake timeout, heartbeat, reconnect wait, close bound,
// drain poll) is a deadline on the tick clock (Deadlines), fired by
// advance(now): what a connection does depends only on the tick times the
// host fed in and on what the network delivered.
//
// Events go to ctx.sink in arrival order; `ws.close` is owed once per
// up-episode (see Connection.owesClose).
//
// A socket this file gave up on (timed out, terminated, stopped) is
// "detached": `conn.sock` no longer points at it, so its late events are
// ignored, but it keeps an 'error' listener and stays in `dying` until its
// 'close', so close() can wait for it.

import WebSocket from 'ws';
import type { ClientOptions, RawData } from 'ws';
import type { Transport, TransportContext } from '../types.ts';
import type { Command, ClosedBy, InEvent } from '../../runtime/vm/io.ts';
import type { ErrorCode } from '../../runtime/errors.ts';
import type { ConnectionEntry } from '../../runtime/schedule/schedule.ts';
import type { DeadlineId } from '../deadlines.ts';
import { ABNORMAL, Connection, isFailure, nodeTransport, type Hub, type ReadyState } from './connection.ts';
import { classifyCloseCode, classifySocketError, type Failure } from './errors.ts';
import { Ledger } from '../ledger.ts';

/** Stop while open: how long the server has to answer our close frame before we terminate. */
export const CLOSE_BOUND_MS = 2_000;
/** close(): how long to wait for terminated sockets to report 'close'. */
export const SHUTDOWN_WAIT_MS = 1_000;
/** While sends are refused above the high watermark, how often to look whether the buffer drained. */
export const DRAIN_POLL_MS = 50;

/** How a state reads in a message. 'open' appears when ws is already closing under us. */
const STATE_WORDS: Record<ReadyState, string> = {
  idle: 'not open',
  connecting: 'still connecting',
  open: 'closing',
  closing: 'closing',
  retrying: 'waiting to reconnect',
};

/** Sockets this transport let go of and that have not reported 'close' yet (close() waits for them). */
interface Dying {
  sockets: Set<WebSocket>;
  /** Called when one of them reported 'close'. */
  onDied(): void;
}

class WsConnection extends Connection {
  private sock: WebSocket | undefined;
  /** Ever started: a send before the first Start is not_started, later not_open. */
  private started = false;
  /** The deadline of the current state: handshake timeout, reconnect wait or close bound. */
  private timer: DeadlineId | undefined;
  /** Heartbeat: the next ping, or the pong that is due. */
  private beat: DeadlineId | undefined;
  private awaitingPong = false;
  /** A frame or pong arrived since the last ping: the peer is alive, whatever became of that ping. */
  private heardSincePing = false;
  /**
   * The delivery ledger: messages written to the socket and not yet
   * confirmed. Every ping carries the ledger's mark as its payload; the
   * peer's pong echoes it, and since TCP keeps order, the pong proves the
   * peer read every message written before that ping. (An inbound data
   * frame proves nothing of the kind: it may have crossed our message.)
   */
  private readonly ledger: Ledger;
  /** The mark a confirmation ping is out for (one at a time), or 0. */
  private confirming = 0;
  /** A Start arrived while closing: connect again once the close completes. */
  private restart = false;
  /** sendWhileClosed 'queue': messages held for the next open. */
  private queue: Array<string | Uint8Array> = [];
  private dropped = 0;
  /** Above the high watermark: sends are refused until the buffer is below the low one. */
  private throttled = false;
  private refused = 0;
  private drainPoll: DeadlineId | undefined;

  constructor(hub: Hub, index: number, entry: ConnectionEntry, private readonly dying: Dying) {
    super(hub, index, entry);
    this.ledger = new Ledger(this.opts.sendBuffer.highWaterBytes);
  }

  handle(cmd: Command): void {
    if (cmd.kind === 'ws.start') this.start();
    else if (cmd.kind === 'ws.stop') this.stop();
    else if (cmd.kind === 'ws.send') this.send(cmd.data);
  }

  protected label(): string {
    return this.name;
  }

  protected errorEvent(code: ErrorCode, message: string): InEvent {
    return { kind: 'ws.error', conn: this.index, code, message };
  }

  protected closeEvent(by: ClosedBy, reason: string, code: number): InEvent {
    return { kind: 'ws.close', conn: this.index, code, reason, by };
  }

  // ── commands ──────────────────────────────────────────────────────────

  start(): void {
    this.started = true;
    switch (this.state) {
      case 'idle':
        this.owesClose = true;
        this.backoff.reset();
        this.attempt();
        return;
      case 'retrying':
        // An explicit Start begins a fresh attempt sequence, now.
        this.timer = this.cancel(this.timer);
        this.backoff.reset();
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
        this.guarded(() => sock.close(1000));
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
      case 'retrying':
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
      this.write(sock, data);
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
  protected override waiting(): number {
    return this.queue.length;
  }
  protected override refusedSends(): number {
    return this.dropped;
  }

  get inFlight(): boolean {
    return this.state === 'connecting' || this.state === 'closing';
  }

  /** Transport close(): terminate without events; the transport then ignores everything. */
  shutdown(): void {
    // No more ticks will run: the count goes to the host log.
    const { count } = this.ledger.take();
    if (count > 0) this.warn(`${count} message${count === 1 ? '' : 's'} written since the last confirmation were not confirmed before the shutdown`);
    this.detach();
    this.state = 'idle';
    this.timer = this.beat = this.drainPoll = undefined; // the transport clears every deadline
  }

  // ── attempts ──────────────────────────────────────────────────────────

  private attempt(): void {
    this.state = 'connecting';
    const o = this.clientOptions();
    if (isFailure(o)) return this.attemptFailed(o);
    let sock: WebSocket;
    try {
      sock = new WebSocket(this.entry.url, o);
    } catch (err) {
      return this.attemptFailed(this.constructionFailure(err));
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
  private clientOptions(): ClientOptions | Failure {
    const creds = this.credentials(false);
    if (isFailure(creds)) return creds;
    const tls = this.tls();
    if (isFailure(tls)) return tls;
    const headers = { ...creds.headers };
    if (creds.token !== undefined) headers['Authorization'] = `Bearer ${creds.token}`;
    const o: ClientOptions & { closeTimeout?: number } = {
      headers,
      maxPayload: this.opts.maxMessageBytes,
      // ws's own backstop timer for an unanswered close; ours (tick clock) normally fires first.
      closeTimeout: CLOSE_BOUND_MS + SHUTDOWN_WAIT_MS,
    };
    if (tls.ca !== undefined) o.ca = tls.ca;
    if (!tls.rejectUnauthorized) o.rejectUnauthorized = false;
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
    this.timer = this.cancel(this.timer);
    this.postError(f.code, f.text);
    this.backoff.fail();
    if (f.permanent || !this.opts.reconnect.enabled) return this.abandon(ABNORMAL, f.text, 'fault');
    if (this.backoff.exhausted()) {
      const n = this.backoff.failures;
      const text = `gave up after ${n} failed attempt${n > 1 ? 's' : ''} in a row (last: ${f.text})`;
      this.postError('gave_up', text);
      return this.abandon(ABNORMAL, text, 'fault');
    }
    this.waitToReconnect();
  }

  private waitToReconnect(): void {
    this.state = 'retrying';
    const delay = this.backoff.next();
    this.retryAt = this.hub.deadlines.now + delay;
    this.timer = this.after(delay, () => {
      this.timer = undefined;
      this.attempt();
    });
  }

  /** Ends an attempt sequence: back to idle, and the ws.close still owed for this up-episode, if any. */
  private abandon(code: number, reason: string, by: ClosedBy): void {
    this.timer = this.cancel(this.timer);
    this.state = 'idle';
    this.postClose(by, reason, code);
  }

  // ── socket events ─────────────────────────────────────────────────────

  /** Registers every listener; events of a detached socket are ignored, errors included (never unhandled). */
  private listen(sock: WebSocket): void {
    const mine =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A): void => {
        if (this.sock === sock) this.guarded(() => fn(...args));
      };
    sock.on('error', mine((err: Error) => this.onError(err)));
    sock.on('open', mine(() => this.onOpen()));
    sock.on('message', mine((data: RawData, isBinary: boolean) => this.onMessage(data, isBinary)));
    sock.on('pong', mine((data: Buffer) => this.onPong(data)));
    sock.on('close', (code: number, reason: Buffer) => {
      if (this.dying.sockets.delete(sock)) this.dying.onDied();
      if (this.sock === sock) this.guarded(() => this.onClose(code, reason.toString()));
    });
  }

  private onOpen(): void {
    this.timer = this.cancel(this.timer);
    this.state = 'open';
    this.owesClose = true;
    this.backoff.reset();
    this.post({ kind: 'ws.open', conn: this.index });
    const held = this.queue;
    this.queue = [];
    this.dropped = 0;
    for (const m of held) this.write(this.sock!, m);
    this.armPing();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    this.heard();
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

  protected override heard(): void {
    this.heardSincePing = true;
  }

  // ws stops its socket and emits what it had already read (kept by the core); resume() reads on.
  protected override pauseReading(): void {
    this.sock?.pause();
  }

  protected override resumeReading(): void {
    this.sock?.resume();
  }

  private onPong(data: Buffer): void {
    this.heard();
    const mark = Number(data.toString('latin1'));
    if (data.length > 0 && Number.isSafeInteger(mark)) {
      this.ledger.confirm(mark);
      if (this.confirming !== 0 && mark >= this.confirming) {
        this.confirming = 0;
        this.askConfirmation();
      }
    }
    if (!this.awaitingPong) return;
    this.awaitingPong = false;
    this.beat = this.cancel(this.beat);
    this.armPing();
  }

  // ── leaving open ──────────────────────────────────────────────────────

  /** The connection went down without a Stop: ws.close, then reconnect unless the cause is permanent. */
  private leftOpen(code: number, reason: string, by: ClosedBy, permanent: boolean): void {
    this.stopHeartbeat();
    this.reportUnconfirmed(by === 'server' ? 'the server closed the connection' : 'the link went down');
    this.state = 'idle';
    this.postClose(by, reason, code);
    if (permanent || !this.opts.reconnect.enabled) return;
    this.waitToReconnect();
  }

  /** A Stop's close finished (answered, or bounded): ws.close by client; a Start that came meanwhile connects again. */
  private closeCompleted(code: number, reason: string): void {
    // The server answered our close frame: it read every message before it. Unanswered: nothing is sure.
    if (code === ABNORMAL) this.reportUnconfirmed('the server did not answer the close');
    else this.ledger.take();
    this.timer = this.cancel(this.timer);
    this.state = 'idle';
    this.postClose('client', reason, code);
    if (this.restart) {
      this.restart = false;
      this.start();
    }
  }

  // ── the delivery ledger ───────────────────────────────────────────────

  /** Writes a message and enters it in the ledger; a ping asks the peer to confirm it. */
  private write(sock: WebSocket, data: string | Uint8Array): void {
    sock.send(data);
    this.ledger.write(data);
    this.askConfirmation();
  }

  /** One confirmation ping at a time, carrying the mark of everything written so far. */
  private askConfirmation(): void {
    const sock = this.sock;
    if (this.confirming !== 0 || this.ledger.count === 0 || !sock || sock.readyState !== WebSocket.OPEN) return;
    this.confirming = this.ledger.mark;
    sock.ping(String(this.confirming));
  }

  /** The link is gone: what it never confirmed reaches the graph, with its count (never silently). */
  private reportUnconfirmed(why: string): void {
    this.confirming = 0;
    const { count } = this.ledger.take();
    if (count === 0) return;
    this.postError('unconfirmed', `${count} message${count === 1 ? '' : 's'} written since the last confirmation may not have reached ${this.at.peer} (${why})`);
  }

  // ── heartbeat and send buffer ─────────────────────────────────────────

  private armPing(): void {
    const { intervalMs, timeoutMs } = this.opts.heartbeat;
    if (intervalMs <= 0) return;
    this.beat = this.after(intervalMs, () => {
      this.beat = undefined;
      this.awaitingPong = true;
      this.heardSincePing = false;
      this.sock?.ping(String(this.ledger.mark));
      this.beat = this.after(timeoutMs, () => {
        this.beat = undefined;
        // The pong may wait behind frames that are still arriving, or that we are not reading
        // (backpressure): neither is a dead link. Silence is.
        if (this.heardSincePing || this.backpressured) {
          this.awaitingPong = false;
          return this.armPing();
        }
        const reason = `no pong within ${timeoutMs} ms`;
        this.postError('heartbeat_timeout', `${this.at.peer} sent ${reason} (half-open link?)`);
        this.detach();
        this.leftOpen(ABNORMAL, reason, 'fault', false);
      });
    });
  }

  private stopHeartbeat(): void {
    this.awaitingPong = false;
    this.beat = this.cancel(this.beat);
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
    this.confirming = 0;
    this.stopHeartbeat();
    this.throttled = false;
    this.refused = 0;
    this.drainPoll = this.cancel(this.drainPoll);
    if (!sock) return;
    this.dying.sockets.add(sock);
    try {
      sock.terminate();
    } catch {
      // terminate() only throws on misuse; the socket is abandoned either way.
    }
  }
}

/** The Transport for every connection of kind 'ws' in ctx.connections. */
export function createWebSocketTransport(ctx: TransportContext): Transport {
  let settle: (() => void) | undefined;
  const dying: Dying = {
    sockets: new Set(),
    onDied: () => {
      if (dying.sockets.size === 0) settle?.();
    },
  };
  return nodeTransport(ctx, {
    family: 'ws',
    title: 'WebSocket',
    make: (hub, i, entry) => new WsConnection(hub, i, entry, dying),
    settle: () =>
      new Promise<void>((resolve) => {
        if (dying.sockets.size === 0) return resolve();
        // A bounded wait for sockets to report 'close' (shutdown, not protocol timing).
        const t = setTimeout(() => resolve(), SHUTDOWN_WAIT_MS);
        t.unref();
        settle = () => {
          clearTimeout(t);
          resolve();
        };
      }),
  });
}
