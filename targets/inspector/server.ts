// The live inspector of `run --inspect [PORT]` (and a board's `./start
// --inspect`): one HTTP server on 127.0.0.1 that serves the page (its code
// bundled by esbuild into dist/inspector.js: no CDN) and, on the same port,
// one WebSocket that speaks the control protocol
// (targets/shared/control-protocol.ts) — hello, state, trace, and step,
// pause and resume only when the run allows control — plus the extensions
// the page needs: the op `graph` and the pushes `ticks` and `status`
// (docs/PICTURES.md). It only reads the run: attaching or detaching a page
// never changes what the schedule does.
//
// The token is the control channel's (PULSEWIRE_CONTROL_TOKEN, else
// generated). A browser cannot set an Authorization header on a WebSocket,
// so the page sends it as a second subprotocol, `pulsewire-token.<token>`,
// from the address's #fragment (never sent to the server in a request
// line, so never in a log). A wrong or missing token is refused with HTTP
// 401 before a frame is read. Requests whose Host is not this machine's
// loopback name are refused (a DNS-rebinding page cannot reach it).

import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeHeader, encodeTick, type TickRecord, type TraceHeader } from '../../runtime/vm/trace.ts';
import type { Value } from '../../runtime/values.ts';
import type { ConnectionStatus } from '../../bindings/types.ts';
import { CONTROL_MAX_PAYLOAD, CONTROL_MAX_STEP, CONTROL_SUBPROTOCOL, encodeState, type ControlRequest } from '../shared/control-protocol.ts';

export const TOKEN_PROTOCOL_PREFIX = 'pulsewire-token.';
/** How often ticks and status go to the page, ms: a page needs no more, and a tick costs no send. */
export const FLUSH_MS = 100;
/** Ticks kept for a page that attaches (its timeline starts full). */
const KEEP_TICKS = 600;
/** A page whose unsent pushes pass this many bytes is disconnected (1013) rather than buffered without bound. */
const MAX_BUFFERED = 4 << 20;

/** What the inspector reads of a run. */
export interface InspectSource {
  header: TraceHeader;
  /** Subscribes to every finished tick (and the chains it ran); returns the unsubscribe. */
  onRecord(fn: (r: TickRecord, chains: readonly number[]) => void): () => void;
  variables(): Record<string, Value>;
  connections(): ConnectionStatus[];
  ticks(): number;
  now(): number;
  /** Present when the run allows control (`--control`, stepped or fixed on the virtual clock). */
  control?: { step(n: number): Promise<void>; pause(): Promise<void>; play(): void; readonly playing: boolean };
}

export interface InspectorOptions {
  port: number;
  host?: string;
  token: string;
  /** The page's script (dist/inspector.js). */
  script: string;
  /** The graph picture (SVG), when there is one; a promise while it is being laid out (the run does not wait for it). */
  graph?: string | Promise<string | undefined>;
  /** Chain entry pc → the nodes (`scope/id`) it can reach. */
  chains: Record<number, string[]>;
}

export interface Inspector {
  url: string;
  port: number;
  close(): Promise<void>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

const PAGE = (title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title.replace(/[<&"]/g, '')}: pulsewire inspector</title>
<meta name="viewport" content="width=device-width"></head>
<body><div id="app">loading…</div><script src="inspector.js"></script></body></html>
`;

export function startInspector(src: InspectSource, opts: InspectorOptions): Promise<Inspector> {
  const want = digest(opts.token);
  const bind = opts.host ?? '127.0.0.1';
  let port = 0;
  const hostOk = (req: IncomingMessage) => {
    const h = (req.headers.host ?? '').toLowerCase();
    return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${bind}:${port}`].includes(h);
  };
  const tokenOf = (req: IncomingMessage): string | undefined =>
    (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX))?.slice(TOKEN_PROTOCOL_PREFIX.length);
  const http = createServer((req, res) => {
    if (!hostOk(req)) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden\n');
    const path = (req.url ?? '/').split('?')[0];
    const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (req.method === 'GET' && path === '/') return void res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(PAGE(src.header.project));
    if (req.method === 'GET' && path === '/inspector.js') return void res.writeHead(200, { ...headers, 'content-type': 'text/javascript; charset=utf-8' }).end(opts.script);
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    maxPayload: CONTROL_MAX_PAYLOAD,
    handleProtocols: (protocols) => (protocols.has(CONTROL_SUBPROTOCOL) ? CONTROL_SUBPROTOCOL : false),
    verifyClient: (info, done) => {
      if (!hostOk(info.req)) return done(false, 403, 'Forbidden');
      const t = tokenOf(info.req);
      // Equal-length digests: no timing hint about the token.
      if (t === undefined || !timingSafeEqual(digest(t), want)) return done(false, 401, 'Unauthorized');
      done(true);
    },
  });

