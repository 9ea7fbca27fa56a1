// A hostile back end against `pulsewire run`, on every target: one bad
// Engine.IO packet on the Socket.IO port ends in an On Socket.IO Error and
// a clean exit (never a stack trace), and an auth value a server echoes in
// its refusal reaches neither stdout, stderr nor the recorded trace.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TARGETS } from '../../targets/runtime.ts';
import { runCli } from '../helpers/cli-async.ts';
import { project } from '../helpers/project.ts';
import { listenHostile, type HostileServer } from '../helpers/hostile-servers.ts';
import { listenSio, type SioTestServer } from '../helpers/sio-servers.ts';

const cfg = { Configuration: 'Vehicle' };

/** Boot → Socket.IO Start; every On Socket.IO Error prints its code and message, every Stop its reason. */
function errorPrinter(connection: object): object {
  return project({
    settings: { socketIOConnections: [{ Name: 'Vehicle', URL: 'http://127.0.0.1', Port: 1, reconnect: { enabled: false }, ...connection }] },
    nodes: [
      { id: 'boot', type: 'On Scene Loaded' },
      { id: 'start', type: 'Socket.IO Start', attributes: cfg },
      { id: 'onError', type: 'On Socket.IO Error', attributes: cfg },
      { id: 'text', type: 'Format', attributes: { 'Input Count': 2 }, inputs: { Format: 'error {0}: {1}' } },
      { id: 'say', type: 'Console' },
      { id: 'onStop', type: 'On Socket.IO Stop', attributes: cfg },
      { id: 'stopText', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: 'stop {0}' } },
      { id: 'sayStop', type: 'Console' },
    ],
    links: [
      ['boot', '►', 'start', '►'],
      ['onError', '►', 'say', '►'], ['onError', 'Code', 'text', 'Input 0'], ['onError', 'Message', 'text', 'Input 1'], ['text', 'Output', 'say', 'Input'],
      ['onStop', '►', 'sayStop', '►'], ['onStop', 'Reason', 'stopText', 'Input 0'], ['stopText', 'Output', 'sayStop', 'Input'],
    ],
  });
}

describe('a hostile back end against pulsewire run', function () {
  this.timeout(60_000);
  let dir: string;
  const servers: Array<HostileServer | SioTestServer> = [];
  before(() => (dir = mkdtempSync(join(tmpdir(), 'pulsewire-hostile-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  for (const target of TARGETS) {
    it(`one Engine.IO open packet without upgrades is an On Socket.IO Error on ${target}, and the run ends cleanly`, async () => {
      const s = await listenHostile((conn) => conn.send('0{"sid":"a"}'));
      servers.push(s);
      const file = join(dir, `engine-${target}.json`);
      writeFileSync(file, JSON.stringify(errorPrinter({})));
      // Tick 0 starts the connection; the error and the close it causes are posted together, for tick 1.
      const r = await runCli(['run', file, '--target', target, '--mode', 'on-demand', '--ticks', '2', '--connect', `Vehicle=${s.url}`]);
      assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /\[info\] error protocol: Socket\.IO connection "Vehicle", namespace "\/": 127\.0\.0\.1:\d+ broke the Engine\.IO protocol/);
      assert.match(r.stdout, /\[info\] stop .*protocol/);
      assert.doesNotMatch(r.stdout + r.stderr, /TypeError|    at /, 'no exception, no stack trace');
    });

    it(`a literal auth password the server echoes is on neither stdout, stderr nor the trace on ${target}`, async () => {
      const s = await listenSio();
      servers.push(s);
      s.io.use((sock, next) => next(new Error(`bad password ${String((sock.handshake.auth as { password?: string }).password)}`)));
      const file = join(dir, `auth-${target}.json`);
      const trace = join(dir, `auth-${target}.jsonl`);
      writeFileSync(file, JSON.stringify(errorPrinter({ auth: { password: 'hunter2-secret' } })));
      const r = await runCli(['run', file, '--target', target, '--mode', 'on-demand', '--ticks', '2', '--verbose', '--record', trace, '--connect', `Vehicle=${s.url}`]);
      assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /error namespace_refused: .*bad password \*\*\*/, 'the refusal reached the graph, masked');
      const recorded = readFileSync(trace, 'utf8');
      assert.match(recorded, /bad password \*\*\*/);
      for (const [where, text] of [['stdout', r.stdout], ['stderr', r.stderr], ['the trace', recorded]]) {
        assert.ok(!text.includes('hunter2-secret'), `the password leaked on ${where}`);
      }
    });
  }
});
