// compile(): project text or object in, schedule or diagnostics out.
// load (runtime/project) → resolve → whole-graph checks → generate → verify.
//
// All at once: when the loader refuses the file, the compiler still checks
// what the loader found nothing wrong with (salvage.ts), so one run reports
// everything a designer must fix: an unknown node type shows beside a
// missing key in a connection, not after it is fixed. Every diagnostic
// carries the JSON Pointer of the value it is about, and, when the project
// came as text, its line and column.

import { readProject } from '../project/load.ts';
import type { Diagnostic, ProjectFile } from '../project/model.ts';
import { placeDiagnostics } from '../project/positions.ts';
import type { Schedule } from '../schedule/schedule.ts';
import { resolve } from './resolve.ts';
import { checkPulseCycles } from './checks.ts';
import { generate } from './generate.ts';
import { verify } from '../schedule/verify.ts';
import { reporter } from './report.ts';
import { salvage } from './salvage.ts';

export type CompileResult = { ok: true; schedule: Schedule; diagnostics: [] } | { ok: false; diagnostics: Diagnostic[] };

export function compile(input: string | unknown, opts: { file?: string } = {}): CompileResult {
  const read = readProject(input, opts);
  const refused = read.diagnostics.length > 0;
  const checkable = refused ? salvage(read.data, read.diagnostics) : { project: read.data as ProjectFile, broken: undefined };
  if (!checkable) return { ok: false, diagnostics: read.diagnostics };
  const { graph, diagnostics } = resolve(checkable.project, checkable.broken);
  // Always, not only on an otherwise clean graph: a designer sees every problem in one pass (docs/ARCHITECTURE.md).
  // Nodes that failed to resolve are simply not in the graph, so they cannot add false cycles.
  checkPulseCycles(graph, reporter(diagnostics));
  if (refused || diagnostics.length) {
    if (read.text !== undefined) placeDiagnostics(read.text, diagnostics);
    if (opts.file !== undefined) for (const d of diagnostics) d.file = opts.file;
    return { ok: false, diagnostics: [...read.diagnostics, ...diagnostics] };
  }
  const schedule = generate(graph);
  verify(schedule); // a generated schedule the loader would refuse is a compiler bug: fail loudly here
  return { ok: true, schedule, diagnostics: [] };
}
