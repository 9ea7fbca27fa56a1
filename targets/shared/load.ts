// Loading what the CLI and the HIL kit are given: a project file (.json,
// compiled on the spot) or a schedule file (.pws, verified on load). Either
// way the result is a schedule or readable errors — never a stack trace.
//
// The compiler (and its schema validator, ajv) is loaded only for a project:
// running a .pws never needs it.

import { readFileSync } from 'node:fs';
import { decode, ScheduleError, MAGIC } from '../../runtime/schedule/index.ts';
import { formatDiagnostic, diagnosticJson, type Diagnostic } from '../../runtime/project/model.ts';
import type { Schedule } from '../../runtime/schedule/schedule.ts';
import type { compile as compileProject } from '../../runtime/compiler/index.ts';

export const isScheduleBytes = (b: Uint8Array): boolean => b.length >= MAGIC.length && MAGIC.every((m: number, i: number) => b[i] === m);
const isSchedule = (bytes: Uint8Array, file: string) => isScheduleBytes(bytes) || file.endsWith('.pws');

/**
 * A problem with a file given: a project's diagnostic, or a file that cannot
 * be read or is not a valid schedule (code `unreadable`, `bad-schedule`).
 */
export interface Problem extends Partial<Diagnostic> {
  file: string;
  code: string;
  message: string;
}

/** A problem as the CLI prints it: a line of text, or a line of JSON (`--format json`). */
export function formatProblem(p: Problem, format: 'text' | 'json'): string {
  if (format === 'json') return diagnosticJson(p.file, p);
  return p.scope !== undefined ? formatDiagnostic(p.file, p as Diagnostic) : `${p.file}: ${p.message}`;
}

export type Loaded = { ok: true; schedule: Schedule } | { ok: false; errors: string[]; problems: Problem[] };

const failed = (problems: Problem[]): Loaded => ({ ok: false, problems, errors: problems.map((p) => formatProblem(p, 'text')) });

/** A schedule from the bytes of a project or schedule file; `file` names it in messages. `compile` compiles a project. */
export function loadSchedule(bytes: Uint8Array, file: string, compile: typeof compileProject): Loaded {
  if (isSchedule(bytes, file)) {
    try {
      return { ok: true, schedule: decode(bytes) };
    } catch (e) {
      if (e instanceof ScheduleError) return failed([{ file, code: 'bad-schedule', message: e.message }]);
      throw e;
    }
  }
  const text = new TextDecoder().decode(bytes);
  const r = compile(text, { file });
  if (!r.ok) return failed(r.diagnostics.map((d) => ({ ...d, file })));
  return { ok: true, schedule: r.schedule };
}

/** Points connections at other addresses (test back ends, a board's own network), by Name. */
export function overrideConnections(s: Schedule, urls: Record<string, string>): Schedule {
  const names = new Set(s.connections.map((c) => c.name));
  for (const n of Object.keys(urls)) if (!names.has(n)) throw new Error(`no connection named "${n}" (there are: ${[...names].join(', ') || 'none'})`);
  return { ...s, connections: s.connections.map((c) => (urls[c.name] ? { ...c, url: urls[c.name] } : c)) };
}

/** A schedule from a project or schedule file on disk; an unreadable file is an error like the others. */
export async function loadScheduleFile(file: string): Promise<Loaded> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return failed([{ file, code: 'unreadable', message: `cannot read it (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code ?? (e as Error).message})` }]);
  }
  const compile = isSchedule(bytes, file) ? notNeeded : (await import('../../runtime/compiler/index.ts')).compile;
  return loadSchedule(bytes, file, compile);
}

const notNeeded: typeof compileProject = () => {
  throw new Error('a schedule file needs no compiler');
};
