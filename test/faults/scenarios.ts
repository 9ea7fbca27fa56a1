// The fault kinds of the matrix. Each runs on a Rig (a back end, the proxy,
// one client) in three steps — set up and reach steady state, inject the
// fault (mark 'fault'; 'release' when it ends), let the client recover —
// and then says what pulsewire must have done: the events its graph saw,
// in order, and the accounting of the ups. The comparison clients (careful
// ws, plain socket.io-client) run the same steps; their figures go beside
// pulsewire's in the table, unchecked.
//
// `short` scenarios run inside `npm test` (on both engines and protocols);
// the whole list runs in `npm run faults`.

import type { Rig, RigOptions, Seen } from './rig.ts';
import type { Proto } from './protocol.ts';
import type { Verdict } from './verdict.ts';

export interface Scenario {
  id: string;
  title: string;
  protos: Proto[];
  /** In the short tier: on every protocol of the scenario, or on those listed. */
  short?: boolean | Proto[];
  /** pulsewire's tick mode in the short tier (default: the agent's, on-demand). */
  shortMode?: 'fixed';
  /** Rig options of this fault (TLS, a direct link, another URL). */
  rig?(proto: Proto): Partial<RigOptions> | Promise<Partial<RigOptions>>;
  /** Drives the fault; returns figures of its own for the table. */
  run(rig: Rig, o: RunOptions): Promise<Record<string, number | string>>;
  /** pulsewire's expected behaviour: the problems found (none: as expected). */
  expect(rig: Rig, v: Verdict, o: RunOptions): string[];
}

export interface RunOptions {
  proto: Proto;
  /** The short tier: smaller floods and waits. */
  short: boolean;
}

/**
 * The connection settings the suite's project uses besides the defaults: a
 * heartbeat a deployment sets for a link it must watch (ping every 2 s,
 * 3 s for the pong), comparable to the careful client's (2 s, 5 s of silence).
 */
export const CONNECTION = { ws: { heartbeat: { intervalMs: 2_000, timeoutMs: 3_000 } }, sio: {} } as const;

// ── checks ─────────────────────────────────────────────────────────────

/** Events of the current client from `mark` until finish() began (its own stop is not the fault's doing). */
const after = (rig: Rig, mark = 'fault'): Seen[] => rig.events(rig.marks.get(mark) ?? 0).filter((e) => e.at < (rig.marks.get('end') ?? Infinity));
/** Events as `kind:code/by`, runs of the same one as `… ×N`. */
function trail(es: Seen[]): string {
  const words = es.map((e) => `${e.kind}${e.code !== undefined ? ':' + e.code : ''}${e.by ? '/' + e.by : ''}`);
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    let j = i;
    while (j < words.length && words[j] === words[i]) j++;
    out.push(j - i > 1 ? `${words[i]} ×${j - i}` : words[i]);
    i = j;
  }
  return out.join(' ');
}

/** The reports of a Send refused while the link is down (WebSocket: not open; Socket.IO: the offline buffer is full). */
const REFUSED_SENDS = ['not_open', 'not_started', 'send_buffer_full'];

/** Nothing lost without a report, no duplicate without a flag. */
function accounted(v: Verdict): string[] {
  const p: string[] = [];
  if (v.lost > 0) p.push(`${v.lost} of ${v.sent} ups lost without a report`);
  if (v.dupUnflagged > 0) p.push(`${v.dupUnflagged} duplicate ups without a flag`);
  return p;
}

/** After the fault: the link went down once (a close matching `close`), came back (open), and stayed up. */
function reconnected(rig: Rig, close: { by?: string; code?: number } = {}): string[] {
  const es = after(rig).filter((e) => e.kind !== 'error');
  const firstOpen = es.findIndex((e) => e.kind === 'open');
  const p: string[] = [];
  if (firstOpen < 0) return [`no open after the fault: ${trail(after(rig))}`];
  const closes = es.slice(0, firstOpen).filter((e) => e.kind === 'close');
  if (closes.length !== 1) p.push(`expected one close before the reconnect, got ${closes.length}: ${trail(after(rig))}`);
  const c = closes[0];
  if (c && close.by !== undefined && c.by !== close.by) p.push(`close by ${c.by}, expected ${close.by}`);
  if (c && close.code !== undefined && c.code !== close.code) p.push(`close code ${c.code}, expected ${close.code}`);
  if (es.slice(firstOpen + 1).some((e) => e.kind === 'close')) p.push(`the link went down again after the reconnect: ${trail(after(rig))}`);
  return p;
}

