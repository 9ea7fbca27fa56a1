// `pulsewire build`: a folder that runs on a board by itself.
//
//   OUT/
//     start           POSIX sh: runs runner.mjs on schedule.pws with the board's node
//     runner.mjs …    the engine's board runtime, every file of dist/board-<engine>/
//     schedule.pws    the project, compiled (or the .pws given, as is)
//     config.json     the board profile; the runner takes tick mode, rate,
//                     limits and connection addresses from it
//     manifest.json   pulsewire version, profile, size and sha256 of every other file
//
// Same inputs, same bytes: no timestamps, keys sorted, files in name order
// with fixed modes. All or nothing: everything is checked before anything
// is written, the folder is made in a temporary folder beside OUT and
// renamed into place at the end, so a failed build leaves no folder.

import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { encode } from '../../runtime/schedule/index.ts';
import type { Schedule } from '../../runtime/schedule/schedule.ts';
import { didYouMean } from '../../runtime/suggest.ts';
import { loadScheduleFile, type Problem } from '../shared/load.ts';
import { parseProfile, type BoardProfile, type Engine } from './profile.ts';
import { ROOT, BOARDS_DIR, boardNames } from './names.ts';

export { BOARDS_DIR, boardNames };

/** A problem with what the user gave (profile, project, output folder): a clear message, exit 1. */
export class BoardError extends Error {
  /** Each problem on its own (for `--format json`); the message has them one a line. */
  readonly problems: Problem[];
  constructor(message: string, problems?: Problem[], file = '') {
    super(message);
    this.problems = problems ?? message.split('\n').map((line) => ({ file, code: 'board', message: line }));
  }
}

export const MANIFEST_FORMAT = 'pulsewire-board/1';
/** Files the build writes itself; an engine's runtime may not use these names. */
const OWN_FILES = ['start', 'schedule.pws', 'config.json', 'manifest.json'];

const DIST_DIR = join(ROOT, 'dist');

export interface BuildRequest {
  /** A profile name (targets/boards/NAME.json) or the path of a profile file. */
  board: string;
  /** A project (.json, compiled here) or a schedule (.pws). */
  input: string;
  out: string;
  /** pulsewire's version, for the manifest. */
  version: string;
}

export interface FileEntry {
  bytes: number;
  sha256: string;
}

export interface BuildResult {
  out: string;
  profile: BoardProfile;
  /** Every file but the manifest, by name. */
  files: Record<string, FileEntry>;
}

