// A scripted Socket.IO back end for HIL tests: a real socket.io server on
// 127.0.0.1 (WebSocket transport, like the client's default) that accepts
// any namespace, records every event it receives, greets (onConnect) and
// answers (reply) as a test says, and can drop its clients (they
// reconnect), disconnect them (they do not), refuse connections and come
// back on the same port. Every close is bounded.

import { createServer, type Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { bump, matches, type Matcher } from './activity.ts';
import { listenLoopback } from './listener.ts';

export interface SioMessage {
  /** Which connection (0 for the first namespace connection accepted). */
  client: number;
  ns: string;
  event: string;
  args: unknown[];
  /** A single string argument as itself; anything else as JSON of the argument list. */
  text: string;
}

export interface SioClient {
  readonly index: number;
  readonly ns: string;
  emit(event: string, ...args: unknown[]): void;
  /** Server-side disconnect: the client does not reconnect. */
  disconnect(): void;
}

export interface SioReply {
  event: string;
  args: unknown[];
}

export interface SioBackend {
  readonly url: string;
  readonly port: number;
  readonly received: readonly SioMessage[];
  /** Namespace connections accepted so far. */
  readonly connections: number;
  /** Clients connected to `ns` now (default "/"). */
  clients(ns?: string): number;
  onConnect(fn: (c: SioClient) => void): SioBackend;
  /** When an event matching `match` arrives, emits `response` back to the sender's namespace socket. */
  reply(match: Matcher<SioMessage>, response: SioReply | ((m: SioMessage) => SioReply | undefined)): SioBackend;
  /** Emits to every client of `ns`; returns how many got it. */
  emit(ns: string, event: string, ...args: unknown[]): number;
  /** Cuts every client's connection (transport close): clients reconnect by their policy. */
  drop(): void;
  /** Disconnects every client of `ns` (or of every namespace) server-side: they do not reconnect. */
  disconnect(ns?: string): void;
  /** Goes away: cuts every connection and stops listening; restart() comes back on the same port. */
  refuse(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

const textOf = (args: unknown[]): string => (args.length === 1 && typeof args[0] === 'string' ? args[0] : JSON.stringify(args));

export async function startSioBackend(opts: { port?: number } = {}): Promise<SioBackend> {
  const http: HttpServer = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  const received: SioMessage[] = [];
  const live = new Map<Socket, SioClient>();
  const greeters: Array<(c: SioClient) => void> = [];
  const replies: Array<{ match: Matcher<SioMessage>; response: SioReply | ((m: SioMessage) => SioReply | undefined) }> = [];
  let accepted = 0;

  const onConnection = (socket: Socket) => {
    const ns = socket.nsp.name;
    const client: SioClient = {
      index: accepted++,
      ns,
      emit(event, ...args) {
        socket.emit(event, ...args);
        bump();
      },
      disconnect() {
        socket.disconnect(true);
        bump();
      },
    };
    live.set(socket, client);
    socket.on('disconnect', () => live.delete(socket));
    socket.onAny((event: string, ...raw: unknown[]) => {
      const args = raw.filter((a) => typeof a !== 'function'); // an acknowledgement callback is not data
      const m: SioMessage = { client: client.index, ns, event, args, text: textOf(args) };
      received.push(m);
      for (const r of replies) {
        if (!matches(m, r.match)) continue;
        const out = typeof r.response === 'function' ? r.response(m) : r.response;
        if (out) client.emit(out.event, ...out.args);
      }
    });
    for (const g of greeters) g(client);
    bump();
  };
  io.of('/').on('connection', onConnection);
  io.of(/^\/.+$/).on('connection', onConnection); // every other namespace a client asks for

  const cut = () => {
    // Closing the Engine.IO connections is a transport close for the client, which then reconnects.
    for (const socket of live.keys()) socket.conn.close();
  };
  const listener = await listenLoopback(http, opts.port ?? 0, cut, () => new Promise<void>((r) => io.close(() => r())));
  const port = listener.port;
  const backend: SioBackend = {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    get connections() {
      return accepted;
    },
    clients: (ns = '/') => [...live.values()].filter((c) => c.ns === ns).length,
    onConnect(fn) {
      greeters.push(fn);
      return backend;
    },
    reply(match, response) {
      replies.push({ match, response });
      return backend;
    },
    emit(ns, event, ...args) {
      let n = 0;
      for (const c of live.values()) {
        if (c.ns !== ns) continue;
        c.emit(event, ...args);
        n++;
      }
      bump();
      return n;
    },
    drop() {
      cut();
      bump();
    },
    disconnect(ns) {
      for (const c of live.values()) if (ns === undefined || c.ns === ns) c.disconnect();
      bump();
    },
    refuse: listener.refuse,
    restart: listener.restart,
    close: listener.close,
  };
  return backend;
}
