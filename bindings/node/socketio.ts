// The Socket.IO transport on Node: every kind-'sio' connection of a
// schedule, on socket.io-client. docs/SOCKETIO.md is the user-facing account
// of the rules below; this file is their one implementation, on the
// Connection core (connection.ts) that it shares with the WebSocket side.
//
// Shape (the library's own split): one Manager per connection (the link,
// its handshake timeout and its reconnection) and one Socket per namespace
// (auth, CONNECT, events). A Start creates the Manager and the '/' Socket;
// Subscribe and Send add namespace Sockets on demand. Subscriptions are a
// per-namespace set read by one onAny listener on that namespace's Socket,
// so they live as long as the Socket does — across every reconnect, which
// the Manager performs for all its Sockets. Stop (or a connection that ends
// for good) throws the Manager and its Sockets away: a session.
//
// Lifecycle of a connection:
//
//   idle ──start──► connecting ──'/' connect──► open ──link lost──► retrying
//    ▲                  │                        │  ▲                    │
//    │                  │                        │  └──'/' connect───────┘
//    └── stop, server disconnect, permanent refusal, attempts exhausted ◄┘
//
// sio.close is owed from a Start out of idle and from every '/' connect, and
// posted once when it is owed (owesClose), so every Start ends in On Start or
// On Stop and every On Start is followed by exactly one On Stop.
//
// Timing: reconnection delays and the handshake timeout are the library's
// wall-clock timers, not tick-clock deadlines (a deliberate departure from
// bindings/types.ts; the replay binding replays recorded events, so traces
// stay exact). Nothing here needs the tick clock, so advance() is a no-op and
// nextDeadline() is always undefined.

import { Manager, type Socket } from 'socket.io-client';
import type { Transport, TransportContext } from '../types.ts';
import type { ClosedBy, Command, InEvent } from '../../runtime/vm/io.ts';
import type { ErrorCode } from '../../runtime/errors.ts';
import type { ConnectionEntry } from '../../runtime/schedule/schedule.ts';
import { Connection, isFailure, nodeTransport, type Hub } from './connection.ts';
import type { Failure } from './errors.ts';
import { GUARDED_TRANSPORTS, type EngineHooks } from './engine-transports.ts';
import { classifyConnectError, frameCap, messageText, namespaceOf, trackingAgent, type LiveSockets } from './socketio-wire.ts';

/** How long close() waits for close handshakes before destroying the sockets that are left. */
const CLOSE_GRACE_MS = 500;

// socket.io-client's emitters are typed per event map; the lifecycle only needs on/off.
type Handler = (...args: any[]) => void;
interface Emitter {
  on(ev: string, fn: Handler): unknown;
  off(ev: string, fn: Handler): unknown;
}

/** One namespace of a session: its Socket, its subscriptions, refused emits so far, and listener cleanups. */
interface Space {
  socket: Socket;
  events: Set<string>;
  dropped: number;
  off: Array<() => void>;
}

/** The transport of every kind-'sio' connection of a schedule. */
export function createSocketIoTransport(ctx: TransportContext): Transport {
  const live: LiveSockets = new Set();
  return nodeTransport(ctx, {
    family: 'sio',
    title: 'Socket.IO',
    make: (hub, i, entry) => new SioConnection(hub, i, entry, live),
    settle: () => settle(live),
  });
}

/** Waits (bounded) for the sockets to close after their close handshakes, then destroys any whose peer never answered. */
async function settle(live: LiveSockets): Promise<void> {
  const open = [...live];
  if (open.length > 0) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(open.map((s) => new Promise<void>((r) => s.once('close', () => r())))),
      new Promise<void>((r) => (timer = setTimeout(r, CLOSE_GRACE_MS))),
    ]);
    clearTimeout(timer);
  }
  for (const s of live) s.destroy();
  live.clear();
}

class SioConnection extends Connection {
  private manager?: Manager;
  private readonly spaces = new Map<string, Space>();
  private managerOff: Array<() => void> = [];
  /** The auth payload of this session (resolved secrets), sent in every namespace's CONNECT. */
  private auth: Record<string, unknown> = {};
  /** What the guarded Engine.IO transports tell this connection (see engine-transports.ts). */
  private readonly hooks: EngineHooks = { heard: () => this.heard() };

  constructor(
    hub: Hub,
    index: number,
    entry: ConnectionEntry,
    private readonly live: LiveSockets,
  ) {
    super(hub, index, entry);
  }

