// The board runner: what `./start` runs on a board, for either engine — the
// VM in this process (node) or in a QuickJS sandbox (quickjs), as config.json
// says. build.mjs bundles this file with everything it imports — ws,
// socket.io-client and the QuickJS host included — into runner.mjs of
// dist/board-node/ and dist/board-quickjs/ (which adds guest.js and the
// QuickJS wasm beside it), so a board needs Node.js and its folder, no
// node_modules. It runs a .pws and never compiles (the compiler and its
// schema validator stay out of the bundle); how it runs comes from
// config.json beside it, the board profile that `pulsewire build` wrote
// (docs/BOARDS.md has the contract).
//
//   node runner.mjs schedule.pws [--connect NAME=URL]... [--duration S] [--ticks N] [--verbose]
//
// Output and exit codes are those of `pulsewire run`: console lines on
// stdout, runtime errors on stderr; 0 ok, 1 a failure, 2 a usage error.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode, ScheduleError } from '../../runtime/schedule/index.ts';
import type { Schedule } from '../../runtime/schedule/schedule.ts';
import { runToEnd, StartError } from '../shared/run-to-end.ts';
import { parseConnectSpecs } from '../shared/connect-specs.ts';
import { parseCommandArgs } from '../shared/args.ts';
import { exitQuietlyOnClosedPipe } from '../shared/output.ts';
import { parseProfile, type BoardProfile } from './profile.ts';

const USAGE = 'usage: node runner.mjs schedule.pws [--connect NAME=URL]... [--duration SECONDS] [--ticks N] [--verbose] [--config FILE]';

class Exit extends Error {
  constructor(readonly code: 1 | 2, message: string) {
    super(message);
  }
}

function readConfig(file: string): BoardProfile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Exit(1, `${file}: cannot read the board configuration (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const r = parseProfile(value, file);
  if (!r.ok) throw new Exit(1, r.errors.join('\n'));
  const p = r.profile;
  const major = Number(process.versions.node.split('.')[0]);
  if (p.node !== undefined && major < p.node) {
    throw new Exit(1, `board ${p.name} was built for Node.js ${p.node} or later; this is Node.js ${process.versions.node}`);
  }
  return p;
}

function readSchedule(file: string): Schedule {
  try {
    return decode(readFileSync(file));
  } catch (e) {
    if (e instanceof ScheduleError) throw new Exit(1, `${file}: ${e.message}`);
    throw new Exit(1, `${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** The profile's addresses, then --connect's on top; an unknown Name is an error. */
function connect(s: Schedule, urls: Record<string, string>, code: 1 | 2, source: string): Schedule {
  const names = new Set(s.connections.map((c) => c.name));
  for (const n of Object.keys(urls)) {
    if (!names.has(n)) throw new Exit(code, `${source}: no connection named "${n}" (there are: ${[...names].join(', ') || 'none'})`);
  }
  return { ...s, connections: s.connections.map((c) => (urls[c.name] ? { ...c, url: urls[c.name] } : c)) };
}

function positive(s: string | undefined, name: string, whole: boolean): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!(whole ? Number.isInteger(n) : Number.isFinite(n)) || n <= 0) throw new Exit(2, `${name} must be a ${whole ? 'whole ' : ''}number above 0, not "${s}"`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCommandArgs(argv, {
      connect: { type: 'string', multiple: true },
      duration: { type: 'string' },
      ticks: { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
  } catch (e) {
    throw new Exit(2, (e as Error).message);
  }
  const { positionals } = args;
  const values = args.values as { connect?: string[]; duration?: string; ticks?: string; verbose?: boolean; config?: string; help?: boolean };
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new Exit(2, positionals.length ? `expected one schedule file, got ${positionals.length}` : 'missing the schedule file');
  const duration = positive(values.duration, '--duration', false);
  const ticks = positive(values.ticks, '--ticks', true);
  let cliUrls: Record<string, string>;
  try {
    cliUrls = parseConnectSpecs(values.connect);
  } catch (e) {
    throw new Exit(2, (e as Error).message);
  }

  const configFile = values.config ?? fileURLToPath(new URL('./config.json', import.meta.url));
  const board = readConfig(configFile);
  let schedule = readSchedule(positionals[0]);
  schedule = connect(schedule, board.connections ?? {}, 1, configFile);
  schedule = connect(schedule, cliUrls, 2, '--connect');

  try {
    return await runToEnd(schedule, {
      target: board.engine,
      mode: board.tickMode,
      tickRateHz: board.tickRate,
      limits: board.limits,
      memoryLimitBytes: board.memoryLimitBytes,
      tickTimeLimitMs: board.tickTimeLimitMs,
      maxTicks: ticks,
      duration,
      verbose: !!values.verbose,
      env: process.env,
      log: { warn: (t) => process.stderr.write(`warning: ${t}\n`) },
      onStarted: () =>
        process.stderr.write(
          `board ${board.name}: running ${schedule.meta.name} (engine ${board.engine}) on Node.js ${process.versions.node} ${process.arch}, ` +
            `${board.tickMode} ticks${board.tickMode === 'fixed' ? ` at ${board.tickRate ?? schedule.meta.tickRateHz} Hz` : ''}\n`,
        ),
    });
  } catch (e) {
    // The QuickJS module, guest or wasm missing from the folder, or a memory limit below what the guest needs.
    if (e instanceof StartError) throw new Exit(1, `board ${board.name}: ${e.message}`);
    throw e;
  }
}

exitQuietlyOnClosedPipe();
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof Exit)) throw e; // a bug of ours: let Node print the stack
  process.stderr.write(`${e.message}\n${e.code === 2 ? USAGE + '\n' : ''}`);
  process.exitCode = e.code;
}
