// The oracle of the project fuzz suite: for any project, compiling gives
// diagnostics or a schedule, never an exception, within a time bound.
//   - compile() returns, from the parsed value and from its JSON text, and
//     both agree (ok or not, the same codes);
//   - diagnostics are the loader's or the compiler's codes (never
//     `internal`), each with a scope and a short, non-empty message;
//   - a schedule verifies, survives encode/decode byte for byte, and runs a
//     few ticks on the VM without an exception (runtime errors are outputs);
//   - a valid project (no mutations) compiles, or is refused only for a
//     cycle through calls, which the generator does not rule out.

import { compile, COMPILE_CODES } from '../../runtime/compiler/index.ts';
import { LOAD_CODES } from '../../runtime/project/index.ts';
import { encode, decode, verify } from '../../runtime/schedule/index.ts';
import { Vm } from '../../runtime/vm/index.ts';
import type { Diagnostic } from '../../runtime/project/model.ts';

export interface Verdict {
  ok: boolean;
  /** Why the case failed the oracle. */
  problem?: string;
  compiled: boolean;
  codes: string[];
  ms: number;
}

const KNOWN = new Set([...Object.keys(LOAD_CODES), ...Object.keys(COMPILE_CODES)].filter((c) => c !== 'internal'));
/** Longest message a diagnostic may have: a sentence, never an echo of a huge value. */
export const MAX_MESSAGE = 1000;

function checkDiagnostics(ds: readonly Diagnostic[]): string | undefined {
  if (ds.length === 0) return 'refused with no diagnostic';
  for (const d of ds) {
    if (!KNOWN.has(d.code)) return `diagnostic code ${JSON.stringify(d.code)}: ${d.message.slice(0, 300)}`;
    if (typeof d.scope !== 'string' || d.scope === '') return `diagnostic ${d.code} without a scope`;
    if (typeof d.message !== 'string' || d.message === '') return `diagnostic ${d.code} without a message`;
    if (d.message.length > MAX_MESSAGE) return `diagnostic ${d.code} message of ${d.message.length} characters: ${d.message.slice(0, 200)}…`;
  }
  return undefined;
}

/** Compiles the project from its value and its text and checks everything above; `timeBoundMs` bounds the whole case. */
export function judge(project: unknown, mutated: boolean, timeBoundMs: number): Verdict {
  const t0 = performance.now();
  const verdict = (compiled: boolean, codes: string[], problem?: string): Verdict => {
    const ms = performance.now() - t0;
    if (!problem && ms > timeBoundMs) problem = `took ${ms.toFixed(0)} ms (bound ${timeBoundMs} ms)`;
    return { ok: !problem, problem, compiled, codes, ms };
  };
  let text: string;
  try {
    text = JSON.stringify(project);
  } catch {
    return verdict(false, [], undefined); // not expressible as a file (too deep for JSON.stringify): nothing to check
  }
  let fromValue, fromText;
  try {
    fromValue = compile(JSON.parse(text));
    fromText = compile(text, { file: 'fuzz.json' });
  } catch (e) {
    return verdict(false, [], `compile threw ${e instanceof Error ? (e.stack ?? e.message).slice(0, 1500) : String(e)}`);
  }
  const codes = fromValue.ok ? [] : [...new Set(fromValue.diagnostics.map((d) => d.code))];
  if (fromValue.ok !== fromText.ok) return verdict(fromValue.ok, codes, 'value and text disagree on ok');
  if (!fromValue.ok || !fromText.ok) {
    const textCodes = [...new Set((fromText.ok ? [] : fromText.diagnostics).map((d) => d.code))];
    if (textCodes.join() !== codes.join()) return verdict(false, codes, `value and text disagree: ${codes} / ${textCodes}`);
    const bad = checkDiagnostics(fromValue.ok ? [] : fromValue.diagnostics);
    if (bad) return verdict(false, codes, bad);
    if (!mutated && codes.some((c) => c !== 'pulse-cycle' && c !== 'recursion')) {
      return verdict(false, codes, `a valid project was refused: ${(fromValue.ok ? [] : fromValue.diagnostics).map((d) => `${d.code} ${d.scope}/${d.node}: ${d.message}`).join('; ').slice(0, 1500)}`);
    }
    return verdict(false, codes);
  }
  try {
    const s = fromValue.schedule;
    verify(s);
    const bytes = encode(s);
    const back = encode(decode(bytes));
    if (back.length !== bytes.length || back.some((b, i) => b !== bytes[i])) return verdict(true, [], 'encode(decode(encode(s))) differs');
    const other = encode(fromText.schedule);
    if (other.length !== bytes.length || other.some((b, i) => b !== bytes[i])) return verdict(true, [], 'value and text compile to different bytes');
    const vm = new Vm(s, { limits: { tickBudget: 100_000 } });
    for (let t = 0; t < 3; t++) vm.tick(t * 100);
  } catch (e) {
    return verdict(true, [], `schedule: ${e instanceof Error ? (e.stack ?? e.message).slice(0, 1500) : String(e)}`);
  }
  return verdict(true, []);
}
