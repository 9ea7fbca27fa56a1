// `pulsewire run --control`: the runtime in another process, driven by the
// same Rig API through the control channel. The channel refuses a wrong
// token, listens on 127.0.0.1 only by default, and a rig's steps give the
// same run in-process and remote.

import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startRig, connectRig, spawnRig, startWsBackend, TARGETS, type Rig, type WsBackend } from '../../targets/hil/index.ts';
import { BIN, runCli } from '../helpers/cli-async.ts';
import { ackProject } from './projects.ts';

const TOKEN = 'test-token-0123456789';

/** `pulsewire run FILE --control 0 …` with the token in the environment; resolves once it says where it listens. */
async function startControlled(file: string, extra: string[] = [], env: Record<string, string> = { PULSEWIRE_CONTROL_TOKEN: TOKEN }) {
  const child = spawn(process.execPath, [BIN, 'run', file, '--control', '0', '--mode', 'stepped', ...extra], {
    env: { ...process.env, PULSEWIRE_CONTROL_TOKEN: undefined, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let said = '';
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no control channel within 15 s:\n${said}`)), 15_000);
    child.stderr!.on('data', (d: Buffer) => {
      said += d;
      const m = /control channel on (ws:\/\/\S+)/.exec(said);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}:\n${said}`)));
  });
  return { child, url, said: () => said };
}

/** 'connected', or how a TCP connect to host:port failed. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host, port });
    s.setTimeout(2_000, () => (s.destroy(), resolve('timeout')));
    s.once('connect', () => (s.destroy(), resolve('connected')));
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

/** Stops a child by its own PID, bounded. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(child.pid!, 'SIGTERM');
  const t = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(t);
}

describe('control channel', function () {
  this.timeout(30_000);
  let dir: string;
  let file: string;
  let ws: WsBackend | undefined;
  let child: ChildProcess | undefined;
  let rig: Rig | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pulsewire-control-'));
    file = join(dir, 'ack.json');
    writeFileSync(file, JSON.stringify(ackProject()));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await rig?.close();
    if (child) await stop(child);
    await ws?.close();
    rig = child = ws = undefined;
  });

  it('refuses a wrong token and a missing one with HTTP 401', async () => {
    const c = await startControlled(file);
    child = c.child;
    await assert.rejects(connectRig({ url: c.url, token: 'wrong' }), /refused the token \(HTTP 401\)/);
    const status = await new Promise<number | undefined>((resolve) => {
      const s = new WebSocket(c.url, 'pulsewire-control.v1');
      s.once('unexpected-response', (_q, res) => (resolve(res.statusCode), s.terminate()));
      s.once('open', () => (resolve(undefined), s.close()));
      s.once('error', () => resolve(undefined));
    });
    assert.equal(status, 401);
    rig = await connectRig({ url: c.url, token: TOKEN });
    assert.equal(rig.project, 'test');
  });

  it('listens on 127.0.0.1 only by default: not reachable on this machine\'s other addresses', async () => {
    const c = await startControlled(file);
    child = c.child;
    assert.match(c.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(c.url).port);
    const others = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal && a.family === 'IPv4').map((a) => a!.address);
    for (const host of others) assert.notEqual(await tryConnect(host, port), 'connected', `the control channel answered on ${host}:${port}`);
    // No other interface here means there is nothing more to try; the bound address above is the proof.
    if (others.length === 0) return;
    // The same probe does reach the channel when it is told to listen everywhere: the check above can fail.
    await stop(child);
    const open = await startControlled(file, ['--control-host', '0.0.0.0']);
    child = open.child;
    assert.match(open.said(), /warning: the control channel listens on 0\.0\.0\.0/);
    assert.equal(await tryConnect(others[0], Number(new URL(open.url).port)), 'connected');
  });

  it('generates and prints a token when none is given; refuses bad settings with exit 2', async () => {
    const c = await startControlled(file, [], {});
    child = c.child;
    const token = /control token: (\S+)/.exec(c.said())?.[1];
    assert.ok(token && token.length >= 20, c.said());
    rig = await connectRig({ url: c.url, token });
    for (const args of [['--control', '70000'], ['--control', 'x'], ['--control-host', '127.0.0.1'], ['--control', '0', '--mode', 'on-demand']]) {
      const r = await runCli(['run', file, ...args]);
      assert.equal(r.code, 2, args.join(' '));
    }
  });

  for (const target of TARGETS) {
    it(`the same steps give the same run in-process and remote [${target}]`, async () => {
      // Tick numbers may differ (a connect is paced to real time); what the run did may not.
      const runs: Array<{ console: string[]; vars: object; received: string[] }> = [];
      for (const where of ['in-process', 'remote'] as const) {
        ws = await startWsBackend();
        const opts = { project: ackProject(), connect: { Link: ws }, target };
        rig = where === 'remote' ? await spawnRig(opts) : await startRig(opts);
        assert.equal(rig.target, target);
        await rig.runUntil('up', (r) => r.variable('up') === true);
        ws.send('one');
        await rig.step();
        rig.expectVariable('last', 'one');
        assert.equal(await rig.inject({ kind: 'ws.message', conn: 0, data: 'two' }), true);
        await rig.step(2);
        rig.expectReceived(ws, 'ack two');
        ws.drop(4000, 'bye');
        await rig.runUntil('down', (r) => r.variable('up') === false);
        const trace = await rig.trace(3);
        assert.equal(trace.header.target, target);
        assert.equal(trace.ticks.length, 3);
        runs.push({ console: rig.console(), vars: rig.variables(), received: ws.received.map((m) => m.text) });
        await rig.close();
        await ws.close();
        rig = ws = undefined;
      }
      assert.deepEqual(runs[1], runs[0]);
      assert.deepEqual(runs[0].console, ['up', 'got one', 'got two', 'stop closed by the server: bye']);
    });
  }

  it('a remote rig pauses, resumes in real time and sees every tick', async () => {
    const c = await startControlled(file);
    child = c.child;
    rig = await connectRig({ url: c.url, token: TOKEN });
    await rig.step(2);
    await rig.resume();
    await new Promise((r) => setTimeout(r, 150));
    await rig.pause();
    const ticks = rig.tick;
    assert.ok(ticks > 3, `${ticks} ticks`);
    assert.equal((await rig.trace(1)).ticks[0].tick, ticks - 1, 'the mirror saw every pushed tick');
    assert.equal(rig.now, (ticks - 1) * rig.period);
    await rig.step();
    assert.equal(rig.tick, ticks + 1);
  });
});
