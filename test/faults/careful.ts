// The careful hand-written `ws` client of the fault suite's comparison
// column: what an experienced engineer writes around `ws` without a
// framework.
//
//   - capped exponential backoff: 250 ms × 2^k, at most 5 s, ±20 % jitter;
//   - a 5 s handshake timeout (ws's own option);
//   - a ping every 2 s, and the socket terminated after 5 s without a word
//     from the server (pong or message);
//   - a bounded send queue while not open (64 messages, flushed on open; an
//     up beyond it is dropped and counted: reported).
//
// What it cannot know: which of the messages it wrote to a socket that then
// died reached the server. Those are lost without a report.

import WebSocket from 'ws';
import { UP_PERIOD_MS, upText, type AgentConfig, type AgentStats, type FromAgent, type SeenEvent } from './protocol.ts';

const BACKOFF_MS = 250;
const BACKOFF_CAP_MS = 5_000;
const HANDSHAKE_MS = 5_000;
const PING_MS = 2_000;
const SILENCE_MS = 5_000;
const QUEUE = 64;

interface Io {
  seen(ev: Omit<SeenEvent, 't'>): void;
  tell(m: FromAgent): void;
  stats: AgentStats;
}

export function runCareful(cfg: AgentConfig, io: Io): () => Promise<void> {
  let ws: WebSocket | undefined;
  let attempt = 0;
  let lastHeard = 0;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let ping: ReturnType<typeof setInterval> | undefined;
  const queue: string[] = [];

  const connect = () => {
    retry = undefined;
    const sock = new WebSocket(cfg.url, { handshakeTimeout: HANDSHAKE_MS, perMessageDeflate: false });
    ws = sock;
    sock.on('open', () => {
      attempt = 0;
      lastHeard = performance.now();
      io.seen({ kind: 'open' });
      for (const m of queue.splice(0)) sock.send(m);
      ping = setInterval(() => {
        if (performance.now() - lastHeard > SILENCE_MS) sock.terminate();
        else sock.ping();
      }, PING_MS);
    });
    sock.on('message', (data, isBinary) => {
      lastHeard = performance.now();
      io.stats.received++;
      io.stats.echoed++;
      sock.send(isBinary ? data : data.toString());
    });
    sock.on('pong', () => (lastHeard = performance.now()));
    sock.on('error', (e: Error & { code?: string }) => io.seen({ kind: 'error', code: e.code ?? 'error', reason: e.message }));
    sock.on('close', (code, reason) => {
      clearInterval(ping);
      ws = undefined;
      io.seen({ kind: 'close', code, reason: reason.toString() });
      if (stopped) return;
      const base = Math.min(BACKOFF_CAP_MS, BACKOFF_MS * 2 ** attempt++);
      retry = setTimeout(connect, base * (0.8 + 0.4 * Math.random()));
    });
  };

  let n = 0;
  const every = setInterval(() => {
    n++;
    io.stats.upsSent++;
    const text = upText(n);
    if (ws?.readyState === WebSocket.OPEN) {
      ws.send(text);
      io.tell({ type: 'up', n, outcome: 'written' });
    } else if (queue.length < QUEUE) {
      queue.push(text);
      io.tell({ type: 'up', n, outcome: 'written' });
    } else {
      io.tell({ type: 'up', n, outcome: 'reported', code: 'queue_full' });
    }
  }, UP_PERIOD_MS);

  connect();
  return async () => {
    stopped = true;
    clearInterval(every);
    clearTimeout(retry);
    clearInterval(ping);
    const sock = ws;
    if (!sock) return;
    await new Promise<void>((r) => {
      sock.once('close', () => r());
      sock.close(1000);
      setTimeout(() => (sock.terminate(), r()), 1_000).unref();
    });
  };
}
