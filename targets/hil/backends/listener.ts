// What both scripted back ends share: an HTTP server on 127.0.0.1 that can
// go away (refuse: cut every client and stop listening), come back on the
// same port (restart), and close for good — every step bounded in time.

import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bump } from './activity.ts';

export interface Listener {
  port: number;
  refuse(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Listens on `port` (0: ephemeral). `cut` drops every client connection;
 * `closeServer` closes what sits on top of the HTTP server (ws, socket.io).
 */
export async function listenLoopback(http: HttpServer, port: number, cut: () => void, closeServer: () => Promise<void>): Promise<Listener> {
  let listening = false;
  let closed = false;
  const listen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(p, '127.0.0.1', () => {
        http.off('error', reject);
        listening = true;
        resolve();
      });
    });
  const stopListening = () =>
    bounded(
      new Promise<void>((r) => {
        if (!listening) return r();
        listening = false;
        http.close(() => r());
        http.closeAllConnections();
      }),
    );
  await listen(port);
  const bound = (http.address() as AddressInfo).port;
  return {
    port: bound,
    async refuse() {
      cut();
      await stopListening();
      bump();
    },
    async restart() {
      if (closed) throw new Error('this back end is closed');
      if (!listening) await listen(bound);
      bump();
    },
    async close() {
      if (closed) return;
      closed = true;
      cut();
      await stopListening();
      await bounded(closeServer());
    },
  };
}

/** Resolves when `p` does or after `ms`; the timer does not hold the process. */
export function bounded(p: Promise<void>, ms = 1_000): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref();
    void p.then(() => {
      clearTimeout(t);
      resolve();
    });
  });
}
