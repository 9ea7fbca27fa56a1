// How the compiler's steps report a problem: a typed code, the scope label,
// the node id when there is one, and a sentence for the designer. Every step
// goes on after reporting, so one run shows every problem.

import type { Diagnostic } from '../project/model.ts';
import type { CompileCode } from './codes.ts';
import { shorten } from '../suggest.ts';

export type Report = (code: CompileCode, scope: string, node: string | undefined, message: string) => void;

/** A report function that appends to `out`. */
export function reporter(out: Diagnostic[]): Report {
  return (code, scope, node, message) => {
    out.push(node === undefined ? { code, scope, message } : { code, scope, node, message });
  };
}

/** `a → b → c`: the nodes of a cycle; a long one by its first ten and how many more. */
export function chain(names: readonly string[]): string {
  const shown = names.length <= 12 ? names : [...names.slice(0, 10), `… ${names.length - 10} more`];
  return shown.map((n) => shorten(n)).join(' → ');
}
