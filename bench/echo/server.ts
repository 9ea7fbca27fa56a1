// Echo benchmark server (a child process, pinned to its own core).
//
//   node --import tsx bench/echo/server.ts ws|sio
//
// Listens on 127.0.0.1 (ephemeral port) and tells the parent its URL. For
// each `session` the parent sends, it takes the next client that says
// READY, sends warm + n telemetry frames keeping `w` in flight, times each
// frame's round trip (send → the same frame back), reports an EchoResult,
// and closes that client. Frames come back in order on one connection, so a
// FIFO of what is in flight matches them; a frame that differs is counted.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { Server as SioServer, type Socket } from 'socket.io';
import { READY, SIO_BACK, SIO_OUT, telemetryFrame, type EchoResult, type SessionRequest } from './protocol.ts';
import { quantile, mean } from '../lib/stats.ts';

const proto = process.argv[2];
if (proto !== 'ws' && proto !== 'sio') throw new Error('usage: server.ts ws|sio');
const send = (m: object) => process.send?.(m);

interface Peer {
  send(text: string): void;
  close(): void;
}

class Session {
  private peer: Peer | undefined;
  private readonly total: number;
  private sent = 0;
  private back = 0;
  private mismatched = 0;
  /** In-flight frames, oldest first: send time and text. */
  private readonly fifoT: Float64Array;
  private readonly fifoS: string[];
  private head = 0;
  private readonly rtt: Float64Array;
  private t0 = 0;
  private tLast = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  done = false;

  constructor(readonly req: SessionRequest) {
    this.total = req.warm + req.n;
    this.fifoT = new Float64Array(req.w);
    this.fifoS = new Array(req.w);
    this.rtt = new Float64Array(req.n);
  }

  attach(peer: Peer): void {
    this.peer = peer;
    this.timer = setTimeout(() => this.finish(`timed out after ${this.req.timeoutMs} ms`), this.req.timeoutMs);
    for (let i = 0; i < this.req.w && this.sent < this.total; i++) this.sendNext();
  }

  private sendNext(): void {
    const seq = this.sent++;
    const text = telemetryFrame(seq);
    const slot = (this.head + (seq - this.back)) % this.req.w;
    const now = performance.now();
    if (seq === this.req.warm) {
      this.t0 = now;
      send({ type: 'measuring', id: this.req.id }); // the parent samples the client's CPU time from here
    }
    this.fifoT[slot] = now;
    this.fifoS[slot] = text;
    this.peer!.send(text);
  }

  onFrame(text: string): void {
    if (this.done) return;
    const now = performance.now();
    if (this.back >= this.sent) return void this.mismatched++; // nothing in flight: not ours
    const seq = this.back++;
    const slot = this.head;
    this.head = (this.head + 1) % this.req.w;
    if (text !== this.fifoS[slot]) this.mismatched++;
    if (seq >= this.req.warm) this.rtt[seq - this.req.warm] = now - this.fifoT[slot];
    this.tLast = now;
    if (this.back === this.total) return this.finish();
    if (this.sent < this.total) this.sendNext();
  }

  finish(error?: string): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    const got = Math.max(0, this.back - this.req.warm);
    const samples = this.rtt.subarray(0, got);
    const elapsedMs = got > 0 ? this.tLast - this.t0 : NaN;
    const result: EchoResult = {
      ok: !error && this.mismatched === 0 && got === this.req.n,
      error: error ?? (this.mismatched ? `${this.mismatched} frames came back changed` : undefined),
      received: got,
      mismatched: this.mismatched,
      elapsedMs,
      msgsPerSec: got > 0 ? (got / elapsedMs) * 1000 : NaN,
      p50: quantile(samples, 0.5),
      p99: quantile(samples, 0.99),
      mean: mean(samples),
      max: quantile(samples, 1),
    };
    send({ type: 'result', id: this.req.id, result });
    this.peer?.close();
    if (current === this) current = undefined;
  }
}

let current: Session | undefined;
let closeServer: () => Promise<void>;

if (proto === 'ws') {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  wss.on('connection', (ws: WebSocket) => {
    const s = current;
    let session: Session | undefined;
    ws.on('error', () => {});
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      if (session) return session.onFrame(text);
      if (text === READY && s && !s.done && current === s) {
        session = s;
        s.attach({ send: (t) => ws.send(t), close: () => ws.terminate() });
      }
    });
    ws.on('close', () => session?.finish('the client closed the connection'));
  });
  closeServer = () => new Promise<void>((r) => {
    for (const c of wss.clients) c.terminate();
    wss.close(() => r());
  });
  send({ type: 'listening', url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}` });
} else {
  const http = createServer();
  const io = new SioServer(http, { transports: ['websocket'], perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', resolve);
  });
  io.on('connection', (socket: Socket) => {
    const s = current;
    let session: Session | undefined;
    socket.on(SIO_BACK, (text: unknown) => session?.onFrame(String(text)));
    socket.on(READY, () => {
      if (session || !s || s.done || current !== s) return;
      session = s;
      s.attach({ send: (t) => void socket.emit(SIO_OUT, t), close: () => void socket.disconnect(true) });
    });
    socket.on('disconnect', () => session?.finish('the client disconnected'));
  });
  closeServer = () => new Promise<void>((r) => {
    io.close(() => r());
    http.closeAllConnections();
  });
  send({ type: 'listening', url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` });
}

process.on('message', (m: { type: string } & Partial<SessionRequest>) => {
  if (m.type === 'session') {
    current?.finish('superseded by the next session');
    current = new Session(m as SessionRequest);
  } else if (m.type === 'abort') {
    current?.finish('aborted: the client exited');
  } else if (m.type === 'close') {
    current?.finish('the server was closed');
    void closeServer().then(() => process.exit(0));
  }
});
process.on('disconnect', () => void closeServer().then(() => process.exit(0)));
