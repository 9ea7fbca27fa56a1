// What the board tests share: the pulsewire command as a user runs it (the
// built bundle), a bounded run of a board folder's start script, and the
// arm64 stand-in.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = new URL('../../', import.meta.url).pathname;
export const BIN = join(REPO, 'bin/pulsewire.mjs');
export const DEMO = join(REPO, 'examples/telemetry/project.json');

export function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const noStack = (s: string): void => {
  if (/\n\s+at .+:\d+:\d+/.test(s)) throw new Error(`a stack trace leaked:\n${s}`);
};

/** Every file of a folder, by name, with its sha256. */
export function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) out[name] = createHash('sha256').update(readFileSync(join(dir, name))).digest('hex');
  return out;
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `DIR/start ARGS` and waits for it to end; past `limitMs` the process
 * is killed by its PID (start execs node, so that PID is the runner's) and
 * the test fails with what it printed.
 */
export function runStart(dir: string, args: string[], env: NodeJS.ProcessEnv, limitMs: number, until?: (stdout: string) => boolean): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(dir, 'start'), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // Once `until` holds, stop it as a supervisor would (SIGTERM: a clean stop, exit 0) rather than
    // waiting out a --duration that a loaded machine may need all of just to start.
    const poll = until && setInterval(() => {
      if (until(stdout)) {
        clearInterval(poll);
        process.kill(child.pid!, 'SIGTERM');
      }
    }, 50);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`./start ran past ${limitMs} ms and was killed\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, limitMs);
    const done = () => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
    };
    child.on('error', (e) => {
      done();
      reject(e);
    });
    child.on('close', (code) => {
      done();
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The arm64 stand-in (.ci/arm64-node.sh): its folder, from the environment
 * .ci/run sets or the script's default place. When it is not there and we
 * run as root (as CI and this workplace do), it is set up on demand — about
 * 15 s once, cached in .cache/ — so the README's `npm test` works on a fresh
 * clone. Without root the test fails and says how to set it up: the script
 * changes the machine's apt set-up (an added architecture, qemu-user-static).
 */
export function arm64StandIn(): string {
  const root = process.env.PULSEWIRE_ARM64_ROOT ?? join(REPO, '.cache/arm64-node18');
  const ready = () => spawnSync('qemu-aarch64-static', ['--version'], { encoding: 'utf8' }).error === undefined && existsSync(join(root, 'usr/bin/node'));
  if (!ready() && process.getuid?.() === 0) {
    spawnSync('bash', [join(REPO, '.ci/arm64-node.sh'), root], { cwd: REPO, stdio: 'ignore', timeout: 300_000 });
  }
  if (!ready()) {
    throw new Error(
      `the arm64 board stand-in is not set up (no qemu-aarch64-static on PATH, or no ${join(root, 'usr/bin/node')}).\n` +
        `Set it up once with: sudo .ci/arm64-node.sh   (about 15 s; .ci/run does this itself)`,
    );
  }
  return root;
}
