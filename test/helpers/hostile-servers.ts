// Back ends that misbehave on purpose, on 127.0.0.1 port 0: a `ws` server
// on the Socket.IO path that speaks just enough Engine.IO to be a peer (a
// real Socket.IO server cannot be made to send malformed packets), and a
// plain `ws` server that floods or oversends. Packets are written as the
// literal text on the wire, like ws's tests write frames as hex. Each
// server records what it accepted and closes with one bounded call.

import { WebSocketServer, type WebSocket } from 'ws';
import { bounded } from '../../targets/hil/backends/listener.ts';

/** A valid Engine.IO v4 open packet (the server's handshake) with the given ping timing. */
export function openPacket(o: { sid?: string; pingInterval?: number; pingTimeout?: number; maxPayload?: number } = {}): string {
  return '0' + JSON.stringify({ sid: o.sid ?? 'hostile', upgrades: [], pingInterval: o.pingInterval ?? 25_000, pingTimeout: o.pingTimeout ?? 20_000, maxPayload: o.maxPayload ?? 1_000_000 });
}

/** What a scripted peer does on each accepted connection: `conn` is the socket, `n` its number (0, 1, …). */
export type Script = (conn: WebSocket, n: number) => void;

/**
 * A complete Socket.IO handshake from the peer's side: the open packet, then
 * the namespace CONNECT answered for `/` — after which `then` runs.
 */
export function socketIoPeer(then: (conn: WebSocket) => void = () => {}, open = openPacket()): Script {
  return (conn) => {
    conn.send(open);
    conn.on('message', (d) => {
      const text = d.toString();
      if (text.startsWith('40')) {
        conn.send('40{"sid":"ns-hostile"}');
        then(conn);
      }
    });
  };
}

export interface HostileServer {
  wss: WebSocketServer;
  port: number;
  /** http://127.0.0.1:port, for a Socket.IO connection; ws://… for a WebSocket one. */
  url: string;
  wsUrl: string;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

/** A `ws` server on 127.0.0.1 that runs `script` on every connection, whatever the path. */
export function listenHostile(script: Script): Promise<HostileServer> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    let accepted = 0;
    wss.on('connection', (conn) => {
      conn.on('error', () => {}); // the client may cut us off mid-frame: expected
      script(conn, accepted++);
    });
    wss.once('error', reject);
    wss.once('listening', () => {
      const port = (wss.address() as { port: number }).port;
      resolve({
        wss,
        port,
        url: `http://127.0.0.1:${port}`,
        wsUrl: `ws://127.0.0.1:${port}`,
        get accepted() {
          return accepted;
        },
        close: () =>
          bounded(
            new Promise<void>((r) => {
              for (const c of wss.clients) c.terminate();
              wss.close(() => r());
            }),
          ),
      });
    });
  });
}
