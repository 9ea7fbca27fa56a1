// Runs the built `pulsewire` command without blocking this process's event
// loop (the test's back ends keep serving meanwhile). Bounded: past the
// timeout the child is stopped by its own PID (SIGTERM, then SIGKILL).

import { spawn } from 'node:child_process';

export const BIN = new URL('../../bin/pulsewire.mjs', import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { timeoutMs?: number; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const term = setTimeout(() => process.kill(child.pid!, 'SIGTERM'), opts.timeoutMs ?? 20_000);
    const kill = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), (opts.timeoutMs ?? 20_000) + 3_000);
    child.once('close', (code) => {
      clearTimeout(term);
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}
