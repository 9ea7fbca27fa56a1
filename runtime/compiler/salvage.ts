// What of a refused project the compiler can still check. The loader
// refuses a file with any problem, but one problem must not hide the rest:
// a missing key in one connection says nothing about a mistyped node type
// three scopes away. So when the file parsed and has the right format, the
// compiler checks the parts the loader found nothing wrong with, and only
// those: an item (connection, variable, scope, node, link) with a loader
// diagnostic at or under it is left out, as a hole in its list (so every
// kept item keeps its index, and its diagnostics their paths), and what it
// was called is remembered as `broken`, so that a node naming it is not
// also told that it names nothing.

import type { Diagnostic, ProjectFile } from '../project/model.ts';
import { PROJECT_FORMAT } from '../project/model.ts';
import { isObj, list, nameOf, pointer } from '../project/locate.ts';
import { isTypeName, literalFits } from '../values.ts';
import { PLUGINS, type PluginName } from './connections.ts';

/** Names of things the loader refused: a reference to one of them is not reported again. */
export interface Broken {
  connections: Set<string>;
  /** Qualified like the variable table: `name` in the Project, `Scene/name` in a scene. */
  variables: Set<string>;
  scenes: Set<string>;
  functions: Set<string>;
}

export const nothingBroken = (): Broken => ({ connections: new Set(), variables: new Set(), scenes: new Set(), functions: new Set() });

type Obj = Record<string, unknown>;

/** The checkable part of a refused file, or undefined when nothing can be checked (not a project of this format). */
export function salvage(data: unknown, diagnostics: readonly Diagnostic[]): { project: ProjectFile; broken: Broken } | undefined {
  if (!isObj(data) || data.format !== PROJECT_FORMAT) return undefined;
  // Every path with a diagnostic at or under it.
  const faulty = new Set<string>();
  for (const d of diagnostics) {
    const segs = (d.path ?? '').split('/');
    for (let i = 1; i <= segs.length; i++) faulty.add(segs.slice(0, i).join('/'));
  }
  const ok = (...segs: Array<string | number>) => !faulty.has(pointer(segs));
  // Scopes with a problem of their own (kind, name, a list that is not a list, a key it may not have,
  // its name taken); problems inside its nodes, links and variables are theirs.
  const ownFault = new Set<number>();
  for (const d of diagnostics) {
    const m = /^\/scopes\/([0-9]+)(\/[^/]*)?$/.exec(d.path ?? '');
    if (m) ownFault.add(Number(m[1]));
  }
  const broken = nothingBroken();
  const settings = isObj(data.settings) ? data.settings : {};

  const project: ProjectFile = {
    format: PROJECT_FORMAT,
    name: typeof data.name === 'string' ? data.name : '',
    settings: { plugins: plugins(settings.plugins), ...connections(settings, ok, broken) },
    variables: variables(data.variables, ['variables'], '', ok, broken),
    scopes: [],
  };
  const seen = { Scene: new Set<string>(), Function: new Set<string>() };
  list(data.scopes).forEach((s, i) => {
    const kind = isObj(s) ? s.kind : undefined;
    const name = isObj(s) ? nameOf(s.name) : undefined;
    if (!isObj(s) || (kind !== 'Project' && kind !== 'Scene' && kind !== 'Function')) return;
    if (kind !== 'Project' && (name === undefined || ownFault.has(i) || seen[kind].has(name))) {
      if (name !== undefined) (kind === 'Scene' ? broken.scenes : broken.functions).add(name);
      return;
    }
    if (kind !== 'Project') seen[kind].add(name!);
    const base = ['scopes', i];
    const scope = {
      kind, name, nodes: nodes(s.nodes, base, ok), links: links(s.links, base, ok),
      ...(kind === 'Scene' ? { variables: variables(s.variables, [...base, 'variables'], `${name}/`, ok, broken) } : {}),
      ...(kind === 'Function' ? { parameters: params(s.parameters), results: params(s.results) } : {}),
    };
    project.scopes[i] = scope as ProjectFile['scopes'][number];
  });
  return { project, broken };
}

