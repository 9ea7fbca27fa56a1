// A scripted WebSocket back end for HIL tests: a real `ws` server on
// 127.0.0.1 that records what it receives, greets (onConnect) and answers
// (reply) as a test says, and can drop its clients, refuse connections and
// come back on the same port. Every close is bounded, so a test exits.

import { createServer, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { bump, matches, type Matcher } from './activity.ts';
import { listenLoopback } from './listener.ts';

export interface WsMessage {
  /** Which connection (0 for the first accepted). */
  client: number;
  data: string | Uint8Array;
  /** The text of a text frame; `<N bytes>` for a binary one. */
  text: string;
}

export interface WsClient {
  readonly index: number;
  send(data: string | Uint8Array | object): void;
  /** Closes with a close frame. */
  close(code?: number, reason?: string): void;
  /** Cuts the connection without a close frame (a crashed back end, a pulled cable). */
  terminate(): void;
}

export interface WsBackend {
  readonly url: string;
  readonly port: number;
  /** Everything received, in order. */
  readonly received: readonly WsMessage[];
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections open now. */
  clients(): number;
  /** Pings received (each answered with a pong, as `ws` does) — a client's heartbeat at work. */
  readonly pings: number;
  /** Runs for every new connection (greet it, close it, …). */
  onConnect(fn: (c: WsClient) => void): WsBackend;
  /** When a message matching `match` arrives, answers the sender with `response` (text, bytes, an object as JSON, or a function of the message). */
  reply(match: Matcher<WsMessage>, response: Payload | ((m: WsMessage) => Payload | undefined)): WsBackend;
  /** Sends to every open connection; returns how many got it. */
  send(data: Payload): number;
  /** Closes every connection with a close frame (default 1001 "back end restarting"); keeps listening. */
  drop(code?: number, reason?: string): void;
  /** Goes away: cuts every connection and stops listening, so connections are refused; restart() comes back. */
  refuse(): Promise<void>;
  /** Listens again, on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

type Payload = string | Uint8Array | object;

const frame = (d: Payload): string | Uint8Array => (typeof d === 'string' || d instanceof Uint8Array ? d : JSON.stringify(d));

export async function startWsBackend(opts: { port?: number } = {}): Promise<WsBackend> {
  const http: Server = createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({ server: http });
  const received: WsMessage[] = [];
  const open = new Map<WebSocket, WsClient>();
  const greeters: Array<(c: WsClient) => void> = [];
  const replies: Array<{ match: Matcher<WsMessage>; response: Payload | ((m: WsMessage) => Payload | undefined) }> = [];
  let accepted = 0;
  let pings = 0;

  wss.on('connection', (ws) => {
    const client: WsClient = {
      index: accepted++,
      send(d) {
        if (ws.readyState !== ws.OPEN) return;
        ws.send(frame(d));
        bump();
      },
      close(code = 1000, reason = '') {
        ws.close(code, reason);
        bump();
      },
      terminate() {
        ws.terminate();
        bump();
      },
    };
    open.set(ws, client);
    ws.on('error', () => {}); // a client's fault must not crash the test
    ws.on('close', () => open.delete(ws));
    ws.on('ping', () => pings++);
    ws.on('message', (data, isBinary) => {
      const buf = data as Buffer;
      const m: WsMessage = isBinary
        ? { client: client.index, data: new Uint8Array(buf), text: `<${buf.length} bytes>` }
        : { client: client.index, data: buf.toString('utf8'), text: buf.toString('utf8') };
      received.push(m);
      for (const r of replies) {
        if (!matches(m, r.match)) continue;
        const out = typeof r.response === 'function' ? r.response(m) : r.response;
        if (out !== undefined) client.send(out);
      }
    });
    for (const g of greeters) g(client);
    bump();
  });

  const cut = () => {
    for (const ws of open.keys()) ws.terminate();
    open.clear();
  };
  const listener = await listenLoopback(http, opts.port ?? 0, cut, () => new Promise<void>((r) => wss.close(() => r())));
  const port = listener.port;
  const backend: WsBackend = {
    url: `ws://127.0.0.1:${port}`,
    port,
    received,
    get connections() {
      return accepted;
    },
    clients: () => open.size,
    get pings() {
      return pings;
    },
    onConnect(fn) {
      greeters.push(fn);
      return backend;
    },
    reply(match, response) {
      replies.push({ match, response });
      return backend;
    },
    send(d) {
      let n = 0;
      for (const c of open.values()) {
        c.send(d);
        n++;
      }
      bump();
      return n;
    },
    drop(code = 1001, reason = 'back end restarting') {
      for (const c of open.values()) c.close(code, reason);
      bump();
    },
    refuse: listener.refuse,
    restart: listener.restart,
    close: listener.close,
  };
  return backend;
}
