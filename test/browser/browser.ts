// The real browser of the browser tests: Debian's Chromium (/usr/bin/chromium),
// installed by .ci/chromium.sh when missing (as root; .ci/run does it before
// npm test), driven headless by playwright-core with the flags that work on
// a machine without a network. Screenshots go to test-results/screenshots/
// (gitignored), one per state a test reaches.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const REPO = new URL('../../', import.meta.url).pathname;
export const BIN = join(REPO, 'bin/pulsewire.mjs');
export const SCREENSHOTS = join(REPO, 'test-results/screenshots');
const BROWSER = process.env.PULSEWIRE_CHROMIUM ?? '/usr/bin/chromium';

/** The browser's path, installing it first when missing and this is root. */
export function chromiumPath(): string {
  if (!existsSync(BROWSER) && process.getuid?.() === 0) {
    spawnSync('bash', [join(REPO, '.ci/chromium.sh')], { cwd: REPO, stdio: 'ignore', timeout: 600_000 });
  }
  if (!existsSync(BROWSER)) {
    throw new Error(`no Chromium at ${BROWSER}: install it once with sudo .ci/chromium.sh (Debian's chromium package; .ci/run does this itself)`);
  }
  return BROWSER;
}

/** Headless Chromium; playwright gives each launch a new empty profile (its own --user-data-dir) and removes it after. */
export async function launch(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    timeout: 60_000,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => {});
    },
  };
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, `${name}.png`);
}

/** `pulsewire ARGS` in a child process; resolves once stderr has printed the inspector's address. */
export function spawnInspected(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; stderr: () => string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    const code = await exited;
    clearTimeout(t);
    return code;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`no inspector address within 30 s:\n${err}`));
    }, 30_000);
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /inspector on (http:\/\/127\.0\.0\.1:\d+\/)#token=(\S+)/.exec(err);
      if (m && !/control channel on/.test(err) && args.includes('--control')) return; // the control channel's line is the last one
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], stderr: () => err, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pulsewire exited (${code}) before the inspector was up:\n${err}`));
    });
  });
}
