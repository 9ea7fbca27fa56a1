// The in-guest Socket.IO variant of bench/quickjs/measure.ts: socket.io-client
// bundled into the QuickJS guest, over the host WebSocket primitive of
// shims.ts, with the same echo handler as the host-side variant.
//   b_start(url) → outbox JSON        connect
//   b_tick(now, events JSON) → outbox JSON   deliver the host's events, run due timers

import '../../../targets/quickjs/polyfill.ts';
import { runTimers, deliver, takeOutbox } from './shims.ts';
import { io } from 'socket.io-client';

const g = globalThis as Record<string, unknown>;
g.b_start = (url: string): string => {
  const socket = io(url, { transports: ['websocket'], reconnection: false });
  socket.on('connect', () => void socket.emit('ready'));
  socket.on('telemetry', (m: string) => void socket.emit('echo', m));
  return JSON.stringify(takeOutbox());
};
g.b_tick = (now: number, events: string): string => {
  if (events !== '') for (const ev of JSON.parse(events) as unknown[][]) deliver(ev);
  runTimers(now);
  return JSON.stringify(takeOutbox());
};
