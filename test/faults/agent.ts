// A client under fault: a child process the harness starts, kills and
// restarts by its PID. One of
//
//   pulsewire   the telemetry graph (project.ts) through createRuntime(), on
//               the node or quickjs engine, with the Node bindings: what
//               `pulsewire run` and a board's `./start` run;
//   careful     a careful hand-written `ws` client (careful.ts);
//   sio-client  plain socket.io-client, its defaults.
//
// It tells the harness (IPC) what its logic saw: lifecycle events, every up
// and what became of it, and on request its counters and memory.
//
//   node agent.mjs '<AgentConfig as JSON>'

import type { Command, InEvent, Output } from '../../runtime/vm/io.ts';
import type { Transport, TransportContext, TransportFactory } from '../../bindings/types.ts';
import {
  SIO_ECHO, SIO_FRAME, SIO_UP, UP_PERIOD_MS, parseUp, upText,
  type AgentConfig, type AgentStats, type FromAgent, type SeenEvent, type ToAgent,
} from './protocol.ts';

const cfg = JSON.parse(process.argv[2]) as AgentConfig;
const tell = (m: FromAgent) => {
  if (process.connected) process.send!(m);
};
const t0 = performance.now();
const now = () => Math.round(performance.now() - t0);
const seen = (ev: Omit<SeenEvent, 't'>) => tell({ type: 'event', ev: { t: now(), ...ev } });

const stats: AgentStats = { received: 0, refusedReported: 0, uncountedErrors: 0, echoed: 0, upsSent: 0, rss: 0, peakRss: 0 };
// The peak since the harness noted the idle figure: sampled, since a process's own high-water mark
// (getrusage, VmHWM) includes its start-up and cannot be reset on every kernel.
let peak = 0;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
sample.unref();
const snapshot = (): AgentStats => {
  const rss = process.memoryUsage.rss();
  peak = Math.max(peak, rss);
  return { ...stats, rss, peakRss: peak };
};

/** A count a report's message gives ("3 events dropped", "12 refused so far", "2 emits discarded"). */
const countIn = (text: string): number | undefined => {
  const m = /(\d+) (?:events?|emits?|messages?)\b/.exec(text);
  return m ? Number(m[1]) : undefined;
};

let stop: () => Promise<void>;

if (cfg.client === 'pulsewire') stop = await runPulsewire();
else if (cfg.client === 'careful') stop = (await import('./careful.ts')).runCareful(cfg, { seen, tell, stats });
else stop = await runSioClient();

process.on('message', (m: ToAgent) => {
  if (m.type === 'idle') peak = 0;
  tell({ type: 'stats', stats: snapshot() });
});
// The harness gone (killed, interrupted): so is its client.
const orphaned = () => process.exit(0);
process.once('disconnect', orphaned);
// A stop: the client closes everything, reports, and then must exit on its own — a timer or socket
// left behind would keep it alive, and the harness reports that.
process.once('SIGTERM', () => {
  void stop().then(() => {
    tell({ type: 'stats', stats: snapshot() });
    process.off('disconnect', orphaned);
    process.disconnect?.();
  });
});
tell({ type: 'started', rss: process.memoryUsage.rss() });

// ── pulsewire ──────────────────────────────────────────────────────────

async function runPulsewire(): Promise<() => Promise<void>> {
  const [{ readFileSync }, { decode }, { createRuntime, loadRuntime }, { overrideConnections }, { createWebSocketTransport }, { createSocketIoTransport }] =
    await Promise.all([
      import('node:fs'),
      import('../../runtime/schedule/index.ts'),
      import('../../targets/runtime.ts'),
      import('../../targets/shared/load.ts'),
      import('../../bindings/node/websocket.ts'),
      import('../../bindings/node/socketio.ts'),
    ]);
  // The harness compiled the project: a board loads a .pws and never compiles.
  const schedule = overrideConnections(decode(readFileSync(cfg.pws!)), { Link: cfg.url });
  const transports = { ws: watched(createWebSocketTransport), sio: watched(createSocketIoTransport) };
  await loadRuntime(schedule, { target: cfg.engine, transports }); // the QuickJS module, for that target
  const { runner } = createRuntime(schedule, {
    target: cfg.engine,
    mode: cfg.mode ?? 'on-demand',
    env: process.env,
    log: { warn: () => {} },
    onEvent: (ev, accepted) => onEvent(ev, accepted),
    onOutput: (o) => onOutput(o),
    transports,
  });
  void runner.start();
  return () => runner.stop();
}

