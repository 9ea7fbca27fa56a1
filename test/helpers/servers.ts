// Loopback servers for binding tests: a `ws` server (plain or TLS) and a raw
// TCP server on 127.0.0.1 port 0, each closed by one bounded call that also drops the
// connections it accepted (so a test process can exit), and a port with
// nothing listening.

import { createServer as createHttpsServer } from 'node:https';
import { createServer, type Server, type Socket } from 'node:net';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import { bounded } from '../../targets/hil/backends/listener.ts';

export interface WsTestServer {
  wss: WebSocketServer;
  port: number;
  url: string;
  /** Server-side sockets, in accept order. */
  clients: WebSocket[];
  close(): Promise<void>;
}

/** A `ws` server on 127.0.0.1, port 0; with `tls` (PEM key and certificate), a `wss` server on https. */
export function listenWs(
  options: Omit<ServerOptions, 'port' | 'host' | 'server' | 'noServer'> = {},
  tls?: { key: string | Buffer; cert: string | Buffer },
): Promise<WsTestServer> {
  return new Promise((resolve, reject) => {
    const https = tls ? createHttpsServer(tls) : undefined;
    const wss = https ? new WebSocketServer({ ...options, server: https }) : new WebSocketServer({ ...options, host: '127.0.0.1', port: 0 });
    const clients: WebSocket[] = [];
    wss.on('connection', (ws) => {
      clients.push(ws);
      ws.on('error', () => {}); // a test server must not crash on a client's fault
    });
    https?.on('tlsClientError', () => {}); // a client refusing our certificate is what TLS tests expect
    const ready = () => {
      const port = ((https ?? wss).address() as { port: number }).port;
      resolve({
        wss,
        port,
        url: `${https ? 'wss' : 'ws'}://127.0.0.1:${port}`,
        clients,
        close: () =>
          bounded(
            new Promise<void>((r) => {
              for (const c of wss.clients) c.terminate();
              wss.close(() => (https ? https.close(() => r()) : r()));
              https?.closeAllConnections();
            }),
          ),
      });
    };
    if (https) {
      https.once('error', reject);
      https.listen(0, '127.0.0.1', ready);
    } else {
      wss.once('error', reject);
      wss.once('listening', ready);
    }
  });
}

export interface TcpTestServer {
  server: Server;
  port: number;
  /** Accepted sockets, in accept order. */
  sockets: Socket[];
  close(): Promise<void>;
}

/** A raw TCP server on 127.0.0.1, port 0; `onSocket` decides what to do (default: accept, discard input, never answer). */
export function listenTcp(onSocket: (s: Socket) => void = () => {}): Promise<TcpTestServer> {
  return new Promise((resolve, reject) => {
    const sockets: Socket[] = [];
    const server = createServer((s) => {
      sockets.push(s);
      s.on('error', () => {});
      s.resume(); // read (and discard) so that the peer's close is noticed; onSocket may pause
      onSocket(s);
    });
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        server,
        port: (server.address() as { port: number }).port,
        sockets,
        close: () => bounded(new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        })),
      });
    });
  });
}

/** A port on 127.0.0.1 with nothing listening (listen on port 0, then close). */
export async function closedPort(): Promise<number> {
  const s = await listenTcp();
  await s.close();
  return s.port;
}