/** After the fault: the link went down once and was not retried. */
function staysDown(rig: Rig, close: { by?: string; code?: number }, error: string): string[] {
  const es = after(rig);
  const p: string[] = [];
  if (!es.some((e) => e.kind === 'error' && e.code === error)) p.push(`no ${error} error: ${trail(es)}`);
  const closes = es.filter((e) => e.kind === 'close');
  if (closes.length !== 1) p.push(`expected one close, got ${closes.length}: ${trail(es)}`);
  else {
    if (close.by !== undefined && closes[0].by !== close.by) p.push(`close by ${closes[0].by}, expected ${close.by}`);
    if (close.code !== undefined && closes[0].code !== close.code) p.push(`close code ${closes[0].code}, expected ${close.code}`);
  }
  if (es.some((e) => e.kind === 'open')) p.push(`retried (an open after the fault): ${trail(es)}`);
  return p;
}

/** Nothing at all happened to the link after the fault. */
function quiet(rig: Rig, allowed: string[] = []): string[] {
  const es = after(rig).filter((e) => !(e.kind === 'error' && allowed.includes(String(e.code))));
  return es.length ? [`expected no event, got: ${trail(es)}`] : [];
}

/** Never connected; every error had code `code` and there was more than one attempt. */
function neverUp(rig: Rig, code: string): string[] {
  const es = after(rig);
  const p: string[] = [];
  if (es.some((e) => e.kind === 'open')) p.push(`connected: ${trail(es)}`);
  const errors = es.filter((e) => e.kind === 'error');
  const other = errors.filter((e) => e.code !== code && !REFUSED_SENDS.includes(String(e.code)));
  if (other.length) p.push(`errors other than ${code}: ${trail(other)}`);
  if (errors.filter((e) => e.code === code).length < 2) p.push(`expected repeated ${code} errors (retried by policy): ${trail(es)}`);
  return p;
}

// ── common steps ───────────────────────────────────────────────────────

/** Back end, proxy and client up; the link steady; the client's idle memory noted; mark 'fault'. */
async function begin(rig: Rig): Promise<void> {
  await rig.startServer(0);
  await rig.proxy.listen(0);
  await rig.startAgent();
  await rig.steady();
  await rig.noteIdle();
  rig.mark('fault');
}

/** A client that cannot connect at all (bad certificate, no name): started, watched for a few seconds. */
async function neverConnects(rig: Rig, o: RunOptions): Promise<Record<string, number>> {
  await rig.startServer(0);
  rig.mark('fault');
  await rig.startAgent();
  await rig.noteIdle();
  await rig.sleep(o.short ? 2_000 : 4_000);
  return {};
}

/** Waits for the client's next open after `mark` (bounded), then a little steady traffic. */
async function recover(rig: Rig, mark: string, timeoutMs = 20_000): Promise<void> {
  const open = await rig.nextEvent('open', rig.marks.get(mark) ?? 0, timeoutMs);
  if (open) await rig.until(() => rig.ups.filter((u) => u.instance === rig.instance && u.at > open.at).length >= 3, 2_000);
}

/** A fault the client must come back from at once: inject it in steady state, expect one close (`close`) and a reconnect. */
function reconnecting(id: string, title: string, protos: Proto[], inject: (rig: Rig) => void, close: { by: string; code?: number }): Scenario {
  return {
    id,
    title,
    protos,
    async run(rig) {
      await begin(rig);
      inject(rig);
      await recover(rig, 'fault');
      return {};
    },
    expect: (rig, v) => [...reconnected(rig, close), ...accounted(v)],
  };
}

// ── the faults ─────────────────────────────────────────────────────────