/** What entered the graph's event queue: lifecycle events as seen, messages counted. */
function onEvent(ev: InEvent, accepted: boolean): void {
  switch (ev.kind) {
    case 'ws.message':
    case 'sio.event':
      // A refused event is counted by the VM and reported with its count (onOutput).
      if (accepted) stats.received++;
      return;
    case 'ws.open':
    case 'sio.open':
      return seen({ kind: 'open' });
    case 'ws.close':
      return seen({ kind: 'close', code: ev.code, by: ev.by, reason: ev.reason });
    case 'sio.close':
      return seen({ kind: 'close', by: ev.by, reason: ev.reason });
    case 'ws.error':
    case 'sio.error':
      return seen({ kind: 'error', code: ev.code, reason: ev.message, count: countIn(ev.message) });
    default:
      return;
  }
}

function onOutput(o: Output): void {
  if (o.kind !== 'error') return;
  if (o.code === 'queue_overflow') stats.refusedReported += countIn(o.message) ?? 0;
  else if (o.code === 'outputs_full') stats.uncountedErrors++;
}

/**
 * The real transport, watched: every command it handles is counted, and an
 * error it posts while handling a send is that send's report (a transport
 * refuses a send synchronously: not open, buffer full).
 */
function watched(factory: TransportFactory): TransportFactory {
  return (ctx: TransportContext): Transport => {
    let reported: string | undefined;
    let handling = false;
    // Ups written while the link is down wait in an offline buffer (Socket.IO's, or WebSocket's
    // sendWhileClosed "queue"): flushed on the next open, or discarded with a count ("N emits … discarded").
    let up = false;
    let buffered: number[] = [];
    // What was written on the current link, in order (an up's n, or 0 for an echo): a ledger's report of
    // N unconfirmed messages names the last N of them.
    let written: number[] = [];
    const t = factory({
      ...ctx,
      sink: {
        post(ev: InEvent) {
          if (ev.kind === 'ws.open' || ev.kind === 'sio.open') {
            up = true;
            buffered = [];
            written = [];
          } else if (ev.kind === 'ws.close' || ev.kind === 'sio.close') up = false;
          else if (ev.kind === 'ws.error' || ev.kind === 'sio.error') {
            if (ev.code === 'unconfirmed') {
              const n = countIn(ev.message) ?? 0;
              tell({ type: 'ups-reported', ns: written.slice(-n).filter((x) => x > 0), code: ev.code });
              written = [];
            } else if (handling) reported = ev.code;
            else if (/discarded/.test(ev.message) && buffered.length) {
              tell({ type: 'ups-reported', ns: buffered, code: ev.code });
              buffered = [];
            }
          }
          ctx.sink.post(ev);
        },
        full: ctx.sink.full ? (conn: number) => ctx.sink.full!(conn) : undefined,
      },
    });
    return {
      advance: (n) => t.advance(n),
      nextDeadline: () => t.nextDeadline(),
      inFlight: t.inFlight ? () => t.inFlight!() : undefined,
      drained: t.drained ? () => t.drained!() : undefined,
      close: () => t.close(),
      handle(cmd: Command) {
        handling = true;
        reported = undefined;
        try {
          t.handle(cmd);
        } finally {
          handling = false;
        }
        const sent = cmd.kind === 'ws.send' ? parseUp(cmd.data) : cmd.kind === 'sio.emit' && cmd.event === SIO_UP ? parseUp(cmd.message) : undefined;
        if ((cmd.kind === 'ws.send' || cmd.kind === 'sio.emit') && !reported && up) {
          written.push(sent?.n ?? 0);
          if (written.length > 100_000) written = written.slice(-50_000);
        }
        if (sent) {
          stats.upsSent++;
          if (!reported && !up) buffered.push(sent.n);
          tell({ type: 'up', n: sent.n, outcome: reported ? 'reported' : 'written', code: reported });
        } else if (cmd.kind === 'ws.send' || cmd.kind === 'sio.emit') stats.echoed++;
      },
    };
  };
}

// ── plain socket.io-client ─────────────────────────────────────────────

async function runSioClient(): Promise<() => Promise<void>> {
  const { io } = await import('socket.io-client');
  const socket = io(cfg.url, { transports: ['websocket'] });
  socket.on('connect', () => seen({ kind: 'open' }));
  socket.on('disconnect', (reason) => seen({ kind: 'close', reason, by: reason === 'io server disconnect' ? 'server' : 'fault' }));
  socket.on('connect_error', (e) => seen({ kind: 'error', code: (e as { type?: string }).type ?? 'connect_error', reason: e.message }));
  socket.on(SIO_FRAME, (text: string) => {
    stats.received++;
    stats.echoed++;
    socket.emit(SIO_ECHO, text);
  });
  let n = 0;
  // Its logic sends whatever the link's state: the library buffers while disconnected.
  const every = setInterval(() => {
    n++;
    stats.upsSent++;
    socket.emit(SIO_UP, upText(n));
    tell({ type: 'up', n, outcome: 'written' });
  }, UP_PERIOD_MS);
  return async () => {
    clearInterval(every);
    socket.close();
  };
}
