// The `pulsewire` command. Exit codes: 0 ok, 1 diagnostics or a runtime
// failure, 2 usage. User errors are one readable line each on stderr,
// never a stack trace.

// Start-up is kept short: this file imports only what every command needs
// (argument parsing, the error types). Each command imports what it uses
// inside its run() — `await import(...)` — so `--version` and `--help` load
// nothing heavy, `run x.pws` never loads the compiler (and its schema
// validator), `--target node` never loads QuickJS, and a run loads ws or
// socket.io-client only for the connections its schedule has. build.mjs
// splits the bundle at those imports. A new command or option follows the
// same rule; test/cli/lazy.test.ts checks it.

import { writeFileSync } from 'node:fs';
import type { Schedule } from '../../runtime/schedule/schedule.ts';
import { TICK_MODES, type TickMode } from '../shared/runner.ts';
import { TARGETS, type TargetName } from '../target-names.ts';
import { UsageError, Failure } from './cli-errors.ts';
import type { Problem } from '../shared/load.ts';
import { parseCommandArgs, type OptionsConfig, type ParsedArgs } from '../shared/args.ts';
import { exitQuietlyOnClosedPipe } from '../shared/output.ts';
import { boardNames } from '../boards/names.ts';
import pkg from '../../package.json' with { type: 'json' };

const VERSION: string = pkg.version;


interface Command {
  summary: string;
  usage: string;
  options: OptionsConfig;
  /** The options' help; a function when it reads something (a folder), so that only `--help` pays for it. */
  help: string | (() => string);
  run(args: ParsedArgs): Promise<number> | number;
}

/** Every command that reads a project prints its diagnostics as text lines or, with `--format json`, as JSON lines. */
const FORMAT = { format: { type: 'string' } } as const;
const FORMAT_HELP = `\n  --format FORMAT  how diagnostics are printed: text (default, file:line:column: scope/node: message)
                   or json (one JSON object a line on stdout: file, line, column, scope, node, code, message, hint)`;

