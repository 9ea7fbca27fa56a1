// Loopback back ends for the Socket.IO binding tests: a real socket.io
// Server on an http(s) server (127.0.0.1, port 0 or a given port, so a test
// can restart it on the same port), and a TCP peer that completes the WebSocket
// upgrade and then never says a word (no Engine.IO handshake, no answer to a
// close frame). Each closes with one bounded, idempotent call.

import { createHash } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server, type ServerOptions } from 'socket.io';
import { bounded } from '../../targets/hil/backends/listener.ts';

export interface SioTestServer {
  io: Server;
  http: HttpServer;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** A socket.io server (WebSocket transport only, like the client's default) on 127.0.0.1; over TLS when given a key and certificate. */
export function listenSio(port = 0, options: Partial<ServerOptions> = {}, tls?: { key: Buffer; cert: Buffer }): Promise<SioTestServer> {
  return new Promise((resolve, reject) => {
    const http: HttpServer = tls ? createTlsServer(tls) : createServer();
    const io = new Server(http, { transports: ['websocket'], ...options });
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => {
      const p = (http.address() as AddressInfo).port;
      let closing: Promise<void> | undefined;
      resolve({
        io,
        http,
        port: p,
        url: `${tls ? 'https' : 'http'}://127.0.0.1:${p}`,
        close: () =>
          (closing ??= bounded(
            new Promise<void>((r) => {
              io.close(() => r()); // disconnects every client, then closes the http server
              http.closeAllConnections();
            }),
          )),
      });
    });
  });
}

/**
 * For listenTcp(): answers the WebSocket upgrade (101 with the right accept
 * key), then ignores everything — a back end that accepts and never speaks
 * Engine.IO, and never answers a close frame.
 */
export function silentUpgrade(s: NetSocket): void {
  let head = '';
  let upgraded = false;
  s.on('data', (d: Buffer) => {
    if (upgraded) return;
    head += d.toString('latin1');
    if (!head.includes('\r\n\r\n')) return;
    upgraded = true;
    const key = /sec-websocket-key:\s*(\S+)/i.exec(head)?.[1] ?? '';
    const accept = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    s.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  });
}
