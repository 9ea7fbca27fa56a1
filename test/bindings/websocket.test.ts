// The Node WebSocket transport against real loopback servers: `ws` servers
// (and raw TCP servers for a peer that never upgrades) on 127.0.0.1 port 0,
// one per test, closed in afterEach. The transport is driven as the host loop
// would: handle() for commands, advance() with a clock of real elapsed ms.

import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { createWebSocketTransport } from '../../bindings/node/websocket.ts';
import type { Transport } from '../../bindings/types.ts';
import type { ConnectionEntry } from '../../runtime/schedule/schedule.ts';
import type { Value } from '../../runtime/values.ts';
import { CollectingSink } from '../helpers/sink.ts';
import { pumpFor, pumpUntil, waitFor, clockFor } from '../helpers/pump.ts';
import { selfSignedCert } from '../helpers/certs.ts';
import { closedPort, listenTcp, listenWs, type TcpTestServer, type WsTestServer } from '../helpers/servers.ts';

/** Small timings so the whole file stays fast. */
const FAST: { [key: string]: Value } = {
  handshakeTimeoutMs: 300,
  heartbeat: { intervalMs: 0, timeoutMs: 100 },
  reconnect: { initialDelayMs: 20, maxDelayMs: 50, factor: 2, jitter: 0, maxAttempts: 5 },
};
const NO_RECONNECT = { ...FAST, reconnect: { enabled: false } };

interface Rig {
  t: Transport;
  sink: CollectingSink;
  warnings: string[];
}

let rigs: Rig[] = [];
let servers: Array<WsTestServer | TcpTestServer> = [];

function rig(url: string, options: { [key: string]: Value } = FAST, env: Record<string, string> = {}): Rig {
  const sink = new CollectingSink();
  const warnings: string[] = [];
  const connections: ConnectionEntry[] = [
    { kind: 'sio', name: 'Other', url: 'http://127.0.0.1:1', options: {} }, // index 0 belongs to another family
    { kind: 'ws', name: 'Telemetry', url, options },
  ];
  const t = createWebSocketTransport({ connections, sink, log: { warn: (s) => warnings.push(s) }, env, seed: 7 });
  clockFor(t);
  const r = { t, sink, warnings };
  rigs.push(r);
  return r;
}
const C = 1; // the connection index of 'Telemetry'

async function ws(...args: Parameters<typeof listenWs>): Promise<WsTestServer> {
  const s = await listenWs(...args);
  servers.push(s);
  return s;
}

/** Collects what a server-side socket receives: text as string, binary as hex with a `bin:` prefix. */
function received(s: WsTestServer): string[] {
  const got: string[] = [];
  s.wss.on('connection', (c) => c.on('message', (d, isBinary) => got.push(isBinary ? `bin:${(d as Buffer).toString('hex')}` : d.toString())));
  return got;
}

const has = (kind: string, n = 1) => (evs: readonly { kind: string }[]) => evs.filter((e) => e.kind === kind).length >= n;

afterEach(async () => {
  await Promise.all(rigs.map((r) => r.t.close()));
  await Promise.all(servers.map((s) => s.close()));
  rigs = [];
  servers = [];
});