function plugins(v: unknown): Record<PluginName, boolean> {
  const p = isObj(v) ? v : {};
  return { WebSocket: p.WebSocket !== false, 'Socket.IO': p['Socket.IO'] !== false };
}

/** Connections with a usable Name and URL and no problem of their own; only Name, URL and Port are kept (nothing is generated). */
function connections(settings: Obj, ok: (...s: Array<string | number>) => boolean, broken: Broken): Partial<ProjectFile['settings']> {
  const out: Record<string, unknown[]> = {};
  for (const plugin of Object.keys(PLUGINS) as PluginName[]) {
    const key = PLUGINS[plugin].settings;
    const kept: unknown[] = [];
    list(settings[key]).forEach((c, i) => {
      const name = isObj(c) ? nameOf(c.Name) : undefined;
      const fine = isObj(c) && name !== undefined && typeof c.URL === 'string' && ok('settings', key, i)
        && (c.Port === undefined || Number.isInteger(c.Port));
      if (fine) kept[i] = { Name: name, URL: c.URL, ...(c.Port !== undefined ? { Port: c.Port } : {}) };
      else if (name !== undefined) broken.connections.add(name);
    });
    out[key] = kept;
  }
  return out;
}

/** Variables with a usable name and type, the first of each name; a refused initial value is dropped (the type's default stands in). */
function variables(v: unknown, base: Array<string | number>, prefix: string, ok: (...s: Array<string | number>) => boolean, broken: Broken) {
  const kept: Array<{ name: string; type: never; initial?: unknown }> = [];
  const names = new Set<string>();
  list(v).forEach((x, k) => {
    const name = isObj(x) ? nameOf(x.name) : undefined;
    if (!isObj(x) || name === undefined || !isTypeName(x.type) || names.has(name) || !ok(...base, k, 'name') || !ok(...base, k, 'type')) {
      if (name !== undefined && !names.has(name)) broken.variables.add(prefix + name);
      return;
    }
    names.add(name);
    const initial = 'initial' in x && ok(...base, k, 'initial') && literalFits(x.initial, x.type) ? { initial: x.initial } : {};
    kept[k] = { name, type: x.type as never, ...initial };
  });
  return kept;
}

function params(v: unknown): Array<{ name: string; type: never }> {
  const names = new Set<string>();
  return list(v).flatMap((p) => {
    const name = isObj(p) ? nameOf(p.name) : undefined;
    if (!isObj(p) || name === undefined || !isTypeName(p.type) || names.has(name) || name === '►') return [];
    names.add(name);
    return [{ name, type: p.type as never }];
  });
}

/** Nodes with no problem at or under them and an id no other node of the scope has. */
function nodes(v: unknown, base: Array<string | number>, ok: (...s: Array<string | number>) => boolean) {
  const count = new Map<string, number>();
  for (const n of list(v)) {
    const id = isObj(n) ? nameOf(n.id) : undefined;
    if (id !== undefined) count.set(id, (count.get(id) ?? 0) + 1);
  }
  const kept: unknown[] = [];
  list(v).forEach((n, j) => {
    if (isObj(n) && typeof n.type === 'string' && count.get(nameOf(n.id) ?? '') === 1 && ok(...base, 'nodes', j)) kept[j] = n;
  });
  return kept as never[];
}

/**
 * Links with no problem at or under them. A refused link whose `to` end is
 * readable is kept with an unknown `from` node: like a link from a node of
 * an unknown type, it feeds its input (no "needs a link or a value" there)
 * and is checked no further.
 */
function links(v: unknown, base: Array<string | number>, ok: (...s: Array<string | number>) => boolean) {
  const end = (e: unknown): [string, string] | undefined => (Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string' ? [e[0], e[1]] : undefined);
  const kept: unknown[] = [];
  list(v).forEach((l, k) => {
    const from = isObj(l) ? end(l.from) : undefined;
    const to = isObj(l) ? end(l.to) : undefined;
    if (from && to && ok(...base, 'links', k)) kept[k] = { from, to };
    else if (to) kept[k] = { from: ['\u0000refused', ''], to };
  });
  return kept as never[];
}
