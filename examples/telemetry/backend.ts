// A small vehicle telemetry back end for the demo and the tests: a `ws`
// server on 127.0.0.1 (ephemeral port by default). After a client says
// hello it streams {"type":"telemetry","speed":…,"gear":…} frames, the speed
// sweeping up and down so that the dashboard's limit warning shows.

import { WebSocketServer, type WebSocket } from 'ws';

export interface TelemetryServer {
  url: string;
  port: number;
  /** Text of every frame the server received, in order. */
  received: string[];
  /** Clients connected so far. */
  connections: number;
  /** Sends one telemetry frame to every connected client. */
  broadcast(frame: object): void;
  /** Closes every client (as a back end restart would), keeping the server up. */
  dropClients(): void;
  close(): Promise<void>;
}

export interface TelemetryOptions {
  port?: number;
  /** ms between frames; 0 sends nothing on its own (tests drive broadcast()). */
  intervalMs?: number;
  /** Speed profile: the frame number → km/h. */
  speedAt?: (frame: number) => number;
}

const sweep = (n: number): number => {
  const phase = n % 60; // 0..59: up to 150 km/h and back down
  return Math.round((phase < 30 ? phase : 60 - phase) * 5 * 10) / 10;
};
const gearFor = (speed: number): number => (speed < 1 ? 0 : Math.min(6, 1 + Math.floor(speed / 25)));

export async function startTelemetryServer(opts: TelemetryOptions = {}): Promise<TelemetryServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: opts.port ?? 0 });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const port = (wss.address() as { port: number }).port;
  const clients = new Set<WebSocket>();
  const received: string[] = [];
  let frame = 0;
  const speedAt = opts.speedAt ?? sweep;
  const state = { connections: 0 };

  wss.on('connection', (ws) => {
    state.connections++;
    clients.add(ws);
    ws.on('message', (data, isBinary) => {
      received.push(isBinary ? `<${(data as Buffer).length} bytes>` : data.toString());
    });
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
  });

  const send = (f: object) => {
    const text = JSON.stringify(f);
    for (const c of clients) if (c.readyState === c.OPEN) c.send(text);
  };
  const timer = opts.intervalMs
    ? setInterval(() => {
        // Only clients that said hello get telemetry, like a real back end that waits for a handshake.
        if (!received.some((r) => r.includes('"hello"'))) return;
        const speed = speedAt(frame++);
        send({ type: 'telemetry', speed, gear: gearFor(speed) });
      }, opts.intervalMs)
    : undefined;

  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    received,
    get connections() {
      return state.connections;
    },
    broadcast: send,
    dropClients: () => {
      for (const c of clients) c.close(1001, 'back end restarting');
    },
    close: async () => {
      if (timer) clearInterval(timer);
      for (const c of clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