  handle(cmd: Command): void {
    switch (cmd.kind) {
      case 'sio.start': return this.start();
      case 'sio.stop': return this.stop();
      case 'sio.subscribe': return this.subscribe(namespaceOf(cmd.ns), cmd.event);
      case 'sio.unsubscribe': return this.unsubscribe(namespaceOf(cmd.ns), cmd.event);
      case 'sio.emit': return this.emit(namespaceOf(cmd.ns), cmd.event, cmd.message);
    }
  }

  /**
   * Backpressure: Socket.IO has no pause of its own, so the reading stops
   * beneath it, at the Engine.IO transport's WebSocket (a `ws` socket,
   * whose pause() stops the TCP socket): the server's packets wait in TCP.
   * The long-polling transport cannot be paused (each poll is a request the
   * library makes by itself); there the kept events are what bounds memory.
   */
  protected override pauseReading(): void {
    this.engineSocket()?.pause?.();
  }

  protected override resumeReading(): void {
    this.engineSocket()?.resume?.();
  }

  /** The `ws` socket under the Engine.IO transport in use, if it is the WebSocket one (a protected member: reached untyped). */
  private engineSocket(): { pause?(): void; resume?(): void } | undefined {
    const engine = this.manager?.engine as unknown as { transport?: { ws?: { pause?(): void; resume?(): void } } } | undefined;
    return engine?.transport?.ws;
  }

  /** Connecting and reconnecting run on the library's wall-clock timers (see the header). */
  get inFlight(): boolean {
    return this.state === 'connecting' || this.state === 'retrying';
  }

  /** Transport close(): every connection stops (sio.close by client where owed). */
  shutdown(): void {
    this.stop();
  }

  protected label(ns?: string): string {
    return `Socket.IO connection "${this.name}"${ns !== undefined ? `, namespace "${ns}"` : ''}`;
  }

  protected errorEvent(code: ErrorCode, message: string, ns = '/'): InEvent {
    return { kind: 'sio.error', conn: this.index, ns, code, message };
  }

  protected closeEvent(by: ClosedBy, reason: string): InEvent {
    return { kind: 'sio.close', conn: this.index, reason, by };
  }

  // ---- commands ----

  start(): void {
    if (this.state !== 'idle') return; // connecting, open or retrying already: the Manager carries on
    this.owesClose = true;
    const o = this.opts;
    const creds = this.credentials(true);
    if (isFailure(creds)) return this.abandon(creds.code, creds.text);
    // Read at every Start, so a renewed CA file is picked up; unreadable ends the Start.
    const tls = this.tls();
    if (isFailure(tls)) return this.abandon(tls.code, tls.text);
    this.auth = { ...creds.auth, ...(creds.token !== undefined ? { token: creds.token } : {}) };

    const rc = o.reconnect;
    let manager: Manager;
    try {
      manager = new Manager(this.entry.url, {
        autoConnect: false,
        // The library's own transports, guarded so that no packet can throw out of them (engine-transports.ts).
        transports: o.transports.map((n) => GUARDED_TRANSPORTS[n]) as unknown as string[],
        // Typed string | boolean for browsers; on Node, engine.io-client hands it to ws and http as an Agent.
        agent: trackingAgent(/^(https|wss):/i.test(this.entry.url), this.live) as unknown as boolean,
        reconnection: rc.enabled,
        reconnectionDelay: Math.max(1, rc.initialDelayMs), // the library reads 0 as "default 1000"
        reconnectionDelayMax: Math.max(1, rc.maxDelayMs),
        randomizationFactor: rc.jitter,
        reconnectionAttempts: rc.maxAttempts === 0 ? Infinity : rc.maxAttempts,
        timeout: o.handshakeTimeoutMs,
        extraHeaders: creds.headers,
        ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
        rejectUnauthorized: tls.rejectUnauthorized,
        // Not in the Manager's types, but handed on to every transport: ws refuses a frame over
        // maxPayload from its header, before buffering it (the websocket transport only); the hooks
        // reach the guarded transports.
        ...({ maxPayload: frameCap(o.maxMessageBytes), pulsewireHooks: this.hooks } as object),
      });
    } catch (e) {
      return this.abandon('config', `bad address ${this.at.peer} (${(e as Error).message})`);
    }
    this.manager = manager;
    this.state = 'connecting';
    this.managerOff.push(
      this.listen(manager as unknown as Emitter, 'reconnect_failed', () => this.onGaveUp()),
      this.listen(manager as unknown as Emitter, 'error', (err: Error) => this.onLinkError(err)),
    );
    this.space('/');
  }