export const SCENARIOS: Scenario[] = [
  {
    id: 'server-restart',
    title: 'server killed (SIGKILL) and restarted after 1 s',
    protos: ['ws', 'sio'],
    async run(rig) {
      await begin(rig);
      await rig.killServer();
      await rig.sleep(1_000);
      await rig.startServer();
      rig.mark('release');
      await recover(rig, 'release');
      return {};
    },
    expect: (rig, v) => [...reconnected(rig, { by: 'fault' }), ...accounted(v)],
  },
  reconnecting('cut-fin', 'link cut with FIN', ['ws', 'sio'], (rig) => rig.proxy.cutFin(), { by: 'fault' }),
  // Short tier on WebSocket: whatever was in flight at the cut is reported by the delivery ledger.
  { ...reconnecting('cut-rst', 'link cut with RST', ['ws', 'sio'], (rig) => rig.proxy.cutRst(), { by: 'fault' }), short: ['ws'] },
  {
    id: 'half-open',
    title: 'half-open link (blackhole both ways) until noticed',
    protos: ['ws', 'sio'],
    async run(rig, o) {
      await begin(rig);
      rig.proxy.blackhole();
      // Socket.IO notices by the server's ping (25 s + 20 s by default); WebSocket by the heartbeat.
      const close = await rig.nextEvent('close', rig.marks.get('fault')!, o.proto === 'sio' ? 60_000 : 15_000);
      if (close) rig.marks.set('detected', close.at);
      rig.mark('release');
      rig.proxy.release();
      await recover(rig, 'release');
      return {};
    },
    expect: (rig, v) => [...reconnected(rig, { by: 'fault' }), ...accounted(v)],
  },
  {
    id: 'handshake-stall',
    title: 'link cut, then every handshake stalled for 10 s',
    protos: ['ws', 'sio'],
    async run(rig, o) {
      await begin(rig);
      rig.proxy.stall();
      rig.proxy.cutRst();
      await rig.sleep(o.short ? 3_000 : 10_000);
      rig.mark('release');
      rig.proxy.release();
      await recover(rig, 'release');
      return {};
    },
    expect: (rig, v) => [...reconnected(rig, { by: 'fault' }), ...accounted(v)],
  },
  {
    id: 'no-server',
    title: 'no server for the first 5 s (connection refused)',
    protos: ['ws', 'sio'],
    async run(rig, o) {
      await rig.startServer(0);
      await rig.proxy.listen(0);
      await rig.proxy.refuse();
      rig.mark('fault');
      await rig.startAgent();
      await rig.sleep(o.short ? 2_000 : 5_000);
      await rig.proxy.accept();
      rig.mark('release');
      await recover(rig, 'release');
      await rig.noteIdle();
      return {};
    },
    expect(rig, v) {
      const es = after(rig);
      const p: string[] = [];
      const open = es.findIndex((e) => e.kind === 'open');
      if (open < 0) p.push(`never connected: ${trail(es)}`);
      if (es.slice(0, open).some((e) => e.kind === 'error' && !['refused', ...REFUSED_SENDS].includes(String(e.code)))) {
        p.push(`errors other than refused before the open: ${trail(es)}`);
      }
      if (es.slice(open + 1).some((e) => e.kind === 'close')) p.push(`went down after the open: ${trail(es)}`);
      return [...p, ...accounted(v)];
    },
  },
  {
    id: 'flood',
    title: 'flood: 50,000 frames in one go (5,000 in the short tier)',
    protos: ['ws', 'sio'],
    // In fixed mode a tick comes every 16.7 ms whatever arrives: the case where backpressure matters.
    short: true,
    shortMode: 'fixed',
    rig: () => ({ direct: true }),
    async run(rig, o) {
      await begin(rig);
      const n = o.short ? 5_000 : 50_000;
      const before = (await rig.serverCounts()).echoes;
      const t = performance.now();
      rig.toServer({ type: 'flood', n });
      // Done when every frame came back, or when echoes stopped coming for 3 s (some were dropped); at most a minute.
      let last = -1;
      let still = 0;
      while (!rig.floodResult && still < 3 && performance.now() - t < 60_000) {
        await rig.sleep(1_000);
        const e = (await rig.serverCounts()).echoes;
        still = e === last ? still + 1 : 0;
        last = e;
      }
      const echoed = rig.floodResult ? n : (await rig.serverCounts()).echoes - before;
      const stats = await rig.agentStats();
      return {
        frames: n,
        echoed: Math.min(n, echoed),
        floodMs: Math.round(rig.floodResult?.ms ?? performance.now() - t),
        refused: stats.refusedReported,
        uncounted: stats.uncountedErrors,
      };
    },
    expect(rig, v) {
      const p = quiet(rig);
      if (v.extra.echoed !== v.extra.frames) p.push(`${v.extra.echoed} of ${v.extra.frames} frames echoed`);
      if (Number(v.extra.uncounted) > 0) p.push(`${v.extra.uncounted} drops reported without a count`);
      return [...p, ...accounted(v)];
    },
  },
  {
    id: 'delay',
    title: '+1 s delay both ways for 6 s (no false alarm)',
    protos: ['ws', 'sio'],
    async run(rig, o) {
      await begin(rig);
      rig.proxy.delay(1_000);
      await rig.sleep(o.short ? 3_000 : 6_000);
      rig.mark('release');
      rig.proxy.release();
      await rig.sleep(1_500);
      return {};
    },
    expect: (rig, v) => [...quiet(rig), ...accounted(v)],
  },
  ...[1001, 1011, 4001].map((code) =>
    reconnecting(`close-${code}`, `server closes with ${code}`, ['ws'], (rig) => rig.toServer({ type: 'close', code, reason: `fault ${code}` }), { by: 'server', code }),
  ),
  reconnecting('sio-transport-close', 'server closes the link under Socket.IO', ['sio'], (rig) => rig.toServer({ type: 'sio-end', how: 'transport' }), { by: 'fault' }),
  {
    id: 'sio-server-disconnect',
    title: 'server disconnects the Socket.IO client (not retried)',
    protos: ['sio'],
    async run(rig) {
      await begin(rig);
      rig.toServer({ type: 'sio-end', how: 'disconnect' });
      await rig.sleep(2_000);
      return {};
    },
    expect(rig, v) {
      const es = after(rig);
      const p: string[] = [];
      const closes = es.filter((e) => e.kind === 'close');
      if (closes.length !== 1 || closes[0].by !== 'server') p.push(`expected one close by the server: ${trail(es)}`);
      if (es.some((e) => e.kind === 'open')) p.push(`reconnected after a server disconnect: ${trail(es)}`);
      return [...p, ...accounted(v)];
    },
  },
  {
    id: 'oversize',
    title: 'oversized frame (2 MiB, over maxMessageBytes)',
    protos: ['ws', 'sio'],
    short: true,
    async run(rig, o) {
      await begin(rig);
      rig.toServer({ type: 'oversize', bytes: 2 << 20 });
      await rig.until(() => after(rig).some((e) => e.code === 'message_too_big'), 10_000);
      // Long enough for a retry to show: the reconnect policy's first delay is 500 ms ± 20 %.
      await rig.sleep(o.short ? 1_000 : 3_000);
      return {};
    },
    // WebSocket: closed with 1009 and not retried. Socket.IO: the event is dropped and reported, the link stays.
    expect: (rig, v, o) =>
      o.proto === 'ws'
        ? [...staysDown(rig, { by: 'fault', code: 1009 }, 'message_too_big'), ...accounted(v)]
        : [...quiet(rig, ['message_too_big']), ...(after(rig).some((e) => e.code === 'message_too_big') ? [] : ['no message_too_big error']), ...accounted(v)],
  },
  { ...reconnecting('bad-utf8', 'invalid UTF-8 in a text frame', ['ws', 'sio'], (rig) => rig.toServer({ type: 'bad-utf8' }), { by: 'fault' }), short: true },
  {
    id: 'tls-untrusted',
    title: 'TLS certificate that does not verify',
    protos: ['ws', 'sio'],
    async rig() {
      const { selfSignedCert } = await import('../helpers/certs.ts');
      const cert = selfSignedCert('IP:127.0.0.1');
      if (!cert) throw new Error('openssl is needed to make the test certificate');
      const { writeFileSync } = await import('node:fs');
      const key = `${cert.certPath}.key`;
      writeFileSync(key, cert.key);
      return { direct: true, tls: { key, cert: cert.certPath } };
    },
    run: neverConnects,
    expect: (rig, v) => [...neverUp(rig, 'tls'), ...accounted(v)],
  },
  {
    id: 'dns',
    title: 'host name that does not resolve',
    protos: ['ws', 'sio'],
    // A label over 63 characters: the resolver refuses the name on this machine, no query leaves it.
    rig: (proto) => ({ url: `${proto === 'ws' ? 'ws' : 'http'}://${'x'.repeat(64)}.invalid:9` }),
    run: neverConnects,
    expect: (rig, v) => [...neverUp(rig, 'dns'), ...accounted(v)],
  },
  {
    id: 'client-restart',
    title: "the client's process killed (SIGKILL) and restarted",
    protos: ['ws', 'sio'],
    async run(rig) {
      await begin(rig);
      const gone = rig.backEnd.gone;
      await rig.killAgent();
      await rig.waitFor('the back end to see the client gone', () => rig.backEnd.gone > gone, 10_000);
      await rig.startAgent();
      rig.mark('release');
      await recover(rig, 'release');
      return {};
    },
    expect(rig, v) {
      // The project's own start logic again: connected, and the ups start over from the initial value of n.
      const p: string[] = [];
      const es = rig.events();
      if (es[0]?.kind !== 'open') p.push(`the restarted client did not start by connecting: ${trail(es)}`);
      const first = rig.ups.find((u) => u.instance === rig.instance);
      if (first?.n !== 1) p.push(`the restarted client's first up is ${first?.n}, expected 1 (n's initial value + 1)`);
      return [...p, ...accounted(v)];
    },
  },
];
