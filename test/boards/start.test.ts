// A board folder runs by itself: built, copied somewhere else (away from the
// repository and its node_modules), started with its start script and
// pointed at a telemetry back end on 127.0.0.1 — for each engine, on this
// machine's Node and on the arm64 stand-in (Debian's arm64 Node.js 18 under
// qemu-user).

import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTelemetryServer, type TelemetryServer } from '../../examples/telemetry/backend.ts';
import { arm64StandIn, cli, DEMO, runStart, type Ran } from './helpers.ts';

const WARNING = /^\[warning\] speed 130 km\/h is above the limit of 120 km\/h$/m;

/** Where a folder runs: this machine's Node, or the stand-in's arm64 Node.js 18 under qemu-user. */
type Host = 'this machine' | 'the arm64 stand-in';

const RUNS: { board: string; host: Host; banner: RegExp }[] = [
  { board: 'x86_64-node', host: 'this machine', banner: /^board x86_64-node: running telemetry \(engine node\) on Node\.js [\d.]+ x64, on-demand ticks$/m },
  { board: 'arm64-quickjs', host: 'this machine', banner: /^board arm64-quickjs: running telemetry \(engine quickjs\) on Node\.js [\d.]+ x64, fixed ticks at 30 Hz$/m },
  { board: 'arm64-node18', host: 'the arm64 stand-in', banner: /^board arm64-node18: running telemetry \(engine node\) on Node\.js 18\.[\d.]+ arm64, fixed ticks at 60 Hz$/m },
  { board: 'arm64-quickjs', host: 'the arm64 stand-in', banner: /^board arm64-quickjs: running telemetry \(engine quickjs\) on Node\.js 18\.[\d.]+ arm64, fixed ticks at 30 Hz$/m },
];

describe('a built board folder', () => {
  let dir: string;
  let telemetry: TelemetryServer | undefined;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pulsewire-board-'))));
  afterEach(async () => {
    await telemetry?.close();
    telemetry = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Builds for `board` (a name or a profile) and copies the folder elsewhere, as a build engineer copies it to a board. */
  function deployed(board: string | object): string {
    if (typeof board === 'object') {
      writeFileSync(join(dir, 'profile.json'), JSON.stringify(board));
      board = join(dir, 'profile.json');
    }
    const built = join(dir, 'built');
    const r = cli(['build', '--board', board, DEMO, '--out', built]);
    assert.equal(r.code, 0, r.stderr);
    const onBoard = join(dir, 'board', 'opt', 'pulsewire');
    cpSync(built, onBoard, { recursive: true });
    rmSync(built, { recursive: true });
    return onBoard;
  }

  /**
   * The environment of ./start on `host`. This machine: NODE names the
   * binary, as on a board without node on PATH. The stand-in: its `node`,
   * first on PATH, is Debian's arm64 binary run by qemu-user.
   */
  function hostEnv(host: Host): NodeJS.ProcessEnv {
    if (host === 'this machine') return { PATH: '/usr/bin:/bin', NODE: process.execPath };
    const root = arm64StandIn();
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'node'), `#!/bin/sh\nexec qemu-aarch64-static -L '${root}' '${root}/usr/bin/node' "$@"\n`, { mode: 0o755 });
    return { PATH: `${bin}:/usr/bin:/bin` };
  }

  /** A back end that streams 130 km/h (above the dashboard's 120 km/h limit) once the dashboard says hello. */
  async function backEnd(): Promise<TelemetryServer> {
    telemetry = await startTelemetryServer({ intervalMs: 50, speedAt: () => 130 });
    return telemetry;
  }

  const hello = (server: TelemetryServer) => server.received.some((m) => JSON.parse(m).type === 'hello');
  const talked = (server: TelemetryServer) => (stdout: string) => hello(server) && WARNING.test(stdout);

  function assertTalked(ran: Ran, server: TelemetryServer): void {
    const said = `exit ${ran.code}\nstdout:\n${ran.stdout}\nstderr:\n${ran.stderr}`;
    assert.equal(ran.code, 0, said);
    assert.ok(hello(server), `the back end got no hello: ${JSON.stringify(server.received)}\n${said}`);
    assert.match(ran.stdout, WARNING, said);
  }

  for (const { board, host, banner } of RUNS) {
    it(`${board} starts with ./start on ${host} and talks to a back end`, async function () {
      // Under qemu, Node starts in about 3 s and compiles QuickJS's wasm in about 10 s more; every run is bounded below.
      const stand = host === 'the arm64 stand-in';
      this.timeout(stand ? 120_000 : 45_000);
      const env = hostEnv(host);
      const folder = deployed(board);
      const server = await backEnd();
      // It runs until the back end has its hello and the warning is printed; --duration is only the backstop.
      const ran = await runStart(folder, ['--connect', `Telemetry=${server.url}`, '--duration', stand ? '80' : '25'], env, stand ? 90_000 : 30_000, talked(server));
      assertTalked(ran, server);
      assert.match(ran.stderr, banner);
    });
  }

  it("takes the back end's address from the profile, and --connect over it", async function () {
    this.timeout(75_000);
    const server = await backEnd();
    const profile = { name: 'rig', engine: 'node', arch: 'x86_64', node: 18, tickMode: 'fixed', tickRate: 50, connections: { Telemetry: server.url } };
    const board = deployed(profile);
    const env = hostEnv('this machine');
    assertTalked(await runStart(board, ['--duration', '25'], env, 30_000, talked(server)), server);
    const REFUSED = /telemetry link error: Telemetry: connection refused by 127\.0\.0\.1:9/;
    const refused = await runStart(board, ['--connect', 'Telemetry=ws://127.0.0.1:9', '--duration', '25'], env, 30_000, (out) => REFUSED.test(out));
    assert.match(refused.stdout, REFUSED);
  });

  it('refuses a Node.js older than the profile asks for, exit 1', async () => {
    const board = deployed({ name: 'future', engine: 'node', arch: 'x86_64', node: 99, tickMode: 'fixed' });
    const ran = await runStart(board, [], hostEnv('this machine'), 20_000);
    assert.equal(ran.code, 1);
    assert.equal(ran.stderr, `board future was built for Node.js 99 or later; this is Node.js ${process.versions.node}\n`);
  });
});
