// The telemetry back end of the fault suite: a child process, killed and
// restarted by its PID. `ws` or `socket.io` on 127.0.0.1 (TLS when given a
// key and certificate), one telemetry frame every 10 ms to every client,
// counting the echoes, and every up written synchronously to a file (see
// protocol.ts). The harness sends it faults of its own over IPC: a flood,
// a close with a code, an oversized frame, an invalid UTF-8 text frame.
//
//   node server.mjs '<ServerConfig as JSON>'

import { openSync, writeSync, readFileSync } from 'node:fs';
import { createServer as createHttp, type Server as HttpServer } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { Server as SioServer, type Socket } from 'socket.io';
import {
  FRAME_PERIOD_MS, SIO_ECHO, SIO_FRAME, SIO_UP, parseUp, telemetryFrame,
  type FromServer, type ServerConfig, type ToServer,
} from './protocol.ts';

const cfg = JSON.parse(process.argv[2]) as ServerConfig;
const tell = (m: FromServer) => process.send?.(m);
const upsFd = openSync(cfg.upsFile, 'a');

interface Peer {
  id: number;
  send(text: string): void;
}

let nextId = 1;
let epoch = 0;
let echoes = 0;
let frames = 0;
let seq = 0;
const peers = new Map<number, Peer>();
let flood: { n: number; start: number; base: number } | undefined;

function onUp(peer: number, m: unknown): boolean {
  const up = parseUp(m);
  if (!up) return false;
  writeSync(upsFd, `${epoch} ${peer} ${up.n} ${up.dup ? 1 : 0}\n`);
  return true;
}

function onEcho(): void {
  echoes++;
  if (flood && echoes - flood.base >= flood.n) {
    tell({ type: 'flood-done', n: flood.n, ms: performance.now() - flood.start });
    flood = undefined;
  }
}

// The steady stream, paused during a flood so that the flood is all that is counted.
setInterval(() => {
  if (flood) return;
  for (const p of peers.values()) {
    p.send(telemetryFrame(seq++));
    frames++;
  }
}, FRAME_PERIOD_MS);

const http: HttpServer = cfg.tls ? createHttps({ key: readFileSync(cfg.tls.key), cert: readFileSync(cfg.tls.cert) }) : createHttp();
http.on('tlsClientError', () => {}); // a client refusing the certificate is the point of that fault

let faults: (m: ToServer) => void;

if (cfg.proto === 'ws') {
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 64 << 20 });
  const sockets = new Map<number, WebSocket>();
  wss.on('connection', (ws) => {
    const id = nextId++;
    ws.on('error', () => {});
    sockets.set(id, ws);
    peers.set(id, { id, send: (t) => ws.send(t) });
    tell({ type: 'conn', id });
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      if (!onUp(id, text)) onEcho();
    });
    ws.on('close', () => {
      sockets.delete(id);
      peers.delete(id);
      tell({ type: 'gone', id });
    });
  });
  faults = (m) => {
    for (const ws of sockets.values()) {
      if (m.type === 'close') ws.close(m.code, m.reason);
      else if (m.type === 'oversize') ws.send('x'.repeat(m.bytes));
      // ws does not check what it sends: the bytes go out as a text frame, as a buggy back end's would.
      else if (m.type === 'bad-utf8') ws.send(Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0x7d]), { binary: false });
    }
  };
} else {
  const io = new SioServer(http, { transports: ['websocket'], maxHttpBufferSize: 64 << 20 });
  const sockets = new Map<number, Socket>();
  io.on('connection', (socket) => {
    const id = nextId++;
    sockets.set(id, socket);
    peers.set(id, { id, send: (t) => socket.emit(SIO_FRAME, t) });
    tell({ type: 'conn', id });
    socket.on(SIO_UP, (...args: unknown[]) => {
      const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as () => void) : undefined;
      onUp(id, args[0]);
      ack?.();
    });
    socket.on(SIO_ECHO, () => onEcho());
    socket.on('disconnect', () => {
      sockets.delete(id);
      peers.delete(id);
      tell({ type: 'gone', id });
    });
  });
  faults = (m) => {
    for (const socket of sockets.values()) {
      if (m.type === 'sio-end') {
        if (m.how === 'disconnect') socket.disconnect(true);
        else socket.conn.close();
      } else if (m.type === 'oversize') socket.emit(SIO_FRAME, 'x'.repeat(m.bytes));
      else if (m.type === 'bad-utf8') {
        // Beneath socket.io: the engine's WebSocket, sending bytes that are not UTF-8 as a text frame.
        const raw = (socket.conn as unknown as { transport: { socket?: { send(d: Buffer, o: object): void } } }).transport.socket;
        raw?.send(Buffer.from([0x34, 0xc3, 0x28, 0xff]), { binary: false });
      }
    }
  };
}

process.on('message', (m: ToServer) => {
  switch (m.type) {
    case 'flood': {
      const [p] = peers.values();
      if (!p) return;
      flood = { n: m.n, start: performance.now(), base: echoes };
      for (let i = 0; i < m.n; i++) p.send(telemetryFrame(seq++));
      frames += m.n;
      return;
    }
    case 'epoch':
      epoch = m.epoch;
      return;
    case 'stats':
      return tell({ type: 'stats', echoes, conns: peers.size, frames });
    default:
      return faults(m);
  }
});

http.listen(cfg.port, '127.0.0.1', () => tell({ type: 'listening', port: (http.address() as AddressInfo).port }));
process.once('SIGTERM', () => process.exit(0));
process.once('disconnect', () => process.exit(0)); // the harness went away: so does its back end
