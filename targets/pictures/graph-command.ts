// `pulsewire graph`: the picture of a project's graphs (or of a schedule's,
// from its debug map), as SVG or as one HTML page. The CLI imports this
// module only when the command runs: it is what loads ELK.

import { readFileSync } from 'node:fs';
import { compile } from '../../runtime/compiler/index.ts';
import { loadProject } from '../../runtime/project/load.ts';
import { formatDiagnostic } from '../../runtime/project/model.ts';
import { decode, ScheduleError } from '../../runtime/schedule/index.ts';
import { isScheduleBytes } from '../shared/load.ts';
import { looseProject, projectDiagram, type Diagram } from './diagram.ts';
import { scheduleDiagram } from './schedule-diagram.ts';
import { layoutScope, type PlacedScope } from './layout.ts';
import { diagramSvg } from './graph-svg.ts';
import { diagramHtml } from './graph-html.ts';

/** A reason the picture cannot be made at all (an unreadable file, JSON that does not parse): exit 1. */
export class GraphError extends Error {}

export interface GraphResult {
  diagram: Diagram;
  /** Problems of the project (drawn on the picture too), as the CLI prints them. */
  problems: string[];
}

/** The diagram of a project or schedule file; problems of the project are marked on it, not thrown. */
export function readDiagram(file: string): GraphResult {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new GraphError(`${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code ?? (e as Error).message})`);
  }
  const name = file.split(/[\\/]/).pop() ?? file;
  if (isScheduleBytes(bytes) || file.endsWith('.pws')) {
    try {
      return { diagram: scheduleDiagram(decode(bytes), name), problems: [] };
    } catch (e) {
      if (e instanceof ScheduleError) throw new GraphError(`${file}: ${e.message}`);
      throw e;
    }
  }
  const text = new TextDecoder().decode(bytes);
  const loaded = loadProject(text, { file });
  if (loaded.project) {
    const diagnostics = compile(loaded.project, { file }).diagnostics;
    return { diagram: projectDiagram(loaded.project, diagnostics, name), problems: diagnostics.map((d) => formatDiagnostic(file, d)) };
  }
  // The file does not load as a project (schema errors): draw what its JSON still says, with every problem.
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GraphError(loaded.diagnostics.map((d) => formatDiagnostic(file, d)).join('\n'));
  }
  const loose = looseProject(json);
  if (!loose) throw new GraphError(loaded.diagnostics.map((d) => formatDiagnostic(file, d)).join('\n'));
  return { diagram: projectDiagram(loose, loaded.diagnostics, name), problems: loaded.diagnostics.map((d) => formatDiagnostic(file, d)) };
}

/** The scopes to draw: all, or the one `--scope` names (`Dashboard` or `Scene:Dashboard`). */
export function pickScopes(d: Diagram, scope: string | undefined): Diagram {
  if (scope === undefined) return d;
  const found = d.scopes.filter((s) => s.label === scope || s.label.slice(s.label.indexOf(':') + 1) === scope);
  if (found.length === 0) throw new GraphError(`no scope named "${scope}" (scopes: ${d.scopes.map((s) => s.label).join(', ')})`);
  return { ...d, scopes: found.slice(0, 1) };
}

export async function layoutAll(d: Diagram): Promise<PlacedScope[]> {
  const out: PlacedScope[] = [];
  for (const s of d.scopes) out.push(await layoutScope(s));
  return out;
}

/** The picture's text in a format. */
export async function render(d: Diagram, format: 'svg' | 'html'): Promise<string> {
  const placed = await layoutAll(d);
  return format === 'html' ? diagramHtml(d, placed) : diagramSvg(d, placed);
}
