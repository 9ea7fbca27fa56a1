// A board folder runs by itself: built, copied somewhere else (away from the
// repository and its node_modules), started with its start script and
// pointed at a telemetry back end on 127.0.0.1 — on this machine's Node, and
// on the arm64 stand-in (Debian's arm64 Node.js 18 under qemu-user).

import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTelemetryServer, type TelemetryServer } from '../../examples/telemetry/backend.ts';
import { arm64StandIn, cli, DEMO, runStart } from './helpers.ts';

const WARNING = /^\[warning\] speed 130 km\/h is above the limit of 120 km\/h$/m;

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

  /** A back end that streams 130 km/h (above the dashboard's 120 km/h limit) once the dashboard says hello. */
  async function backEnd(): Promise<TelemetryServer> {
    telemetry = await startTelemetryServer({ intervalMs: 50, speedAt: () => 130 });
    return telemetry;
  }

  function assertTalked(ran: { code: number | null; stdout: string; stderr: string }, server: TelemetryServer): void {
    const said = `exit ${ran.code}\nstdout:\n${ran.stdout}\nstderr:\n${ran.stderr}`;
    assert.equal(ran.code, 0, said);
    assert.ok(server.received.some((m) => JSON.parse(m).type === 'hello'), `the back end got no hello: ${JSON.stringify(server.received)}\n${said}`);
    assert.match(ran.stdout, WARNING, said);
  }

  it('starts with ./start on this machine and talks to a back end', async () => {
    const board = deployed('x86_64-node');
    const server = await backEnd();
    // NODE picks the Node.js binary, as on a board where node is not on PATH.
    const env = { PATH: '/usr/bin:/bin', NODE: process.execPath };
    const ran = await runStart(board, ['--connect', `Telemetry=${server.url}`, '--duration', '2'], env, 20_000);
    assertTalked(ran, server);
    assert.match(ran.stderr, /^board x86_64-node: running telemetry on Node\.js [\d.]+ x64, on-demand ticks$/m);
  });

  it("takes the back end's address from the profile, and --connect over it", async () => {
    const server = await backEnd();
    const profile = { name: 'rig', engine: 'node', arch: 'x86_64', node: 18, tickMode: 'fixed', tickRate: 50, connections: { Telemetry: server.url } };
    const board = deployed(profile);
    const env = { PATH: '/usr/bin:/bin', NODE: process.execPath };
    assertTalked(await runStart(board, ['--duration', '2'], env, 20_000), server);
    const refused = await runStart(board, ['--connect', 'Telemetry=ws://127.0.0.1:9', '--duration', '1'], env, 20_000);
    assert.match(refused.stdout, /telemetry link error: Telemetry: connection refused by 127\.0\.0\.1:9/);
  });

  it('refuses a Node.js older than the profile asks for, exit 1', async () => {
    const board = deployed({ name: 'future', engine: 'node', arch: 'x86_64', node: 99, tickMode: 'fixed' });
    const ran = await runStart(board, [], { PATH: '/usr/bin:/bin', NODE: process.execPath }, 20_000);
    assert.equal(ran.code, 1);
    assert.equal(ran.stderr, `board future was built for Node.js 99 or later; this is Node.js ${process.versions.node}\n`);
  });

  it('starts on the arm64 stand-in (Node.js 18 under qemu-aarch64-static) and talks to a back end', async function () {
    this.timeout(90_000); // qemu starts Node in about 3 s; the run is bounded below
    const root = arm64StandIn();
    const board = deployed('arm64-node18');
    // The board's `node`, first on PATH: Debian's arm64 binary run by qemu-user.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'node'), `#!/bin/sh\nexec qemu-aarch64-static -L '${root}' '${root}/usr/bin/node' "$@"\n`, { mode: 0o755 });
    const server = await backEnd();
    const env = { PATH: `${bin}:/usr/bin:/bin` };
    const ran = await runStart(board, ['--connect', `Telemetry=${server.url}`, '--duration', '4'], env, 60_000);
    assertTalked(ran, server);
    assert.match(ran.stderr, /^board arm64-node18: running telemetry on Node\.js 18\.[\d.]+ arm64, fixed ticks at 60 Hz$/m);
  });
});
