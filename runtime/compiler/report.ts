// How the compiler's steps report a problem: a typed code, where it is (the
// scope label, the node id when there is one, and the JSON Pointer of the
// value it is about, from which the loader's positions give a line and a
// column), and a sentence for the designer. Every step goes on after
// reporting, so one run shows every problem.

import type { Diagnostic } from '../project/model.ts';
import { pointer } from '../project/locate.ts';
import type { CompileCode } from './codes.ts';
import type { RNode, RScope } from './graph.ts';
import { shorten } from '../suggest.ts';

export interface Site {
  scope: string;
  node?: string;
  /** JSON Pointer of the value the problem is about. */
  path: string;
}

/** `hint`: the fix, when the compiler knows one (`did you mean "Branch"?`); it is in the message too. */
export type Report = (code: CompileCode, at: Site, message: string, hint?: string) => void;

/** A report function that appends to `out`. */
export function reporter(out: Diagnostic[]): Report {
  return (code, at, message, hint) => {
    const d: Diagnostic = { code, scope: at.scope, message, path: at.path };
    if (at.node !== undefined) d.node = at.node;
    if (hint !== undefined) d.hint = hint;
    out.push(d);
  };
}

export const scopeSite = (scope: RScope, ...sub: Array<string | number>): Site =>
  ({ scope: scope.label, path: pointer(['scopes', scope.index, ...sub]) });

/** A node of a scope by its place in the file (it may not have resolved), or a field inside it. */
export const nodeSiteAt = (scope: RScope, index: number, id: string, ...sub: Array<string | number>): Site =>
  ({ scope: scope.label, node: id, path: pointer(['scopes', scope.index, 'nodes', index, ...sub]) });

export const nodeSite = (n: RNode, ...sub: Array<string | number>): Site => nodeSiteAt(n.scope, n.index, n.id, ...sub);

/** A link, or one of its ends, named by the node it is reported on. */
export const linkSite = (scope: RScope, index: number, node: string, ...sub: Array<string | number>): Site =>
  ({ scope: scope.label, node, path: pointer(['scopes', scope.index, 'links', index, ...sub]) });

/** ` (did you mean "x"?)` for a message, and the hint alone. */
export function suggestion(near: string | undefined): { text: string; hint?: string } {
  return near === undefined ? { text: '' } : { text: ` (did you mean "${near}"?)`, hint: `did you mean "${near}"?` };
}

/** `a → b → c`: the nodes of a cycle; a long one by its first ten and how many more. */
export function chain(names: readonly string[]): string {
  const shown = names.length <= 12 ? names : [...names.slice(0, 10), `… ${names.length - 10} more`];
  return shown.map((n) => shorten(n)).join(' → ');
}