  // What the page is sent: the ticks since the last flush and, each flush, the run's status.
  const recent: TickRecord[] = [];
  let pending: string[] = [];
  let ran: number[] = [];
  const counters = new Map<number, { in: number; out: number; refused: number }>();
  const count = (conn: number) => counters.get(conn) ?? (counters.set(conn, { in: 0, out: 0, refused: 0 }), counters.get(conn)!);
  const unsubscribe = src.onRecord((r, chains) => {
    for (const e of r.events) {
      const c = count(e.ev.conn);
      if (e.accepted) c.in++;
      else c.refused++;
    }
    for (const o of r.outputs) if ('conn' in o) count(o.conn).out++;
    recent.push(r);
    if (recent.length > KEEP_TICKS) recent.shift();
    if (wss.clients.size === 0) return; // detached: nothing is encoded or sent
    pending.push(encodeTick(r));
    for (const pc of chains) ran.push(r.tick, pc);
  });
  const status = () => ({
    tick: src.ticks(),
    now: src.now(),
    paused: src.control ? !src.control.playing : false,
    connections: src.connections().map((s) => ({ ...s, in: count(s.conn).in, out: count(s.conn).out, dropped: s.dropped + count(s.conn).refused })),
  });
  const broadcast = (msg: object) => {
    const text = JSON.stringify(msg);
    for (const ws of wss.clients) send(ws, text);
  };
  const flush = () => {
    if (wss.clients.size === 0) return;
    if (pending.length) broadcast({ push: 'ticks', lines: pending, ran });
    pending = [];
    ran = [];
    broadcast({ push: 'status', ...status() });
  };
  const timer = setInterval(flush, FLUSH_MS);
  timer.unref();

  wss.on('connection', (ws) => {
    ws.on('error', () => {}); // a page's fault ends its connection, never the run
    ws.on('message', async (data, isBinary) => {
      let req: ControlRequest & { op: string };
      try {
        req = JSON.parse(isBinary ? '' : String(data));
        if (typeof req !== 'object' || req === null || !Number.isInteger(req.id)) throw new Error('a request needs an integer "id"');
      } catch (e) {
        ws.close(1003, `not a control request: ${(e as Error).message}`.slice(0, 120));
        return;
      }
      try {
        const result = await run(req);
        flush(); // ticks a request ran reach the page before its answer, as on the control channel
        send(ws, JSON.stringify({ id: req.id, ok: true, result }));
      } catch (e) {
        send(ws, JSON.stringify({ id: req.id, ok: false, error: (e as Error).message }));
      }
    });
  });

  async function run(req: ControlRequest & { op: string }): Promise<unknown> {
    const state = () => encodeState({ tick: src.ticks(), now: src.now(), variables: src.variables(), paused: src.control ? !src.control.playing : false });
    switch (req.op as string) {
      case 'hello': {
        const h = src.header;
        return { info: { target: h.target, project: h.project, schedule: h.schedule, tickRateHz: h.tickRateHz, mode: h.mode, control: src.control !== undefined }, state: state(), status: status() };
      }
      case 'state':
        return state();
      case 'trace':
        return { header: encodeHeader(src.header), lines: recent.slice(-(req.last ?? KEEP_TICKS)).map(encodeTick) };
      case 'graph':
        return { svg: (await opts.graph) ?? null, chains: opts.chains };
      case 'step':
      case 'pause':
      case 'resume': {
        const c = src.control;
        if (!c) throw new Error('read-only: this run does not allow control (start it with --control to pause, step and resume from the page)');
        if (req.op === 'pause') await c.pause();
        else if (req.op === 'resume') c.play();
        else {
          const n = req.n ?? 1;
          if (!Number.isInteger(n) || n < 0 || n > CONTROL_MAX_STEP) throw new Error(`"n" must be a whole number from 0 to ${CONTROL_MAX_STEP}`);
          await c.step(n);
        }
        return state();
      }
      default:
        throw new Error(`the inspector does not serve op ${JSON.stringify(req.op)} (ops: hello, state, trace, graph, step, pause, resume)`);
    }
  }

  function send(ws: WebSocket, text: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED) return void ws.close(1013, 'too far behind: pushes are not read');
    ws.send(text);
  }

  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, bind, () => {
      http.off('error', reject);
      const a = http.address() as AddressInfo;
      port = a.port;
      const hostPart = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${hostPart}:${a.port}/`,
        port: a.port,
        close: () =>
          (closing ??= new Promise<void>((r) => {
            clearInterval(timer);
            unsubscribe();
            const bound = setTimeout(r, 1_000);
            bound.unref();
            for (const c of wss.clients) c.terminate();
            wss.close();
            http.close(() => {
              clearTimeout(bound);
              r();
            });
            http.closeAllConnections();
          })),
      });
    });
  });
}
