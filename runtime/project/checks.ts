// Structural checks: the rules of a project file that a JSON Schema cannot
// state and that need no node catalogue (node types, attributes, pins and
// cycles are the compiler's). They run even when the schema check failed, so
// a designer sees every problem in one pass; hence every access is guarded
// and a malformed part (already reported by the schema) is skipped, not
// reported twice.

import type { Diagnostic } from './model.ts';
import { isTypeName, literalFits, type TypeName } from '../values.ts';
import { isObj, list, nameOf, pointer, scopeLabelAt, scopeSubject, linkSubject, linkNode, nodeIds } from './locate.ts';
import { didYouMean, hintIn, shorten } from '../suggest.ts';
import type { LoadCode } from './codes.ts';

type Path = Array<string | number>;
type Named = { name: string; path: Path };

/** Each name that occurs more than once: its count and the path of its second occurrence. */
function duplicates(items: readonly Named[]): Array<{ name: string; count: number; path: Path }> {
  const seen = new Map<string, { count: number; path: Path }>();
  for (const it of items) {
    const s = seen.get(it.name);
    if (!s) seen.set(it.name, { count: 1, path: it.path });
    else if (++s.count === 2) s.path = it.path;
  }
  return [...seen].filter(([, s]) => s.count > 1).map(([name, s]) => ({ name, ...s }));
}

/** Items of a list that carry a usable name under `key`, with their paths. */
function namedItems(items: unknown, key: string, base: Path): Named[] {
  const out: Named[] = [];
  list(items).forEach((it, i) => {
    const name = isObj(it) ? nameOf(it[key]) : undefined;
    if (name !== undefined) out.push({ name, path: [...base, i] });
  });
  return out;
}

const EXPECTED: Record<TypeName, string> = {
  Any: 'any JSON value',
  Bool: 'true or false',
  Int: 'a whole number',
  Float: 'a number',
  String: 'a string',
  Binary: 'a hex string with two digits per byte, e.g. "0a1b"',
};

/** `1.5 is not`, `is a list, not`: a scalar shown as JSON (shortened), a list or object only by its kind (it may be huge or nested deep). */
const isNot = (v: unknown): string => {
  if (Array.isArray(v)) return 'is a list, not';
  if (typeof v === 'object' && v !== null) return 'is an object, not';
  const s = JSON.stringify(v) ?? String(v);
  return `${s.length > 40 ? s.slice(0, 40) + '…' : s} is not`;
};

