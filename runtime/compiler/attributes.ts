// A node's attributes: each given one known, each required one given, each
// value of the kind its catalogue entry says, then the rules between them.

import type { RNode } from './graph.ts';
import type { AttrSpec } from './catalogue/types.ts';
import type { CompileCode } from './codes.ts';
import { TYPES, isTypeName } from '../values.ts';
import { closest, shorten } from '../suggest.ts';
import { suggestion } from './report.ts';

/** A node's report: `where` is the path inside the node the problem is about (['attributes', 'Type']), none for the node itself. */
export type NodeReport = (code: CompileCode, message: string, where?: Array<string | number>, hint?: string) => void;

/** Bounds of attribute values: a count (Input Count, Pulse Count), a list (Cases), a list of types (Parameters). The schema states them too. */
export const ATTRIBUTE_BOUNDS = { intMax: 10_000, listMax: 10_000, typesMax: 64 } as const;

/** Fills defaults into node.attrs and checks every attribute; false when the node's pins cannot be known. */
export function resolveAttributes(node: RNode, at: NodeReport): boolean {
  const specs = node.spec.attributes;
  const given = node.decl.attributes ?? {};
  let ok = true;
  for (const name of Object.keys(given)) {
    if (!specs.some((s) => s.name === name)) {
      const near = suggestion(closest(name, specs.map((s) => s.name)));
      at('unknown-attribute', `${node.decl.type} has no attribute "${shorten(name)}"${near.text}`, ['attributes', name], near.hint);
    }
  }
  for (const s of specs) {
    const v = given[s.name] ?? s.default;
    if (v === undefined) {
      at('missing-attribute', `${node.decl.type} needs the attribute "${s.name}"`, node.decl.attributes ? ['attributes'] : []);
      ok = false;
      continue;
    }
    const problem = attributeProblem(s, v);
    if (problem) {
      at('bad-attribute', `attribute "${s.name}" ${problem}`, s.name in given ? ['attributes', s.name] : []);
      ok = false;
      continue;
    }
    node.attrs[s.name] = v;
  }
  // Rules between attributes (a Switch's Cases must be values of its Data Type).
  const cross = ok ? node.spec.checkAttributes?.(node.attrs) : undefined;
  if (cross) {
    at('bad-attribute', `attribute "${cross.attribute}" ${cross.problem}`, cross.attribute in given ? ['attributes', cross.attribute] : []);
    ok = false;
  }
  return ok;
}

/** What is wrong with one attribute's value, by its kind; undefined when it is fine. */
export function attributeProblem(s: AttrSpec, v: unknown): string | undefined {
  switch (s.kind) {
    case 'string': case 'connection': case 'scene': case 'variable': case 'function':
      return typeof v === 'string' ? undefined : 'must be text';
    case 'bool':
      return typeof v === 'boolean' ? undefined : 'must be true or false';
    case 'int':
      return Number.isInteger(v) && (v as number) >= (s.min ?? 0) && (v as number) <= ATTRIBUTE_BOUNDS.intMax
        ? undefined : `must be a whole number from ${s.min ?? 0} to ${ATTRIBUTE_BOUNDS.intMax}`;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : 'must be a number';
    case 'enum':
      return s.values?.includes(v as string) ? undefined : `must be one of ${s.values?.join(', ')}`;
    case 'type':
      return isTypeName(v) ? undefined : `must be a data type (${Object.keys(TYPES).join(', ')})`;
    case 'types':
      return Array.isArray(v) && v.every(isTypeName) && v.length <= ATTRIBUTE_BOUNDS.typesMax ? undefined : 'must be a list of data types';
    case 'list':
      return Array.isArray(v) && v.length <= ATTRIBUTE_BOUNDS.listMax ? undefined : 'must be a list';
    case 'any':
      return undefined;
  }
}
