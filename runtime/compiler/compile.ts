// compile(): project text or object in, schedule or diagnostics out.
// load (runtime/project) → resolve → whole-graph checks → generate → verify.

import { loadProject } from '../project/load.ts';
import type { Diagnostic } from '../project/model.ts';
import type { Schedule } from '../schedule/schedule.ts';
import { resolve } from './resolve.ts';
import { checkPulseCycles } from './checks.ts';
import { generate } from './generate.ts';
import { verify } from '../schedule/verify.ts';

export type CompileResult = { ok: true; schedule: Schedule; diagnostics: [] } | { ok: false; diagnostics: Diagnostic[] };

export function compile(input: string | unknown, opts: { file?: string } = {}): CompileResult {
  const loaded = loadProject(input, opts);
  if (!loaded.project) return { ok: false, diagnostics: loaded.diagnostics };
  const { graph, diagnostics } = resolve(loaded.project);
  // Always, not only on an otherwise clean graph: a designer sees every problem in one pass (docs/ARCHITECTURE.md).
  // Nodes that failed to resolve are simply not in the graph, so they cannot add false cycles.
  diagnostics.push(...checkPulseCycles(graph));
  if (diagnostics.length) return { ok: false, diagnostics };
  const schedule = generate(graph);
  verify(schedule); // a generated schedule the loader would refuse is a compiler bug: fail loudly here
  return { ok: true, schedule, diagnostics: [] };
}
