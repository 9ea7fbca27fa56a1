// The WebSocket nodes end to end: a project compiled, run on each target,
// talking to a real `ws` server on 127.0.0.1. The same expectations hold on
// every target (one suite, parameterised).

import { strict as assert } from 'node:assert';
import { TARGETS } from '../../targets/runtime.ts';
import { project } from '../helpers/project.ts';
import { live, type LiveRun } from '../helpers/live.ts';
import { listenWs, listenTcp, closedPort, type WsTestServer, type TcpTestServer } from '../helpers/servers.ts';

const WS = (options: object = {}) => ({
  webSocketConnections: [{ Name: 'Link', URL: 'ws://127.0.0.1', Port: 1, reconnect: { enabled: false }, ...options }],
});
const cfg = { Configuration: 'Link' };

/** On Scene Loaded → Start; each event node → a Console line that shows its payload. */
function linkProject(settings: object, extra: { nodes?: object[]; links?: [string, string, string, string][] } = {}) {
  return project({
    settings,
    nodes: [
      { id: 'boot', type: 'On Scene Loaded' },
      { id: 'start', type: 'WebSocket Client Start', attributes: cfg },
      { id: 'onStart', type: 'On WebSocket Start', attributes: cfg },
      { id: 'sayUp', type: 'Console', inputs: { Input: 'up' } },
      { id: 'onStop', type: 'On WebSocket Stop', attributes: cfg },
      { id: 'stopText', type: 'Format', attributes: { 'Input Count': 2 }, inputs: { Format: 'stop {0} {1}' } },
      { id: 'sayStop', type: 'Console' },
      { id: 'onError', type: 'On WebSocket Error', attributes: cfg },
      { id: 'errorText', type: 'Format', attributes: { 'Input Count': 2 }, inputs: { Format: 'error {0}: {1}' } },
      { id: 'sayError', type: 'Console' },
      ...((extra.nodes ?? []) as never[]),
    ],
    links: [
      ['boot', '►', 'start', '►'],
      ['onStart', '►', 'sayUp', '►'],
      ['onStop', '►', 'sayStop', '►'], ['onStop', 'Code', 'stopText', 'Input 0'], ['onStop', 'Reason', 'stopText', 'Input 1'],
      ['stopText', 'Output', 'sayStop', 'Input'],
      ['onError', '►', 'sayError', '►'], ['onError', 'Code', 'errorText', 'Input 0'], ['onError', 'Message', 'errorText', 'Input 1'],
      ['errorText', 'Output', 'sayError', 'Input'],
      ...(extra.links ?? []),
    ],
  });
}