/** A profile by name or path, checked; BoardError lists every problem. */
export function loadProfile(spec: string): { profile: BoardProfile; file: string } {
  const byName = !/[\\/]/.test(spec) && !spec.endsWith('.json');
  const file = byName ? join(BOARDS_DIR, `${spec}.json`) : resolve(spec);
  if (byName && !existsSync(file)) {
    const names = boardNames();
    throw new BoardError(`unknown board "${spec}"${didYouMean(spec, names)} (boards: ${names.join(', ')}; or give the path of a profile .json)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = code ? `cannot read it (${code === 'ENOENT' ? 'no such file' : code})` : `not valid JSON: ${(e as Error).message}`;
    throw new BoardError(`${file}: ${message}`, [{ file, code: 'profile', message }]);
  }
  const r = parseProfile(value, file);
  if (!r.ok) throw new BoardError(r.errors.join('\n'), r.errors.map((e) => ({ file, code: 'profile', message: e.startsWith(`${file}: `) ? e.slice(file.length + 2) : e })));
  if (byName && r.profile.name !== spec) {
    const message = `name is "${r.profile.name}"; a profile in targets/boards/ is named like its file ("${spec}")`;
    throw new BoardError(`${file}: ${message}`, [{ file, code: 'profile', message }]);
  }
  return { profile: r.profile, file };
}

/** The engine's board runtime: every file of dist/board-<engine>/ (runner.mjs and what it loads). */
function engineFiles(engine: Engine): Map<string, Uint8Array> {
  const dir = join(DIST_DIR, `board-${engine}`);
  if (!existsSync(join(dir, 'runner.mjs'))) {
    throw new BoardError(`the board runtime of engine "${engine}" is missing (${join(dir, 'runner.mjs')}): run 'node build.mjs' first`);
  }
  const files = new Map<string, Uint8Array>();
  for (const name of readdirSync(dir).sort()) {
    if (OWN_FILES.includes(name)) throw new BoardError(`${join(dir, name)}: a board runtime may not have a file named ${name}`);
    if (statSync(join(dir, name)).isFile()) files.set(name, readFileSync(join(dir, name)));
  }
  return files;
}

/**
 * The profile and the schedule's bytes (a .pws verified, and so unchanged; a
 * project compiled). Both inputs are checked before either's problems are
 * reported, so one run shows the profile's problems and the project's.
 */
async function checkedInputs(req: BuildRequest): Promise<{ profile: BoardProfile; profileFile: string; bytes: Uint8Array; project: string }> {
  let profile: { profile: BoardProfile; file: string } | undefined;
  let refused: BoardError | undefined;
  try {
    profile = loadProfile(req.board);
  } catch (e) {
    if (!(e instanceof BoardError)) throw e;
    refused = e;
  }
  const r = await loadScheduleFile(req.input);
  if (!profile || !r.ok) {
    const problems = [...(refused?.problems ?? []), ...(r.ok ? [] : r.problems)];
    throw new BoardError([...(refused ? [refused.message] : []), ...(r.ok ? [] : r.errors)].join('\n'), problems);
  }
  return { ...scheduleBytes(req.input, r.schedule, profile.profile, profile.file), profile: profile.profile, profileFile: profile.file };
}

/** The schedule's bytes, once the profile's connection addresses are checked against it. */
function scheduleBytes(input: string, schedule: Schedule, profile: BoardProfile, profileFile: string): { bytes: Uint8Array; project: string } {
  // The profile's addresses must name connections the project has; the runner applies them on the board.
  const names = schedule.connections.map((c) => c.name);
  for (const n of Object.keys(profile.connections ?? {})) {
    if (names.includes(n)) continue;
    const message = `connections: ${input} has no connection named "${n}"${didYouMean(n, names)} (it has: ${names.join(', ') || 'none'})`;
    throw new BoardError(`${profileFile}: ${message}`, [{ file: profileFile, code: 'profile', message }]);
  }
  // A .pws decodes only from its canonical encoding, so encoding it again gives the very bytes given.
  return { bytes: encode(schedule), project: schedule.meta.name };
}

function startScript(profile: BoardProfile): string {
  return `#!/bin/sh
# Starts pulsewire on board ${profile.name} (manifest.json lists what is here).
#   ./start [--connect NAME=URL]... [--duration SECONDS] [--ticks N] [--verbose]
# Runs the node on PATH; NODE=/path/to/node ./start picks another.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 1
exec "\${NODE:-node}" "$here/runner.mjs" "$here/schedule.pws" "$@"
`;
}

/** JSON with every object's keys sorted, two-space indented, one trailing newline: stable bytes. */
export function stableJson(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sort)
    : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])]))
    : x;
  return JSON.stringify(sort(v), null, 2) + '\n';
}

/** An existing OUT is replaced only when it is empty or a board folder of ours; never someone's other folder. */
function checkReplaceable(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new BoardError(`${out} exists and is not a folder`);
  if (readdirSync(out).length === 0) return;
  let manifest: { format?: unknown } | undefined;
  try {
    manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  } catch {
    manifest = undefined;
  }
  if (manifest?.format !== MANIFEST_FORMAT) throw new BoardError(`${out} exists and is not a board folder made by pulsewire build; not replacing it`);
}

/** Writes the folder (see the top of this file); throws BoardError before writing anything when an input is bad. */
export async function buildBoard(req: BuildRequest): Promise<BuildResult> {
  const { profile, ...schedule } = await checkedInputs(req);
  const runtime = engineFiles(profile.engine);
  const out = resolve(req.out);
  checkReplaceable(out);

  const contents = new Map<string, Uint8Array | string>([
    ...runtime,
    ['schedule.pws', schedule.bytes],
    ['config.json', stableJson(profile)],
    ['start', startScript(profile)],
  ]);
  const names = [...contents.keys()].sort();
  const files: Record<string, FileEntry> = {};
  for (const name of names) {
    const data = contents.get(name)!;
    files[name] = { bytes: Buffer.byteLength(data), sha256: createHash('sha256').update(data).digest('hex') };
  }
  const manifest = { format: MANIFEST_FORMAT, pulsewire: req.version, project: schedule.project, profile, files };

  const parent = dirname(out);
  let tmp: string | undefined;
  let madeParent: string | undefined;
  try {
    madeParent = mkdirSync(parent, { recursive: true }); // the first folder it had to make, if any
    tmp = mkdtempSync(join(parent, `.${basename(out)}.tmp-`));
    for (const name of names) {
      writeFileSync(join(tmp, name), contents.get(name)!);
      chmodSync(join(tmp, name), name === 'start' ? 0o755 : 0o644);
    }
    writeFileSync(join(tmp, 'manifest.json'), stableJson(manifest));
    chmodSync(join(tmp, 'manifest.json'), 0o644);
    chmodSync(tmp, 0o755); // mkdtemp makes it private
    if (existsSync(out)) {
      const old = `${tmp}-old`;
      renameSync(out, old);
      try {
        renameSync(tmp, out);
      } catch (e) {
        renameSync(old, out);
        throw e;
      }
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, out);
    }
  } catch (e) {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (madeParent) rmSync(madeParent, { recursive: true, force: true });
    throw new BoardError(`cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return { out, profile, files };
}
