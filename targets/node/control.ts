// The control channel of `pulsewire run --control PORT`: a WebSocket server
// through which a rig in another process drives this runtime (protocol in
// targets/shared/control-protocol.ts). It listens on 127.0.0.1 unless told
// otherwise, and refuses every upgrade without the token (HTTP 401) before
// a single frame is read.

import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeEvent, encodeHeader, encodeTick, TraceError } from '../../runtime/vm/trace.ts';
import type { SteppedHost } from '../shared/stepped-host.ts';
import {
  CONTROL_MAX_PAYLOAD, CONTROL_MAX_STEP, CONTROL_OPS, CONTROL_SUBPROTOCOL, encodeState,
  type ControlRequest, type ControlResponse, type TickPush,
} from '../shared/control-protocol.ts';

/** A client whose unsent pushes pass this many bytes is disconnected (1013) rather than buffered without bound. */
const MAX_BUFFERED = 8 << 20;

export interface ControlServerOptions {
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  token: string;
  /** A client asked the runtime to stop. */
  onStop(): void;
}

export interface ControlServer {
  url: string;
  port: number;
  /** The address it is bound to. */
  address: string;
  close(): Promise<void>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function startControlServer(host: SteppedHost, opts: ControlServerOptions): Promise<ControlServer> {
  const want = digest(opts.token);
  const authorized = (req: IncomingMessage): boolean => {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    return m !== null && timingSafeEqual(digest(m[1]), want); // equal-length digests: no timing hint about the token
  };
  const http = createServer((_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('a WebSocket control channel\n'));
  const wss = new WebSocketServer({
    server: http,
    maxPayload: CONTROL_MAX_PAYLOAD,
    handleProtocols: (protocols) => (protocols.has(CONTROL_SUBPROTOCOL) ? CONTROL_SUBPROTOCOL : false),
    verifyClient: (info, done) => (authorized(info.req) ? done(true) : done(false, 401, 'Unauthorized')),
  });
  wss.on('connection', (ws) => serve(ws, host, opts));
  const bind = opts.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, bind, () => {
      http.off('error', reject);
      const a = http.address() as AddressInfo;
      const hostPart = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      let closing: Promise<void> | undefined;
      resolve({
        url: `ws://${hostPart}:${a.port}`,
        port: a.port,
        address: a.address,
        close: () =>
          (closing ??= new Promise<void>((r) => {
            const bound = setTimeout(r, 1_000); // connections are cut below; this only guards the wait
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

function serve(ws: WebSocket, host: SteppedHost, opts: ControlServerOptions): void {
  ws.on('error', () => {}); // a client's fault ends its connection, never the runtime
  const send = (msg: ControlResponse | TickPush) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED) {
      ws.close(1013, 'too far behind: pushes are not read');
      return;
    }
    ws.send(JSON.stringify(msg));
  };
  const unsubscribe = host.recorder.onRecord((r) => send({ push: 'tick', line: encodeTick(r) }));
  ws.on('close', unsubscribe);
  const state = () => encodeState({ tick: host.ticks, now: host.now, variables: host.variables(), paused: !host.playing });

  ws.on('message', async (data, isBinary) => {
    let req: ControlRequest;
    try {
      req = JSON.parse(isBinary ? '' : String(data));
      if (typeof req !== 'object' || req === null || !Number.isInteger(req.id)) throw new Error('a request needs an integer "id"');
    } catch (e) {
      ws.close(1003, `not a control request: ${(e as Error).message}`.slice(0, 120));
      return;
    }
    try {
      send({ id: req.id, ok: true, result: await run(req) });
    } catch (e) {
      send({ id: req.id, ok: false, error: e instanceof TraceError ? e.why : (e as Error).message });
    }
  });

  async function run(req: ControlRequest): Promise<unknown> {
    if (!CONTROL_OPS.includes(req.op)) throw new Error(`unknown op ${JSON.stringify(req.op)} (ops: ${CONTROL_OPS.join(', ')})`);
    switch (req.op) {
      case 'hello': {
        const h = host.header;
        return { info: { target: h.target, project: h.project, schedule: h.schedule, tickRateHz: h.tickRateHz }, state: state() };
      }
      case 'step': {
        const n = req.n ?? 1;
        if (!Number.isInteger(n) || n < 0 || n > CONTROL_MAX_STEP) throw new Error(`"n" must be a whole number from 0 to ${CONTROL_MAX_STEP}`);
        await host.step(n, { settle: req.settle === true });
        return state();
      }
      case 'pause':
        await host.pause();
        return state();
      case 'resume':
        host.play();
        return state();
      case 'inject': {
        const { ev } = decodeEvent(req.event);
        return { accepted: host.inject(ev) };
      }
      case 'state':
        return state();
      case 'trace': {
        const last = req.last;
        if (last !== undefined && (!Number.isInteger(last) || last < 0)) throw new Error('"last" must be a whole number');
        return { header: encodeHeader(host.header), lines: host.recorder.recent(last).map(encodeTick) };
      }
      case 'stop':
        setImmediate(() => opts.onStop()); // after this response is on its way
        return state();
    }
  }
}
