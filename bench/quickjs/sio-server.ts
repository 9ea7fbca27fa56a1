// The Socket.IO echo server of bench/quickjs/measure.ts, in a child process
// (its own core, its own event loop):
//
//   node --import tsx bench/quickjs/sio-server.ts N WARM W
//
// Prints {"port":…} when listening. Each client that emits "ready" gets a
// session: the server sends WARM + N "telemetry" events, keeping W in
// flight, and expects each back as "echo" (same text, in order). It reports
// {"msgsPerSec":…, "bad":…} for the N after the warm-up, then disconnects
// the client.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const [n, warm, w] = process.argv.slice(2).map(Number);
const frame = (i: number) => JSON.stringify({ seq: i, speed: 88.5 + (i % 40), gear: 1 + (i % 6), rpm: 2400 + (i % 900), ts: 1_700_000_000_000 + i });

const http = createServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false });
io.on('connection', (socket) => {
  socket.once('ready', () => {
    const total = warm + n;
    const pending: string[] = [];
    let sent = 0;
    let back = 0;
    let bad = 0;
    let t0 = 0;
    const next = () => {
      const f = frame(sent++);
      pending.push(f);
      socket.emit('telemetry', f);
    };
    socket.on('echo', (m: unknown) => {
      if (m !== pending.shift()) bad++;
      back++;
      if (back === warm) t0 = performance.now();
      if (sent < total) next();
      if (back === total) {
        const s = (performance.now() - t0) / 1000;
        process.stdout.write(JSON.stringify({ msgsPerSec: n / s, bad }) + '\n');
        socket.disconnect(true);
      }
    });
    for (let i = 0; i < w && sent < total; i++) next();
  });
});
http.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: (http.address() as AddressInfo).port }) + '\n'));
process.on('disconnect', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