describe('bindings/node/websocket', () => {
  describe('open and receive', () => {
    it('posts ws.open only after the server accepted the upgrade', async () => {
      const s = await ws();
      const { t, sink } = rig(s.url);
      let seenAtOpen = -1;
      sink.onPost = (ev) => {
        if (ev.kind === 'ws.open') seenAtOpen = s.clients.length;
      };
      t.handle({ kind: 'ws.start', conn: C });
      assert.deepEqual(sink.events, [], 'nothing is posted synchronously by Start');
      await pumpUntil(t, sink, has('ws.open'));
      assert.equal(seenAtOpen, 1);
      assert.deepEqual(sink.events, [{ kind: 'ws.open', conn: C }]);
    });

    it('delivers text as a string and binary as a fresh Uint8Array with the right bytes', async () => {
      const s = await ws();
      s.wss.on('connection', (c) => {
        c.send('héllo');
        c.send(Buffer.from('00ff10', 'hex'));
      });
      const { t, sink } = rig(s.url);
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.message', 2));
      const [text, bin] = sink.of('ws.message');
      assert.equal(text.data, 'héllo');
      assert.ok(bin.data instanceof Uint8Array && !Buffer.isBuffer(bin.data), 'a plain Uint8Array, not a Buffer');
      assert.deepEqual([...(bin.data as Uint8Array)], [0x00, 0xff, 0x10]);
      assert.equal((bin.data as Uint8Array).buffer.byteLength, 3, 'its own buffer, not a view into a pooled slab');
    });

    it('sends text as text frames and bytes as binary frames', async () => {
      const s = await ws();
      const got = received(s);
      const { t, sink } = rig(s.url);
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.open'));
      t.handle({ kind: 'ws.send', conn: C, data: 'speed=42' });
      t.handle({ kind: 'ws.send', conn: C, data: new Uint8Array([1, 2, 3]) });
      await waitFor('two messages at the server', () => got.length === 2);
      assert.deepEqual(got, ['speed=42', 'bin:010203']);
    });

    it('posts events in arrival order', async () => {
      const s = await ws();
      s.wss.on('connection', (c) => {
        for (let i = 0; i < 20; i++) c.send(i % 3 === 0 ? Buffer.from([i]) : `m${i}`);
        c.close(1000, 'done');
      });
      const { t, sink } = rig(s.url, NO_RECONNECT);
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.close'));
      const expected = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? `b${i}` : `m${i}`));
      const seen = sink.of('ws.message').map((m) => (typeof m.data === 'string' ? m.data : `b${m.data[0]}`));
      assert.deepEqual(seen, expected);
      assert.deepEqual(sink.trail(), ['ws.open', ...expected.map(() => 'ws.message'), 'ws.close']);
    });
  });

  describe('close', () => {
    it('a server close posts ws.close once, by server, with its code and reason', async () => {
      const s = await ws();
      s.wss.on('connection', (c) => c.close(4001, 'maintenance'));
      const { t, sink } = rig(s.url, NO_RECONNECT);
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.close'));
      await pumpFor(t, 100);
      assert.deepEqual(sink.events, [
        { kind: 'ws.open', conn: C },
        { kind: 'ws.close', conn: C, code: 4001, reason: 'maintenance', by: 'server' },
      ]);
    });

    it('stop posts ws.close by client exactly once and the server sees a clean close', async () => {
      const s = await ws();
      let serverClose: number | undefined;
      s.wss.on('connection', (c) => c.on('close', (code) => (serverClose = code)));
      const { t, sink } = rig(s.url);
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.open'));
      t.handle({ kind: 'ws.stop', conn: C });
      t.handle({ kind: 'ws.stop', conn: C }); // closing → no-op
      await pumpUntil(t, sink, has('ws.close'));
      await pumpFor(t, 100);
      assert.deepEqual(sink.of('ws.close'), [{ kind: 'ws.close', conn: C, code: 1000, reason: '', by: 'client' }]);
      await waitFor('the server saw the close', () => serverClose !== undefined);
      assert.equal(serverClose, 1000);
      assert.equal(s.clients.length, 1, 'no reconnect after a Stop');
    });

    it('stop while connecting posts ws.close by client once and makes no further attempt', async () => {
      const tcp = await listenTcp(); // accepts, never upgrades
      servers.push(tcp);
      const { t, sink } = rig(`ws://127.0.0.1:${tcp.port}`);
      t.handle({ kind: 'ws.start', conn: C });
      await waitFor('the TCP accept', () => tcp.sockets.length === 1);
      t.handle({ kind: 'ws.stop', conn: C });
      await pumpFor(t, 400); // past the handshake timeout
      assert.deepEqual(sink.trail(), ['ws.close']);
      assert.equal(sink.of('ws.close')[0].by, 'client');
      assert.equal(tcp.sockets.length, 1);
    });

    it('close() terminates sockets, leaves no handles behind and ignores later commands', async () => {
      const s = await ws();
      let serverSawClose = false;
      s.wss.on('connection', (c) => c.on('close', () => (serverSawClose = true)));
      const count = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length;
      const before = count();
      const { t, sink } = rig(s.url, { ...FAST, heartbeat: { intervalMs: 20, timeoutMs: 1000 } });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.open'));
      await t.close();
      await waitFor('the server saw the disconnect', () => serverSawClose);
      await new Promise((r) => setImmediate(r));
      assert.ok(count() <= before, `handles before ${before}, after ${count()}: ${process.getActiveResourcesInfo().join(', ')}`);
      assert.equal(t.nextDeadline(), undefined);
      t.handle({ kind: 'ws.start', conn: C });
      t.handle({ kind: 'ws.send', conn: C, data: 'x' });
      await pumpFor(t, 50);
      assert.deepEqual(sink.trail(), ['ws.open']);
      assert.equal(s.clients.length, 1);
    });
  });

  describe('failures', () => {
    it('a refused connection posts ws.error refused, then ws.close by fault, and never throws', async () => {
      const port = await closedPort();
      const { t, sink } = rig(`ws://127.0.0.1:${port}`, NO_RECONNECT);
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.close'));
      assert.deepEqual(sink.trail(), ['ws.error:refused', 'ws.close']);
      assert.equal(sink.of('ws.error')[0].message, `Telemetry: connection refused by 127.0.0.1:${port}`);
      assert.equal(sink.of('ws.close')[0].by, 'fault');
    });

    it('retries by policy and gives up after maxAttempts with gave_up, posting ws.close once', async () => {
      const port = await closedPort();
      const { t, sink } = rig(`ws://127.0.0.1:${port}`, { ...FAST, reconnect: { initialDelayMs: 10, jitter: 0, maxAttempts: 3 } });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.close'));
      await pumpFor(t, 100);
      assert.deepEqual(sink.trail(), ['ws.error:refused', 'ws.error:refused', 'ws.error:refused', 'ws.error:gave_up', 'ws.close']);
      assert.match(sink.of('ws.error')[3].message, /^Telemetry: gave up after 3 failed attempts/);
      assert.equal(t.nextDeadline(), undefined, 'nothing left armed');
    });

    it('a server that accepts TCP and never upgrades → handshake_timeout, then a retry', async () => {
      let closedByClient = 0;
      const tcp = await listenTcp((sock) => sock.on('close', () => closedByClient++));
      servers.push(tcp);
      const { t, sink } = rig(`ws://127.0.0.1:${tcp.port}`, { ...FAST, handshakeTimeoutMs: 100 });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.error'));
      const [e] = sink.of('ws.error');
      assert.equal(e.code, 'handshake_timeout');
      assert.match(e.message, /^Telemetry: 127\.0\.0\.1:\d+ did not complete the upgrade within 100 ms$/);
      await waitFor('the timed-out attempt to be closed', () => closedByClient >= 1);
      await pumpUntil(t, sink, () => tcp.sockets.length >= 2);
    });

    it('heartbeat: no pong → heartbeat_timeout, ws.close by fault naming the missing pong, then reconnect', async () => {
      const s = await ws({ autoPong: false });
      const { t, sink } = rig(s.url, { ...FAST, heartbeat: { intervalMs: 30, timeoutMs: 60 } });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.open', 2));
      assert.deepEqual(sink.trail().slice(0, 4), ['ws.open', 'ws.error:heartbeat_timeout', 'ws.close', 'ws.open']);
      const [close] = sink.of('ws.close');
      assert.equal(close.by, 'fault');
      assert.equal(close.reason, 'no pong within 60 ms');
      assert.equal(s.clients.length, 2);
    });

    it('heartbeat with answered pings keeps the connection', async () => {
      const s = await ws();
      const { t, sink } = rig(s.url, { ...FAST, heartbeat: { intervalMs: 20, timeoutMs: 60 } });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.open'));
      await pumpFor(t, 250);
      assert.deepEqual(sink.trail(), ['ws.open']);
    });

    it('reconnects after the server drops the connection: ws.close, then ws.open again', async () => {
      const s = await ws();
      s.wss.on('connection', (c) => {
        if (s.clients.length === 1) setTimeout(() => c.terminate(), 20);
      });
      const { t, sink } = rig(s.url);
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.open', 2));
      assert.deepEqual(sink.trail(), ['ws.open', 'ws.error:network', 'ws.close', 'ws.open']);
      assert.deepEqual(sink.of('ws.close')[0], { kind: 'ws.close', conn: C, code: 1006, reason: 'connection lost (no close frame)', by: 'fault' });
    });

    it('giving up after a drop posts gave_up but no second ws.close', async () => {
      const s = await ws();
      s.wss.on('connection', () => setTimeout(() => void s.close(), 20)); // the back end goes away for good
      const { t, sink } = rig(s.url, { ...FAST, reconnect: { initialDelayMs: 10, jitter: 0, maxAttempts: 2 } });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, (evs) => evs.some((e) => e.kind === 'ws.error' && e.code === 'gave_up'));
      await pumpFor(t, 100);
      assert.deepEqual(sink.trail(), ['ws.open', 'ws.error:network', 'ws.close', 'ws.error:refused', 'ws.error:refused', 'ws.error:gave_up']);
    });

    it('stop during the reconnect wait cancels it and owes no second ws.close', async () => {
      const s = await ws();
      s.wss.on('connection', (c) => c.close(1001, 'restart'));
      const { t, sink } = rig(s.url, { ...FAST, reconnect: { initialDelayMs: 200, jitter: 0 } });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.close'));
      t.handle({ kind: 'ws.stop', conn: C });
      await pumpFor(t, 300);
      assert.deepEqual(sink.trail(), ['ws.open', 'ws.close']);
      assert.equal(s.clients.length, 1);
    });

    it('start during the reconnect wait attempts at once', async () => {
      const port = await closedPort();
      const { t, sink } = rig(`ws://127.0.0.1:${port}`, { ...FAST, reconnect: { initialDelayMs: 10_000, jitter: 0 } });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.error'));
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.error', 2), { timeoutMs: 1_000 });
      assert.deepEqual(sink.trail(), ['ws.error:refused', 'ws.error:refused']);
    });

    it('start while closing connects again once the close completed', async () => {
      const s = await ws();
      const { t, sink } = rig(s.url);
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.open'));
      t.handle({ kind: 'ws.stop', conn: C });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.open', 2));
      assert.deepEqual(sink.trail(), ['ws.open', 'ws.close', 'ws.open']);
      assert.equal(sink.of('ws.close')[0].by, 'client');
    });

    it('401 on the upgrade → unauthorized, not retried', async () => {
      let upgrades = 0;
      const s = await ws({ verifyClient: (_info, cb) => (upgrades++, cb(false, 401)) });
      const { t, sink } = rig(s.url);
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.close'));
      await pumpFor(t, 150);
      assert.deepEqual(sink.trail(), ['ws.error:unauthorized', 'ws.close']);
      assert.match(sink.of('ws.error')[0].message, /HTTP 401/);
      assert.equal(upgrades, 1);
    });

    it('another HTTP status on the upgrade → http_status with the status, retried', async () => {
      let upgrades = 0;
      const s = await ws({ verifyClient: (_info, cb) => (upgrades++, cb(false, 503)) });
      const { t, sink } = rig(s.url, { ...FAST, reconnect: { initialDelayMs: 10, jitter: 0, maxAttempts: 2 } });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.close'));
      assert.deepEqual(sink.trail(), ['ws.error:http_status', 'ws.error:http_status', 'ws.error:gave_up', 'ws.close']);
      assert.match(sink.of('ws.error')[0].message, /HTTP 503/);
      assert.equal(upgrades, 2);
    });

    it('close code 1008 → close_policy, ws.close by server, not retried', async () => {
      const s = await ws();
      s.wss.on('connection', (c) => c.close(1008, 'bad client'));
      const { t, sink } = rig(s.url);
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.close'));
      await pumpFor(t, 150);
      assert.deepEqual(sink.trail(), ['ws.open', 'ws.error:close_policy', 'ws.close']);
      assert.deepEqual(sink.of('ws.close')[0], { kind: 'ws.close', conn: C, code: 1008, reason: 'bad client', by: 'server' });
      assert.equal(s.clients.length, 1);
    });

    it('an inbound message over maxMessageBytes → message_too_big, ws.close 1009 by fault, not retried', async () => {
      const s = await ws();
      s.wss.on('connection', (c) => c.send('x'.repeat(200)));
      const { t, sink } = rig(s.url, { ...FAST, maxMessageBytes: 100 });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.close'));
      await pumpFor(t, 150);
      assert.deepEqual(sink.trail(), ['ws.open', 'ws.error:message_too_big', 'ws.close']);
      assert.equal(sink.of('ws.close')[0].code, 1009);
      assert.equal(sink.of('ws.close')[0].by, 'fault');
      assert.equal(s.clients.length, 1);
    });
  });

  describe('send while not open', () => {
    it('reports not_started before any Start and not_open while connecting; nothing reaches the server', async () => {
      const s = await ws();
      const got = received(s);
      const { t, sink } = rig(s.url);
      t.handle({ kind: 'ws.send', conn: C, data: 'early' });
      t.handle({ kind: 'ws.start', conn: C });
      t.handle({ kind: 'ws.send', conn: C, data: 'too soon' });
      await pumpUntil(t, sink, has('ws.open'));
      await pumpFor(t, 50);
      assert.deepEqual(sink.trail(), ['ws.error:not_started', 'ws.error:not_open', 'ws.open']);
      assert.match(sink.of('ws.error')[1].message, /^Telemetry: message not sent/);
      assert.deepEqual(got, []);
    });

    it("sendWhileClosed 'queue' flushes in order on open and reports overflow with a count", async () => {
      const s = await ws();
      const got = received(s);
      const { t, sink } = rig(s.url, { ...FAST, sendWhileClosed: 'queue', offlineQueue: 3 });
      for (const m of ['a', 'b', 'c', 'd', 'e']) t.handle({ kind: 'ws.send', conn: C, data: m });
      assert.deepEqual(sink.trail(), ['ws.error:send_buffer_full', 'ws.error:send_buffer_full']);
      assert.match(sink.of('ws.error')[1].message, /2 dropped so far/);
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.open'));
      await waitFor('the queued messages', () => got.length === 3);
      assert.deepEqual(got, ['a', 'b', 'c']);
    });

    it('refuses sends above the high watermark with a running count', async () => {
      const s = await ws();
      s.wss.on('connection', (_c, req: IncomingMessage) => req.socket.pause()); // the server stops reading
      const { t, sink } = rig(s.url, { ...FAST, sendBuffer: { highWaterBytes: 1024, lowWaterBytes: 512 } });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.open'));
      const chunk = new Uint8Array(256 * 1024);
      for (let i = 0; i < 256 && sink.of('ws.error').length < 2; i++) t.handle({ kind: 'ws.send', conn: C, data: chunk });
      const errors = sink.of('ws.error');
      assert.deepEqual(errors.map((e) => e.code), ['send_buffer_full', 'send_buffer_full']);
      assert.match(errors[1].message, /over 1024 bytes \(sending resumes below 512\): message refused \(2 refused so far\)/);
      assert.notEqual(t.nextDeadline(), undefined, 'a drain check is armed');
    });
  });

  describe('credentials and TLS', () => {
    it('sends headers and the bearer token; no secret appears in any event', async () => {
      let headers: IncomingMessage['headers'] = {};
      const s = await ws();
      s.wss.on('connection', (c, req) => {
        headers = req.headers;
        c.close(4000, 'token s3cr3t-t0ken rejected'); // a server that echoes the secret
      });
      const env = { PW_TOKEN: 's3cr3t-t0ken', PW_KEY: 'k3y-value' };
      const { t, sink } = rig(s.url, { ...NO_RECONNECT, headers: { 'X-Board': 'b1', 'X-Key': { env: 'PW_KEY' } }, token: { env: 'PW_TOKEN' } }, env);
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.close'));
      assert.equal(headers['authorization'], 'Bearer s3cr3t-t0ken');
      assert.equal(headers['x-board'], 'b1');
      assert.equal(headers['x-key'], 'k3y-value');
      const text = JSON.stringify(sink.events);
      assert.ok(!text.includes('s3cr3t') && !text.includes('k3y-value'), text);
      assert.equal(sink.of('ws.close')[0].reason, 'token *** rejected');
    });

    it('a secret naming an unset environment variable → config error naming the variable, not retried', async () => {
      const s = await ws();
      const { t, sink } = rig(s.url, { ...FAST, token: { env: 'PW_MISSING' } });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpFor(t, 100);
      assert.deepEqual(sink.trail(), ['ws.error:config', 'ws.close']);
      assert.match(sink.of('ws.error')[0].message, /PW_MISSING/);
      assert.equal(s.clients.length, 0);
    });

    it('an unreadable CA file → tls error with the path', async () => {
      const { t, sink } = rig('wss://127.0.0.1:1', { ...NO_RECONNECT, tls: { ca: '/nonexistent/ca.pem' } });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.close'));
      assert.deepEqual(sink.trail(), ['ws.error:tls', 'ws.close']);
      assert.match(sink.of('ws.error')[0].message, /\/nonexistent\/ca\.pem/);
    });

  });

  describe('TLS', function () {
    const tlsCert = selfSignedCert('IP:127.0.0.1');
    before(function () {
      if (!tlsCert) this.skip(); // no openssl command to make a certificate
    });
    const wss = () => ws({}, tlsCert);

    it('fails closed on a certificate the system CAs do not trust', async () => {
      const s = await wss();
      const { t, sink } = rig(s.url, NO_RECONNECT);
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.close'));
      assert.deepEqual(sink.trail(), ['ws.error:tls', 'ws.close']);
      assert.match(sink.of('ws.error')[0].message, /^Telemetry: TLS handshake with 127\.0\.0\.1:\d+ failed: /);
      assert.equal(s.clients.length, 0);
    });

    it('opens with the CA file of the connection', async () => {
      const s = await wss();
      const { t, sink } = rig(s.url, { ...NO_RECONNECT, tls: { ca: tlsCert!.certPath } });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.open'));
      assert.deepEqual(sink.trail(), ['ws.open']);
    });

    it('checks the host name against the certificate', async () => {
      const s = await wss();
      const { t, sink } = rig(`wss://localhost:${s.port}`, { ...NO_RECONNECT, tls: { ca: tlsCert!.certPath } });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.close'));
      assert.deepEqual(sink.trail(), ['ws.error:tls', 'ws.close']);
      assert.match(sink.of('ws.error')[0].message, /localhost/);
    });

    it('verify: false opens anyway and is logged once per connection', async () => {
      const s = await wss();
      s.wss.on('connection', (c) => c.close(4000, 'again'));
      const { t, sink, warnings } = rig(s.url, { ...FAST, tls: { verify: false } });
      t.handle({ kind: 'ws.start', conn: C });
      await pumpUntil(t, sink, has('ws.open', 2));
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /^Telemetry: TLS certificate verification is off/);
    });
  });
});