  stop(): void {
    if (this.state !== 'idle') this.end('client', 'io client disconnect');
  }

  subscribe(ns: string, event: string): void {
    if (this.state === 'idle') return this.notStarted(ns, `Subscribe to "${event}"`);
    const sp = this.space(ns);
    if (sp.events.has(event)) return; // one subscription per (namespace, event)
    sp.events.add(event);
    if (this.state === 'open' && sp.socket.connected) this.post({ kind: 'sio.subscribed', conn: this.index, ns, event });
  }

  unsubscribe(ns: string, event: string): void {
    this.spaces.get(ns)?.events.delete(event);
    this.post({ kind: 'sio.unsubscribed', conn: this.index, ns, event });
  }

  protected override waiting(): number {
    let n = 0;
    for (const sp of this.spaces.values()) n += sp.socket.sendBuffer.length;
    return n;
  }
  protected override refusedSends(): number {
    let n = 0;
    for (const sp of this.spaces.values()) n += sp.dropped;
    return n;
  }

  emit(ns: string, event: string, message: string): void {
    if (this.state === 'idle') return this.notStarted(ns, `Send of "${event}"`);
    const sp = this.space(ns);
    const limit = this.opts.offlineQueue;
    // While the namespace is not connected the library buffers emits without bound: bound it here.
    if (!sp.socket.connected && sp.socket.sendBuffer.length >= limit) {
      sp.dropped++;
      return this.postError('send_buffer_full', `not connected and ${limit} emits already wait (offlineQueue); "${event}" refused, ${sp.dropped} refused so far`, ns);
    }
    try {
      sp.socket.emit(event, message);
    } catch (e) {
      this.postError('protocol', `cannot emit "${event}": ${(e as Error).message}`, ns); // e.g. a reserved name such as "connect"
    }
  }

  // ---- library events ----

  private onConnect(ns: string, sp: Space): void {
    if (ns === '/') {
      this.state = 'open';
      this.owesClose = true;
      this.post({ kind: 'sio.open', conn: this.index });
      // Namespaces that connected before '/' are announced now, in creation order.
      for (const [n, s] of this.spaces) if (s.socket.connected) this.announce(n, s);
    } else if (this.state === 'open') this.announce(ns, sp);
  }

  private onConnectError(ns: string, sp: Space, err: Error): void {
    if (!sp.socket.active) {
      // The server's middleware refused the namespace (CONNECT_ERROR): the library does not retry it.
      const why = `the server refused the namespace: ${err.message}`;
      if (ns === '/') return this.abandon('namespace_refused', why, 'server');
      this.postError('namespace_refused', `${why}; not retried (the next Subscribe or Send in it tries again)`, ns);
      return this.endSpace(ns, sp);
    }
    if (ns !== '/') return; // the link failed: every namespace sees it, '/' reports it once
    const f = this.classify(err);
    this.postError(f.code, f.text, '/');
    if (f.permanent || !this.opts.reconnect.enabled) this.end('fault', f.code);
  }

  /**
   * A link error. While '/' is connecting the namespace's connect_error
   * reports it (onConnectError); on an open link the library only drops it
   * ('transport error'), so the two that need saying are said here: a peer
   * that broke the protocol (then the library reconnects), and a frame over
   * the cap (permanent, like the WebSocket side's 1009: the session ends).
   */
  private onLinkError(err: Error): void {
    if (this.state !== 'open') return;
    const f = this.classify(err);
    if (f.code !== 'protocol' && f.code !== 'message_too_big') return;
    this.postError(f.code, f.text, '/');
    if (f.permanent) this.end('fault', f.code);
  }

  private classify(err: unknown): Failure {
    const f = classifyConnectError(err, this.at, this.opts.maxMessageBytes);
    if (f.code !== 'message_too_big') return f;
    const cap = frameCap(this.opts.maxMessageBytes);
    return { ...f, text: `an inbound frame is larger than ${cap} bytes, the transport's cap for maxMessageBytes (${this.opts.maxMessageBytes})` };
  }

  private onDisconnect(ns: string, sp: Space, reason: string): void {
    if (ns !== '/') {
      if (reason === 'io server disconnect') {
        this.postError('closed', 'the server closed the namespace', ns);
        this.endSpace(ns, sp);
      }
      return; // any other reason is the link, reported by '/' and reconnected by the Manager
    }
    if (reason === 'io server disconnect') return this.end('server', reason); // the library will not reconnect
    this.postClose('fault', reason); // transport close / transport error / ping timeout / parse error
    if (this.opts.reconnect.enabled && sp.socket.active) this.state = 'retrying';
    else this.end('fault', reason);
  }

