// A vehicle alerts back end for the demo and the tests: a socket.io server on
// 127.0.0.1 (ephemeral port by default). In the /vehicle namespace it emits
// `alert` {id, text} every so often and records the `ack` events it gets.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
// socket.io (the server) is imported when a server starts: the pulsewire CLI bundles this file for its
// `demo` command, and a static import cost every other command ~50 ms of start-up.

export interface AlertServer {
  url: string;
  port: number;
  /** Alert ids acknowledged by clients, in arrival order. */
  acks: string[];
  /** Clients connected to /vehicle now. */
  clients(): number;
  /** Emits one alert to every client of /vehicle now. */
  alert(text: string): number;
  close(): Promise<void>;
}

const TEXTS = ['tyre pressure low (rear left)', 'washer fluid low', 'service due in 500 km', 'door open: passenger side'];

export async function startAlertServer(opts: { port?: number; intervalMs?: number; onAck?(id: string): void } = {}): Promise<AlertServer> {
  const http = createServer();
  const { Server } = await import('socket.io');
  const io = new Server(http, { transports: ['websocket'] });
  const vehicle = io.of('/vehicle');
  const acks: string[] = [];
  let next = 1;
  vehicle.on('connection', (socket) => {
    socket.on('ack', (id: unknown) => {
      acks.push(String(id));
      opts.onAck?.(String(id));
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const alert = (text: string) => {
    const id = next++;
    vehicle.emit('alert', { id, text });
    return id;
  };
  const timer = opts.intervalMs ? setInterval(() => alert(TEXTS[(next - 1) % TEXTS.length]), opts.intervalMs) : undefined;
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    acks,
    clients: () => vehicle.sockets.size,
    alert,
    close: () =>
      new Promise<void>((r) => {
        if (timer) clearInterval(timer);
        io.close(() => r());
        http.closeAllConnections();
      }),
  };
}
