// Values a schedule can store. A project file is valid JSON that the .pws
// format may still refuse: JSON escapes can write a lone UTF-16 surrogate
// ("\ud800"), which UTF-8 cannot hold, into any string (the name, a node id,
// a literal); and a literal, an initial value, an attribute or a Socket.IO
// auth payload may be nested deeper than the schedule stores (MAX_JSON_DEPTH)
// or than the compiler's own walks could follow. Both are the designer's to
// fix, so both are diagnostics here, never a crash further on.
//
// One walk over the whole file with an explicit stack (a file nested a
// million deep must not overflow the call stack). Depth is counted from the
// top of each free-form value, the way the schedule counts a constant's.

import { MAX_JSON_DEPTH, isWellFormed } from '../schedule/verify.ts';
import type { Diagnostic } from './model.ts';
import type { LoadCode } from './codes.ts';
import { locate, pointer } from './locate.ts';

/**
 * Where the walk is in the file's structure: which keys lead into a free-form
 * value. `value` is inside one; `other` is anything the schema describes
 * (whatever is wrong there is the schema's to say).
 */
type At = 'file' | 'settings' | 'connections' | 'connection' | 'scopes' | 'scope' | 'nodes' | 'node' | 'valueMap' | 'variables' | 'variable' | 'other' | 'value';

const CHILD: Record<Exclude<At, 'value' | 'other'>, (key: string) => At> = {
  file: (k) => (k === 'settings' ? 'settings' : k === 'scopes' ? 'scopes' : k === 'variables' ? 'variables' : 'other'),
  settings: (k) => (k === 'webSocketConnections' || k === 'socketIOConnections' ? 'connections' : 'other'),
  connections: () => 'connection',
  connection: (k) => (k === 'auth' ? 'value' : 'other'),
  scopes: () => 'scope',
  scope: (k) => (k === 'nodes' ? 'nodes' : k === 'variables' ? 'variables' : 'other'),
  nodes: () => 'node',
  node: (k) => (k === 'inputs' || k === 'attributes' ? 'valueMap' : 'other'),
  valueMap: () => 'value',
  variables: () => 'variable',
  variable: (k) => (k === 'initial' ? 'value' : 'other'),
};

interface Frame {
  v: unknown;
  at: At;
  /** Brackets above this value within its free-form value (the schedule stores auth inside the options object: one more). */
  depth: number;
  parent?: Frame;
  key?: string | number;
}

const pathOf = (f: Frame): string => {
  const segs: Array<string | number> = [];
  for (let x: Frame | undefined = f; x?.parent; x = x.parent) segs.push(x.key!);
  return pointer(segs.reverse());
};

/** A lone surrogate shown as its escape, so a message can name it. */
const loneSurrogate = (s: string): string => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    else if (c >= 0xd800 && c <= 0xdfff) return `\\u${c.toString(16)}`;
  }
  return '';
};

export function storableDiagnostics(data: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: LoadCode, f: Frame, what: string) => {
    const path = pathOf(f);
    const p = locate(data, path);
    const lead = p.subject && p.field ? `${p.subject}: ${p.field}` : p.subject || p.field || 'the project name';
    const d: Diagnostic = { code, scope: p.scope, message: `${lead} ${what}`, path };
    if (p.node !== undefined) d.node = p.node;
    out.push(d);
  };
  const deepReported = new Set<Frame>(); // the free-form values already said to be too deep
  const stack: Frame[] = [{ v: data, at: 'file', depth: 0 }];
  while (stack.length) {
    const f = stack.pop()!;
    if (typeof f.v === 'string') {
      if (!isWellFormed(f.v)) report('lone-surrogate', f, `holds a lone UTF-16 surrogate (${loneSurrogate(f.v)}), which UTF-8 and so the schedule cannot store; write the whole character, or remove it`);
      continue;
    }
    if (typeof f.v !== 'object' || f.v === null) continue;
    if (f.at === 'value' && f.depth >= MAX_JSON_DEPTH) {
      let root = f;
      while (root.parent && root.parent.at === 'value') root = root.parent;
      if (!deepReported.has(root)) {
        deepReported.add(root);
        report('nested-too-deep', root, `is nested deeper than ${MAX_JSON_DEPTH} levels of lists and objects; a schedule stores at most ${MAX_JSON_DEPTH}`);
      }
      continue;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(f.v) ? f.v.map((x, i) => [i, x]) : Object.entries(f.v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, v] = entries[i];
      if (typeof key === 'string' && !isWellFormed(key)) {
        report('lone-surrogate', { v, at: 'other', depth: 0, parent: f, key }, `has a key that holds a lone UTF-16 surrogate (${loneSurrogate(key)}), which UTF-8 and so the schedule cannot store`);
      }
      const at: At = f.at === 'value' ? 'value' : f.at === 'other' ? 'other' : CHILD[f.at](String(key));
      // A Socket.IO auth payload is stored inside the connection's options object: one level more.
      const depth = f.at === 'value' ? f.depth + 1 : at === 'value' && f.at === 'connection' ? 1 : 0;
      stack.push({ v, at, depth, parent: f, key });
    }
  }
  return out;
}