  private onGaveUp(): void {
    this.postError('gave_up', `gave up reconnecting to ${this.at.peer} after ${this.opts.reconnect.maxAttempts} attempts`, '/');
    this.end('fault', 'gave_up');
  }

  private onEvent(ns: string, sp: Space, event: string, received: unknown[]): void {
    if (!sp.events.has(event)) return; // not subscribed: nothing posted, nothing acknowledged
    const args = [...received];
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as () => void) : undefined;
    let message: string;
    try {
      message = messageText(args);
    } catch (e) {
      // JSON.stringify recurses: a value nested some thousands deep cannot become a Message.
      const why = e instanceof RangeError ? 'is nested too deep' : `cannot be converted (${(e as Error)?.message ?? e})`;
      return this.postError('conversion', `event "${event}" ${why} to become a Message; dropped`, ns);
    }
    const bytes = Buffer.byteLength(message);
    if (bytes > this.opts.maxMessageBytes) {
      return this.postError('message_too_big', `event "${event}" carried ${bytes} bytes, more than maxMessageBytes (${this.opts.maxMessageBytes}); dropped`, ns);
    }
    this.post({ kind: 'sio.event', conn: this.index, ns, event, message });
    ack?.(); // the server asked for an acknowledgement: the event is queued for the graph
  }

  // ---- sessions and namespaces ----

  /** The namespace's Space, created (and its Socket connected) on first use in a session. */
  private space(ns: string): Space {
    let sp = this.spaces.get(ns);
    if (!sp) {
      const socket = this.manager!.socket(ns, { auth: this.auth });
      const s: Space = (sp = { socket, events: new Set(), dropped: 0, off: [] });
      const em = socket as unknown as Emitter;
      s.off.push(
        this.listen(em, 'connect', () => this.onConnect(ns, s)),
        this.listen(em, 'connect_error', (err: Error) => this.onConnectError(ns, s, err)),
        this.listen(em, 'disconnect', (reason: string) => this.onDisconnect(ns, s, reason)),
      );
      const any = this.guard((event: string, ...args: unknown[]) => this.onEvent(ns, s, event, args));
      socket.onAny(any);
      s.off.push(() => socket.offAny(any));
      this.spaces.set(ns, s);
    }
    if (!sp.socket.active) sp.socket.connect(); // new, or refused / closed by the server earlier
    return sp;
  }

  private announce(ns: string, sp: Space): void {
    for (const event of sp.events) this.post({ kind: 'sio.subscribed', conn: this.index, ns, event });
  }

  /** A namespace the server refused or closed: its subscriptions end, its buffered emits are reported. */
  private endSpace(ns: string, sp: Space): void {
    this.discardBuffer(ns, sp, 'the namespace ended');
    for (const event of sp.events) this.post({ kind: 'sio.unsubscribed', conn: this.index, ns, event });
    sp.events.clear();
  }

  private discardBuffer(ns: string, sp: Space, why: string): void {
    const n = sp.socket.sendBuffer.length;
    if (n === 0) return;
    sp.socket.sendBuffer = [];
    this.postError('closed', `${n} emit${n === 1 ? '' : 's'} waiting to be sent were discarded: ${why}`, ns);
  }

  /** Ends the session: every Socket and the Manager go; sio.close if owed. */
  private end(by: ClosedBy, reason: string): void {
    for (const off of this.managerOff) off();
    this.managerOff = [];
    for (const [ns, sp] of this.spaces) {
      for (const off of sp.off) off();
      this.discardBuffer(ns, sp, 'the connection ended');
      sp.socket.disconnect(); // the last one closes the Manager (and its reconnect timer and link)
    }
    this.spaces.clear();
    this.manager = undefined;
    this.state = 'idle';
    this.postClose(by, reason);
  }

  /** A Start that cannot go on: the error, then the close it owes. */
  private abandon(code: ErrorCode, text: string, by: ClosedBy = 'fault'): void {
    this.postError(code, text, '/');
    this.end(by, code);
  }

  private notStarted(ns: string, what: string): void {
    this.postError('not_started', `${what} refused: the connection is not started (Socket.IO Start first)`, ns);
  }

  /** Every library listener goes through here: guarded, and removed by the returned cleanup. */
  private listen(em: Emitter, ev: string, fn: Handler): () => void {
    const h = this.guard(fn);
    em.on(ev, h);
    return () => void em.off(ev, h);
  }
}