for (const target of TARGETS) {
  describe(`WebSocket nodes on a real server [${target}]`, () => {
    let server: WsTestServer | undefined;
    let tcp: TcpTestServer | undefined;
    let run: LiveRun | undefined;
    afterEach(async () => {
      await run?.stop();
      await server?.close();
      await tcp?.close();
      run = server = tcp = undefined;
    });
    const lines = () => run!.console();
    const count = (prefix: string) => lines().filter((l) => l.startsWith(prefix)).length;

    it('fires On WebSocket Start only after the server accepted the connection', async () => {
      server = await listenWs();
      let acceptedWhenUp: number | undefined;
      run = await live(linkProject(WS()), { target, connect: { Link: server.url } });
      await run.until('up', () => {
        if (acceptedWhenUp === undefined && lines().includes('up')) acceptedWhenUp = server!.clients.length;
        return acceptedWhenUp !== undefined;
      });
      assert.equal(acceptedWhenUp, 1);
    });

    it('receives text and binary messages, each as the listener asks', async () => {
      server = await listenWs();
      server.wss.on('connection', (ws) => {
        ws.send('héllo');
        ws.send(Uint8Array.from([1, 2, 255]));
        ws.send('done');
      });
      const p = linkProject(WS(), {
        nodes: [
          { id: 'onText', type: 'On WebSocket Receive', attributes: cfg },
          { id: 'textLine', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: 'text {0}' } },
          { id: 'sayText', type: 'Console' },
          { id: 'onBytes', type: 'On WebSocket Receive', attributes: { ...cfg, 'Is Binary': true } },
          { id: 'bytesLine', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: 'bytes {0}' } },
          { id: 'sayBytes', type: 'Console' },
        ],
        links: [
          ['onText', '►', 'sayText', '►'], ['onText', 'Message', 'textLine', 'Input 0'], ['textLine', 'Output', 'sayText', 'Input'],
          ['onBytes', '►', 'sayBytes', '►'], ['onBytes', 'Message', 'bytesLine', 'Input 0'], ['bytesLine', 'Output', 'sayBytes', 'Input'],
        ],
      });
      run = await live(p, { target, connect: { Link: server.url } });
      await run.until('three messages', () => lines().includes('text done'));
      const got = lines().filter((l) => l.startsWith('text') || l.startsWith('bytes'));
      assert.deepEqual(got, [
        'text héllo', 'bytes 68c3a96c6c6f', // one event, both listeners, in node order
        'text \u0001\u0002\ufffd', 'bytes 0102ff',
        'text done', 'bytes 646f6e65',
      ]);
    });

    it('fires On WebSocket Stop once when the server closes, with the code and who closed it', async () => {
      server = await listenWs();
      server.wss.on('connection', (ws) => setTimeout(() => ws.close(1001, 'maintenance'), 20));
      run = await live(linkProject(WS()), { target, connect: { Link: server.url } });
      await run.until('stop', () => count('stop') > 0);
      await run.settle(200);
      assert.deepEqual(lines().filter((l) => l.startsWith('stop')), ['stop 1001 closed by the server: maintenance']);
      assert.equal(count('up'), 1);
    });

    it('a refused connection fires On WebSocket Error with a message, and nothing is thrown', async () => {
      const port = await closedPort();
      run = await live(linkProject(WS()), { target, connect: { Link: `ws://127.0.0.1:${port}` } });
      await run.until('error', () => count('error') > 0 && count('stop') > 0);
      const err = lines().find((l) => l.startsWith('error'))!;
      assert.match(err, /^error refused: .*refused/);
      assert.match(err, new RegExp(String(port)));
      assert.equal(count('up'), 0);
    });

    it('Send before Start is reported as an error, and nothing reaches the server', async () => {
      server = await listenWs();
      const received: string[] = [];
      server.wss.on('connection', (ws) => ws.on('message', (m) => received.push(String(m))));
      const p = project({
        settings: WS(),
        nodes: [
          { id: 'boot', type: 'On Scene Loaded' },
          { id: 'send', type: 'WebSocket Client Send', attributes: cfg, inputs: { Message: 'too early' } },
          { id: 'onError', type: 'On WebSocket Error', attributes: cfg },
          { id: 'say', type: 'Console' },
        ],
        links: [['boot', '►', 'send', '►'], ['onError', '►', 'say', '►'], ['onError', 'Code', 'say', 'Input']],
      });
      run = await live(p, { target, connect: { Link: server.url } });
      await run.until('error', () => lines().length > 0);
      assert.deepEqual(lines(), ['not_started']);
      await run.settle(100);
      assert.deepEqual(received, []);
    });

    it('a server that accepts TCP but never upgrades gives a handshake timeout, then a retry by the policy', async () => {
      tcp = await listenTcp();
      const settings = WS({ handshakeTimeoutMs: 300, reconnect: { enabled: true, initialDelayMs: 50, maxDelayMs: 50, maxAttempts: 2 } });
      run = await live(linkProject(settings), { target, connect: { Link: `ws://127.0.0.1:${tcp.port}` } });
      await run.until('two timeouts', () => lines().filter((l) => l.startsWith('error handshake_timeout')).length >= 2, 10_000);
      assert.ok(tcp.sockets.length >= 2, `the policy retried: ${tcp.sockets.length} connections`);
    });

    it('a server that stops answering pings is detected, and On WebSocket Stop says why', async () => {
      server = await listenWs({ autoPong: false });
      const settings = WS({ heartbeat: { intervalMs: 100, timeoutMs: 200 } });
      run = await live(linkProject(settings), { target, connect: { Link: server.url } });
      await run.until('stop', () => count('stop') > 0, 10_000);
      assert.equal(count('up'), 1);
      assert.match(lines().find((l) => l.startsWith('stop'))!, /^stop 1006 connection lost: .*pong/);
      assert.ok(lines().some((l) => l.startsWith('error heartbeat_timeout')));
    });
  });
}
