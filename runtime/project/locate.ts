// Maps a place in the project file (a JSON Pointer such as
// /scopes/2/nodes/5/attributes) to what a designer sees in the editor: the
// scope label, the node id, and a subject phrase (`node "n5"`,
// `connection "Telemetry"`) plus the field inside it (`reconnect.factor`).
//
// The data may be invalid (this runs on the same file the schema just
// rejected), so every access is guarded: a missing name or id falls back to
// the file's own index notation (`nodes[5]`), never to an exception.

import { shorten } from '../suggest.ts';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A non-empty string, or undefined. */
export const nameOf = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export type SubjectKind = 'file' | 'settings' | 'connection' | 'variable' | 'scope' | 'node' | 'link' | 'param';

export interface Place {
  scope: string;
  node?: string;
  kind: SubjectKind;
  /** What the problem is about: `node "n5"`; empty for the file's top level and for settings. */
  subject: string;
  /** The path inside the subject, dotted (`reconnect.factor`, `from[0]`); empty for the subject itself. */
  field: string;
}

export const pointer = (segs: ReadonlyArray<string | number>): string =>
  segs.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

export const parsePointer = (p: string): string[] =>
  p === '' ? [] : p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

/** `reconnect.factor`, `from[0]`: a path inside a subject, as designers read it. */
export function fieldOf(segs: readonly string[]): string {
  let out = '';
  for (const s of segs) out += /^[0-9]+$/.test(s) ? `[${s}]` : (out === '' ? '' : '.') + shorten(s);
  return out;
}

/** `Project`, `Scene:Main`, `Function:f`; `scopes[3]` when the scope has no usable kind or name. */
export function scopeLabelAt(scopes: unknown, i: number): string {
  const s = list(scopes)[i];
  const kind = isObj(s) ? s.kind : undefined;
  if (kind === 'Project') return 'Project';
  const name = isObj(s) ? nameOf(s.name) : undefined;
  if ((kind === 'Scene' || kind === 'Function') && name !== undefined) return `${kind}:${name}`;
  return `scopes[${i}]`;
}

/** `Scene "Main"`, `the Project scope`, `scopes[3]`. */
export function scopeSubject(label: string): string {
  if (label === 'Project') return 'the Project scope';
  const m = /^(Scene|Function):(.*)$/.exec(label);
  return m ? `${m[1]} "${shorten(m[2])}"` : label;
}

/** `node "n5"`, or `nodes[5]` when it has no id. */
export const nodeSubject = (node: unknown, j: number): string => {
  const id = isObj(node) ? nameOf(node.id) : undefined;
  return id !== undefined ? `node "${shorten(id)}"` : `nodes[${j}]`;
};

const endOf = (v: unknown): [string, string] | undefined =>
  Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string' ? [v[0], v[1]] : undefined;

/** `link n1.► → n2.Message`, or `links[3]` when its ends are malformed. */
export function linkSubject(link: unknown, j: number): string {
  const from = isObj(link) ? endOf(link.from) : undefined;
  const to = isObj(link) ? endOf(link.to) : undefined;
  return from && to ? `link ${shorten(from[0])}.${shorten(from[1])} → ${shorten(to[0])}.${shorten(to[1])}` : `links[${j}]`;
}

/** The node a link diagnostic is attached to: the `from` node if it exists in the scope, else the `to` node if that does. */
export function linkNode(link: unknown, ids: ReadonlySet<string>): string | undefined {
  if (!isObj(link)) return undefined;
  for (const end of [link.from, link.to]) {
    const e = endOf(end);
    if (e && ids.has(e[0])) return e[0];
  }
  return undefined;
}

/** Ids of the nodes of one scope (only the well-formed ones). */
export function nodeIds(scope: unknown): Set<string> {
  const ids = new Set<string>();
  for (const n of list(isObj(scope) ? scope.nodes : undefined)) {
    const id = isObj(n) ? nameOf(n.id) : undefined;
    if (id !== undefined) ids.add(id);
  }
  return ids;
}

const named = (noun: string, item: unknown, listName: string, j: number, key = 'name'): string => {
  const n = isObj(item) ? nameOf(item[key]) : undefined;
  return n !== undefined ? `${noun} "${shorten(n)}"` : `${listName}[${j}]`;
};

/** Where a JSON Pointer points, in the editor's terms. */
export function locate(data: unknown, path: string): Place {
  const segs = parsePointer(path);
  const root = isObj(data) ? data : {};
  const [top, a, b, c, d] = segs;
  const idx = (s: string | undefined) => (s !== undefined && /^[0-9]+$/.test(s) ? Number(s) : -1);

  if (top === 'settings') {
    const settings = isObj(root.settings) ? root.settings : {};
    if ((a === 'webSocketConnections' || a === 'socketIOConnections') && idx(b) >= 0) {
      const conn = list(settings[a])[idx(b)];
      return { scope: 'settings', kind: 'connection', subject: named('connection', conn, a, idx(b), 'Name'), field: fieldOf(segs.slice(3)) };
    }
    return { scope: 'settings', kind: 'settings', subject: '', field: fieldOf(segs.slice(1)) };
  }
  if (top === 'variables' && idx(a) >= 0) {
    const v = list(root.variables)[idx(a)];
    return { scope: 'Project', kind: 'variable', subject: named('variable', v, 'variables', idx(a)), field: fieldOf(segs.slice(2)) };
  }
  if (top === 'scopes' && idx(a) >= 0) {
    const scope = list(root.scopes)[idx(a)];
    const label = scopeLabelAt(root.scopes, idx(a));
    const items = isObj(scope) ? list(scope[b ?? '']) : [];
    const j = idx(c);
    const rest = fieldOf(segs.slice(4));
    if (b === 'nodes' && j >= 0) {
      const node = items[j];
      const id = isObj(node) ? nameOf(node.id) : undefined;
      return { scope: label, node: id, kind: 'node', subject: nodeSubject(node, j), field: rest };
    }
    if (b === 'links' && j >= 0) {
      // Everything wrong inside one end of a link is one problem with that end.
      const field = d === 'from' || d === 'to' ? d : rest;
      return { scope: label, node: linkNode(items[j], nodeIds(scope)), kind: 'link', subject: linkSubject(items[j], j), field };
    }
    if (b === 'variables' && j >= 0) return { scope: label, kind: 'variable', subject: named('variable', items[j], 'variables', j), field: rest };
    if ((b === 'parameters' || b === 'results') && j >= 0) {
      const noun = b === 'parameters' ? 'parameter' : 'result';
      return { scope: label, kind: 'param', subject: named(noun, items[j], b, j), field: rest };
    }
    return { scope: label, kind: 'scope', subject: scopeSubject(label), field: fieldOf(segs.slice(2)) };
  }
  return { scope: 'Project', kind: 'file', subject: '', field: fieldOf(segs) };
}