const COMMANDS: Record<string, Command> = {
  compile: {
    summary: 'compile a project into a schedule file (.pws)',
    usage: 'pulsewire compile <project.json> [-o out.pws] [--strip] [--format text|json]',
    options: { out: { type: 'string', short: 'o' }, strip: { type: 'boolean' }, ...FORMAT },
    help: `  -o, --out FILE   where to write the schedule (default: the project's name with .pws)
  --strip          leave out the debug map (node ids in runtime errors become pcs)${FORMAT_HELP}`,
    async run({ values, positionals }) {
      const file = one(positionals, 'a project file');
      const schedule = await load(file, values);
      const { encode } = await import('../../runtime/schedule/index.ts');
      const out = (values.out as string | undefined) ?? file.replace(/\.json$/i, '') + '.pws';
      const bytes = encode(schedule, { debug: !values.strip });
      try {
        writeFileSync(out, bytes);
      } catch (e) {
        throw new Failure(`cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      process.stdout.write(`${out}: ${bytes.length} bytes, ${schedule.code.length} code words, ${schedule.events.length} events\n`);
      return 0;
    },
  },
  run: {
    summary: 'run a project or a schedule against its back ends',
    usage: 'pulsewire run <project.json|file.pws> [options]',
    options: {
      ticks: { type: 'string' },
      duration: { type: 'string' },
      'tick-rate': { type: 'string' },
      mode: { type: 'string' },
      connect: { type: 'string', multiple: true },
      target: { type: 'string' },
      record: { type: 'string' },
      control: { type: 'string' },
      'control-host': { type: 'string' },
      inspect: { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
      ...FORMAT,
    },
    help: `  --ticks N            stop after N ticks
  --duration SECONDS   stop after this long (real time)
  --tick-rate HZ       ticks per second in fixed mode (default: the project's)
  --mode MODE          fixed (default), on-demand, fast or stepped (virtual clock; needs --ticks)
  --connect NAME=URL   point a connection at another address (repeatable)
  --target TARGET      node (default: the VM in this process) or quickjs (the VM in a QuickJS sandbox)
  --record FILE        write the run's trace to FILE (JSON Lines; check it with 'pulsewire replay')
  --control PORT       open a control channel (WebSocket, token required) on PORT, 0 for any free one:
                       a HIL rig reads variables, injects events, pauses and steps ticks (docs/HIL.md);
                       with --mode stepped only the rig ticks it (--ticks not needed)
  --control-host HOST  where the control channel listens (default 127.0.0.1: this machine only)
  --inspect [PORT]     serve the live inspector on 127.0.0.1:PORT (default: any free port): a page with
                       the graph (chains that ran lit), variables, connections, ticks and console lines;
                       with --control it can also pause, step and resume (docs/PICTURES.md)
  -v, --verbose        also print commands sent to back ends and every variable change

Console lines go to stdout as "[level] text", variable changes as "name = value"
(with --verbose), runtime errors to stderr. Ctrl-C stops cleanly.${FORMAT_HELP}`,
    async run({ values, positionals }) {
      const file = one(positionals, 'a project or schedule file');
      const mode = (values.mode as string | undefined) ?? 'fixed';
      if (!TICK_MODES.includes(mode as TickMode)) throw new UsageError(`--mode must be one of ${TICK_MODES.join(', ')}`);
      const ticks = values.ticks === undefined ? undefined : posInt(values.ticks as string, '--ticks');
      const duration = values.duration === undefined ? undefined : posNum(values.duration as string, '--duration');
      const rate = values['tick-rate'] === undefined ? undefined : posNum(values['tick-rate'] as string, '--tick-rate');
      if (mode === 'stepped' && ticks === undefined && values.control === undefined) throw new UsageError('--mode stepped needs --ticks');
      const target = (values.target as string | undefined) ?? 'node';
      if (!TARGETS.includes(target as TargetName)) throw new UsageError(`--target must be one of ${TARGETS.join(', ')}`);
      let schedule = await load(file, values);
      schedule = await withConnections(schedule, values.connect as string[] | undefined);
      const record = values.record as string | undefined;
      if (values['control-host'] !== undefined && values.control === undefined) throw new UsageError('--control-host needs --control PORT');
      const inspect = values.inspect === undefined ? undefined : { port: portOf(values.inspect as string, '--inspect'), project: file };
      if (values.control !== undefined) {
        if (mode !== 'fixed' && mode !== 'stepped') throw new UsageError('--control works with --mode fixed or stepped');
        const port = portOf(values.control as string);
        const host = values['control-host'] as string | undefined;
        const { runControlled } = await import('./controlled-run.ts');
        return runControlled(schedule, { port, host, target: target as TargetName, mode, rate, ticks, duration, record, verbose: !!values.verbose, inspect });
      }
      if (mode === 'stepped' && inspect) throw new UsageError('--inspect with --mode stepped needs --control (the page steps it)');
      const { runSchedule } = await import('./run-command.ts');
      return runSchedule(schedule, { mode: mode as TickMode, ticks, duration, rate, verbose: !!values.verbose, target: target as TargetName, record, inspect });
    },
  },
  inspect: {
    summary: 'show a schedule as a listing, with the node id of each instruction',
    usage: 'pulsewire inspect <project.json|file.pws> [--explain]',
    options: { explain: { type: 'boolean' }, ...FORMAT },
    help: `  --explain        add what each instruction does (register-transfer notation)${FORMAT_HELP}`,
    async run({ values, positionals }) {
      const schedule = await load(one(positionals, 'a project or schedule file'), values);
      const { disassemble } = await import('../../runtime/schedule/index.ts');
      process.stdout.write(disassemble(schedule, { explain: !!values.explain }));
      return 0;
    },
  },
  replay: {
    summary: 'replay a recorded trace with no network and check every output is identical',
    usage: 'pulsewire replay <project.json|file.pws> TRACE [--target node|quickjs] [--report out.html|out.svg]',
    options: { target: { type: 'string' }, report: { type: 'string' }, ...FORMAT },
    help: `  --target TARGET   the engine to replay on: node (default) or quickjs
  --report FILE     also write the run's timeline (HTML, or SVG for a .svg name) with the first
                    divergence marked and that tick's expected and actual outputs side by side${FORMAT_HELP}

Feeds the trace's events into the engine tick by tick, at the recorded
times, and compares every output with the recording (docs/TRACES.md).
Exit 0 when all are identical; 1 with the first divergence (tick, expected,
actual), for a trace of another schedule, or for a malformed line (its number).`,
    async run({ values, positionals }) {
      if (positionals.length !== 2) throw new UsageError(`expected a project or schedule file and a trace, got ${positionals.length} file${positionals.length === 1 ? '' : 's'}`);
      const target = (values.target as string | undefined) ?? 'node';
      if (!TARGETS.includes(target as TargetName)) throw new UsageError(`--target must be one of ${TARGETS.join(', ')}`);
      const schedule = await load(positionals[0], values);
      const { replayFile } = await import('./replay-command.ts');
      const verdict = await replayFile(schedule, positionals[1], target as TargetName);
      (verdict.code === 0 ? process.stdout : process.stderr).write(verdict.message + '\n');
      const report = values.report as string | undefined;
      if (report !== undefined && (verdict.code === 0 || verdict.divergence)) {
        const tl = await import('../pictures/timeline-command.ts');
        const d = verdict.divergence;
        const text = tl.replayReport(positionals[1], d && { tick: d.tick, time: d.time, what: d.what, expected: d.expectedOutputs, actual: d.actualOutputs }, report.toLowerCase().endsWith('.svg') ? 'svg' : 'html');
        writeOut(report, text);
        process.stderr.write(`report: ${report}\n`);
      }
      return verdict.code;
    },
  },
  build: {
    summary: 'make a folder that runs a project on a board by itself (bundle, schedule, start script)',
    usage: 'pulsewire build --board NAME|profile.json <project.json|file.pws> --out DIR',
    options: { board: { type: 'string' }, out: { type: 'string', short: 'o' }, ...FORMAT },
    help: () => `  --board NAME|FILE   a board profile: a name from targets/boards/ (${boardNames().join(', ')}) or a profile's path
  -o, --out DIR       the folder to write; an earlier board folder there is replaced${FORMAT_HELP}

Copy DIR to the board and run ./start there (--connect NAME=URL points a
connection at another back end, --duration SECONDS stops it). The same inputs
give the same bytes; manifest.json holds the size and sha256 of every file.`,
    async run({ values, positionals }) {
      const input = one(positionals, 'a project or schedule file');
      const format = formatOf(values);
      if (!values.board) throw new UsageError('missing --board NAME (or the path of a profile)');
      if (!values.out) throw new UsageError('missing --out DIR');
      const { buildBoard, BoardError } = await import('../boards/build.ts');
      let r;
      try {
        r = await buildBoard({ board: values.board as string, input, out: values.out as string, version: VERSION });
      } catch (e) {
        if (e instanceof BoardError) throw await problemsFailure(e.message, e.problems, format);
        throw e;
      }
      const p = r.profile;
      const width = Math.max(...Object.keys(r.files).map((n) => n.length));
      process.stdout.write(`${r.out}: board ${p.name} (engine ${p.engine}, ${p.arch}${p.node ? `, Node.js ${p.node}+` : ''})\n`);
      for (const [name, f] of Object.entries(r.files)) process.stdout.write(`  ${name.padEnd(width)}  ${String(f.bytes).padStart(7)} bytes\n`);
      process.stdout.write(`copy the folder to the board and run ./start there\n`);
      return 0;
    },
  },
  timeline: {
    summary: 'draw a recorded trace as a timeline: connections, variables, budget, console lines and errors',
    usage: 'pulsewire timeline <trace.jsonl> [-o out.html|out.svg] [--format html|svg]',
    options: { out: { type: 'string', short: 'o' }, format: { type: 'string' } },
    help: `  -o, --out FILE    where to write it (default: the trace's name with .html)
  --format FORMAT   html (the picture and every console line and error) or svg (the picture
                    with the first lines listed under it); default: from the -o file's extension

Ticks along the time axis (dark: a tick that took or gave something), the budget
each tick used, a lane per connection (events in above its state: connecting,
open, closed; commands out below), each variable as a step plot, console lines
and runtime errors where they happened (docs/PICTURES.md).`,
    async run({ values, positionals }) {
      const file = one(positionals, 'a trace file');
      const out = values.out as string | undefined;
      const format = (values.format as string | undefined) ?? (out?.toLowerCase().endsWith('.svg') ? 'svg' : 'html');
      if (format !== 'svg' && format !== 'html') throw new UsageError(`--format must be html or svg, not "${format}"`);
      const tl = await import('../pictures/timeline-command.ts');
      let text: string;
      try {
        text = tl.renderTimeline(tl.readTimeline(file), format);
      } catch (e) {
        if (e instanceof tl.TimelineError) throw new Failure(e.message);
        throw e;
      }
      const target = out ?? file.replace(/\.jsonl?$/i, '') + '.' + format;
      writeOut(target, text);
      process.stdout.write(`${target}: ${Buffer.byteLength(text)} bytes\n`);
      return 0;
    },
  },
  graph: {
    summary: 'draw a project\'s graphs (or a schedule\'s, from its debug map) as SVG or one HTML page',
    usage: 'pulsewire graph <project.json|file.pws> [--scope NAME] [-o out.svg|out.html] [--format svg|html]',
    options: { out: { type: 'string', short: 'o' }, scope: { type: 'string' }, format: { type: 'string' } },
    help: `  -o, --out FILE    where to write the picture (default: the input's name with .svg or .html)
  --scope NAME      only this scope (Project, a scene's or a function's name, or Scene:NAME)
  --format FORMAT   svg (one picture, the scopes one under another) or html (a page with every
                    scope); default: from the -o file's extension, else svg

Each scope is laid out left to right (ELK layered): nodes as boxes with their
input pins left and output pins right, pulse links as arrows, data links coloured
by type. Problems of the project are marked on the nodes they are about (and
printed; exit 1). The same input gives the same bytes (docs/PICTURES.md).`,
    async run({ values, positionals }) {
      const file = one(positionals, 'a project or schedule file');
      const out = values.out as string | undefined;
      const format = (values.format as string | undefined) ?? (out?.toLowerCase().endsWith('.html') ? 'html' : 'svg');
      if (format !== 'svg' && format !== 'html') throw new UsageError(`--format must be svg or html, not "${format}"`);
      const g = await import('../pictures/graph-command.ts');
      let text: string;
      let problems: string[];
      try {
        const r = g.readDiagram(file);
        problems = r.problems;
        text = await g.render(g.pickScopes(r.diagram, values.scope as string | undefined), format);
      } catch (e) {
        if (e instanceof g.GraphError) throw new Failure(e.message);
        throw e;
      }
      const target = out ?? file.replace(/\.(json|pws)$/i, '') + '.' + format;
      writeOut(target, text);
      for (const p of problems) process.stderr.write(p + '\n');
      process.stdout.write(`${target}: ${Buffer.byteLength(text)} bytes${problems.length ? `, ${problems.length} problem${problems.length === 1 ? '' : 's'} marked` : ''}\n`);
      return problems.length ? 1 : 0;
    },
  },
  demo: {
    summary: 'run the telemetry demo against a back end started in this process',
    usage: 'pulsewire demo [--duration SECONDS] [--inspect [PORT]]',
    options: { duration: { type: 'string' }, verbose: { type: 'boolean', short: 'v' }, inspect: { type: 'string' } },
    help: `  --duration SECONDS   stop after this long (default: until Ctrl-C)
  --inspect [PORT]     serve the live inspector on 127.0.0.1:PORT (default: any free port)
  -v, --verbose        also print what is sent to the back ends`,
    async run({ values }) {
      const duration = values.duration === undefined ? undefined : posNum(values.duration as string, '--duration');
      const inspect = values.inspect === undefined ? undefined : portOf(values.inspect as string, '--inspect');
      const { runDemo } = await import('./demo.ts');
      return runDemo({ duration, verbose: !!values.verbose, inspect });
    },
  },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return `pulsewire ${VERSION}: compile HMI logic graphs and run them on a deterministic tick loop

usage: pulsewire <command> [options]

commands:
${Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`).join('\n')}

'pulsewire <command> --help' shows a command's options.
`;
}

/** `--inspect` without a port: the default (parseArgs has no optional values). */
function optionalValue(args: string[], option: string, dflt: string): string[] {
  return args.map((a, i) => (a === option && !/^\d+$/.test(args[i + 1] ?? '') ? `${option}=${dflt}` : a));
}

function one(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `expected one file, got ${positionals.length}` : `missing ${what}`);
  return positionals[0];
}
function posInt(s: string, name: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} must be a whole number above 0, not "${s}"`);
  return n;
}
function portOf(s: string, option = '--control'): number {
  const n = Number(s);
  if (!/^\d+$/.test(s) || n > 65535) throw new UsageError(`${option} takes a port from 0 to 65535 (0: any free one), not "${s}"`);
  return n;
}
function posNum(s: string, name: string): number {
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a number above 0, not "${s}"`);
  return n;
}

function writeOut(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new Failure(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function formatOf(values: ParsedArgs['values']): 'text' | 'json' {
  const f = values.format ?? 'text';
  if (f !== 'text' && f !== 'json') throw new UsageError(`--format must be text or json, not "${String(f)}"`);
  return f;
}

/** Problems as the command's --format asks: the text lines on stderr, or JSON lines on stdout. */
async function problemsFailure(text: string, problems: Problem[], format: 'text' | 'json'): Promise<Failure> {
  if (format === 'text') return new Failure(text);
  const { formatProblem } = await import('../shared/load.ts');
  return new Failure(problems.map((p) => formatProblem(p, 'json')).join('\n'), true);
}

async function load(file: string, values: ParsedArgs['values']): Promise<Schedule> {
  const format = formatOf(values);
  const { loadScheduleFile } = await import('../shared/load.ts');
  const r = await loadScheduleFile(file);
  if (!r.ok) throw await problemsFailure(r.errors.join('\n'), r.problems, format);
  return r.schedule;
}

async function withConnections(s: Schedule, specs: string[] | undefined): Promise<Schedule> {
  if (!specs?.length) return s;
  const [{ parseConnectSpecs }, { overrideConnections }] = await Promise.all([import('../shared/connect-specs.ts'), import('../shared/load.ts')]);
  let urls: Record<string, string>;
  try {
    urls = parseConnectSpecs(specs);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  try {
    return overrideConnections(s, urls);
  } catch (e) {
    throw new UsageError(`--connect: ${(e as Error).message}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  const [name, ...rest] = argv;
  if (!name) {
    process.stderr.write(mainHelp()); // no command is a usage error: help on stderr, exit 2
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp());
    return 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const cmd = COMMANDS[name];
  try {
    if (!cmd) throw new UsageError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`usage: ${cmd.usage}\n\n${cmd.summary}\n\n${typeof cmd.help === 'function' ? cmd.help() : cmd.help}\n`);
      return 0;
    }
    let parsed;
    try {
      parsed = parseCommandArgs(optionalValue(rest, '--inspect', '0'), cmd.options);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    return await cmd.run(parsed);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`pulsewire: ${e.message}\n${cmd ? `usage: ${cmd.usage}\n` : ''}Try 'pulsewire ${cmd ? name + ' ' : ''}--help'.\n`);
      return 2;
    }
    if (e instanceof Failure) {
      (e.toStdout ? process.stdout : process.stderr).write(e.message + '\n');
      return 1;
    }
    // A bug of pulsewire's own: say so plainly, with the stack, since this is for us to fix.
    process.stderr.write(`pulsewire: internal error, please report it:\n${(e as Error)?.stack ?? e}\n`);
    return 1;
  }
}