export function structuralDiagnostics(data: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: LoadCode, scope: string, path: Path, message: string, node?: string) => {
    const d: Diagnostic = { code, scope, message, path: pointer(path) };
    if (node !== undefined) d.node = node;
    const hint = hintIn(message);
    if (hint !== undefined) d.hint = hint;
    out.push(d);
  };
  if (!isObj(data)) return out;
  const scopes = list(data.scopes);
  const settings = isObj(data.settings) ? data.settings : {};

  // Exactly one Project scope (the schema cannot say "exactly one" in draft-07).
  // Not "missing" while some scope's kind is unreadable: that one may be it
  // (`"kind": "project"`), and the schema has already said so.
  if (Array.isArray(data.scopes)) {
    const projects = scopes.map((s, i) => (isObj(s) && s.kind === 'Project' ? i : -1)).filter((i) => i >= 0);
    const kindsOk = scopes.every((s) => isObj(s) && (s.kind === 'Project' || s.kind === 'Scene' || s.kind === 'Function'));
    if (projects.length === 0 && kindsOk) {
      report('missing-project-scope', 'Project', ['scopes'], 'the project has no Project scope; add {"kind": "Project", "nodes": []} to "scopes" (it may be empty)');
    } else if (projects.length > 1) {
      report('duplicate-project-scope', 'Project', ['scopes', projects[1]], `the project has ${projects.length} Project scopes; there must be exactly one`);
    }
  }

  // Scenes and functions are picked by name (Load Scene, startScene, Function nodes).
  const scenes: Named[] = [];
  const functions: Named[] = [];
  scopes.forEach((s, i) => {
    const name = isObj(s) ? nameOf(s.name) : undefined;
    if (!isObj(s) || name === undefined) return;
    if (s.kind === 'Scene') scenes.push({ name, path: ['scopes', i] });
    if (s.kind === 'Function') functions.push({ name, path: ['scopes', i] });
  });
  for (const d of duplicates(scenes)) {
    report('duplicate-scene-name', `Scene:${d.name}`, d.path, `${d.count} scenes are named "${shorten(d.name)}"; scene names must be unique (Load Scene and startScene pick scenes by name)`);
  }
  for (const d of duplicates(functions)) {
    report('duplicate-function-name', `Function:${d.name}`, d.path, `${d.count} functions are named "${shorten(d.name)}"; function names must be unique (Function nodes call them by name)`);
  }

  // Connections: one namespace for both kinds, since a node's Configuration holds only a Name.
  const conns = [
    ...namedItems(settings.webSocketConnections, 'Name', ['settings', 'webSocketConnections']),
    ...namedItems(settings.socketIOConnections, 'Name', ['settings', 'socketIOConnections']),
  ];
  for (const d of duplicates(conns)) {
    report('duplicate-connection-name', 'settings', d.path, `${d.count} connections are named "${shorten(d.name)}"; connection Names must be unique across WebSocket and Socket.IO connections, because nodes pick a connection by its Name`);
  }
  for (const kind of ['webSocketConnections', 'socketIOConnections'] as const) {
    list(settings[kind]).forEach((conn, i) => {
      // Only when both are given: a lone highWaterBytes below the default low mark is clamped by the binding.
      const sb = isObj(conn) && isObj(conn.sendBuffer) ? conn.sendBuffer : {};
      if (typeof sb.highWaterBytes !== 'number' || typeof sb.lowWaterBytes !== 'number' || sb.lowWaterBytes <= sb.highWaterBytes) return;
      const who = isObj(conn) && nameOf(conn.Name) !== undefined ? `connection "${shorten(String(conn.Name))}"` : `${kind}[${i}]`;
      report('send-buffer-watermarks', 'settings', ['settings', kind, i, 'sendBuffer'], `${who}: sendBuffer.lowWaterBytes (${sb.lowWaterBytes}) must not be above highWaterBytes (${sb.highWaterBytes})`);
    });
  }

  const start = nameOf(settings.startScene);
  if (start !== undefined && Array.isArray(data.scopes) && !scenes.some((s) => s.name === start)) {
    const why = scenes.length === 0 ? '; the project has no scenes' : didYouMean(start, scenes.map((s) => s.name));
    report('unknown-start-scene', 'settings', ['settings', 'startScene'], `startScene "${shorten(start)}" names no scene${why}`);
  }

  checkVariables(data.variables, ['variables'], 'Project', 'the project variables');

  scopes.forEach((scope, i) => {
    if (!isObj(scope)) return;
    const label = scopeLabelAt(scopes, i);
    const where = scopeSubject(label);
    const base: Path = ['scopes', i];
    if (scope.kind === 'Scene') checkVariables(scope.variables, [...base, 'variables'], label, where);
    if (scope.kind === 'Function') {
      for (const key of ['parameters', 'results'] as const) {
        const noun = key === 'parameters' ? 'parameter' : 'result';
        const items = namedItems(scope[key], 'name', [...base, key]);
        for (const d of duplicates(items)) report('duplicate-parameter', label, d.path, `${d.count} ${key} are named "${shorten(d.name)}" in ${where}`);
        for (const it of items) {
          if (it.name === '►') report('reserved-parameter-name', label, it.path, `${noun} "►": ► is the name of the pulse pins of the Function node; choose another name`);
        }
      }
    }

    for (const d of duplicates(namedItems(scope.nodes, 'id', [...base, 'nodes']))) {
      report('duplicate-node-id', label, d.path, `${d.count} nodes have the id "${shorten(d.name)}" in ${where}; node ids must be unique within a scope`, d.name);
    }

    // If a node has no usable id (reported by the schema), a link may well
    // mean it: a dangling-link report would blame the wrong thing.
    const ids = nodeIds(scope);
    const allNamed = Array.isArray(scope.nodes) && scope.nodes.every((n) => isObj(n) && nameOf(n.id) !== undefined);
    if (!allNamed) return;
    list(scope.links).forEach((link, j) => {
      if (!isObj(link)) return;
      for (const end of ['from', 'to'] as const) {
        const e = link[end];
        const id = Array.isArray(e) ? nameOf(e[0]) : undefined;
        if (id === undefined || ids.has(id)) continue;
        report('unknown-link-node', label, [...base, 'links', j, end], `${linkSubject(link, j)}: there is no node "${shorten(id)}" in ${where}`, linkNode(link, ids));
      }
    });
  });
  return out;

  function checkVariables(vars: unknown, base: Path, scope: string, where: string) {
    const items = namedItems(vars, 'name', base);
    for (const d of duplicates(items)) report('duplicate-variable-name', scope, d.path, `${d.count} variables are named "${shorten(d.name)}" in ${where}`);
    list(vars).forEach((v, k) => {
      if (!isObj(v) || !('initial' in v) || !isTypeName(v.type) || literalFits(v.initial, v.type)) return;
      const name = nameOf(v.name) ?? `${base[base.length - 1]}[${k}]`;
      report('bad-initial-value', scope, [...base, k, 'initial'], `variable "${shorten(name)}" is ${v.type}, but its initial value ${isNot(v.initial)} ${EXPECTED[v.type]}`);
    });
  }
}
