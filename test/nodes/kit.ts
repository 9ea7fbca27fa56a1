// Small builders for the node behaviour tests: a boot event that pulses a
// chain, Console nodes as probes, and Any-typed variables that capture a
// data pin's exact value. Every project still goes through the loader and
// the compiler (test/helpers/project.ts); nothing here reads VM internals.

import assert from 'node:assert/strict';
import { project, run, compileOk, diagnosticsOf, type Link, type ProjectParts, type VmHarness } from '../helpers/project.ts';
import type { NodeDecl, VariableDecl } from '../../runtime/project/model.ts';
import type { Value } from '../../runtime/values.ts';

export const P = '►';

/** A Project-scope On Scene Loaded: fires once in the first tick. */
export const boot = (id = 'boot'): NodeDecl => ({ id, type: 'On Scene Loaded' });

/** A Console node; `text` is a literal Input, omitted when the Input is linked. */
export const log = (id: string, text?: string, level?: 'info' | 'warning' | 'error'): NodeDecl => ({
  id, type: 'Console', ...(level ? { attributes: { Type: level } } : {}), ...(text !== undefined ? { inputs: { Input: text } } : {}),
});

/** Pulse links a → b → c …, each from ► to ►. */
export const chain = (...ids: string[]): Link[] => ids.slice(1).map((id, i) => [ids[i], P, id, P] as Link);

/** Ticks once at time 0 and returns the console lines. */
export function boot1(p: ProjectParts): { lines: string[]; h: VmHarness } {
  const h = run(project(p));
  h.tick(0);
  return { lines: h.console(), h };
}

/**
 * Evaluates data pins: boot pulses one Variable Setter per pin, each storing
 * the pin's value into an Any variable `r<i>` (Any takes every type as it
 * is, so the stored value is exact). Returns the values and the errors.
 */
export function evaluate(nodes: NodeDecl[], links: Link[], pins: [string, string][], extra: Partial<ProjectParts> = {}):
{ values: (Value | undefined)[]; errors: ReturnType<VmHarness['errors']>; h: VmHarness } {
  const setters: NodeDecl[] = pins.map((_p, i) => ({ id: `__set${i}`, type: 'Variable Setter', attributes: { Variable: `r${i}` } }));
  const variables: VariableDecl[] = [...(extra.variables ?? []), ...pins.map((_p, i) => ({ name: `r${i}`, type: 'Any' as const, initial: '<unset>' }))];
  const h = run(project({
    ...extra,
    variables,
    nodes: [boot(), ...nodes, ...setters],
    links: [...links, ...chain('boot', ...setters.map((s) => s.id)), ...pins.map(([n, pin], i) => [n, pin, `__set${i}`, 'Value'] as Link)],
  }));
  h.tick(0);
  return { values: pins.map((_p, i) => h.vm.variable(`r${i}`)), errors: h.errors(), h };
}

/** evaluate() of one pin, asserting that no error came out. */
export function value1(nodes: NodeDecl[], links: Link[], pin: [string, string], extra?: Partial<ProjectParts>): Value | undefined {
  const r = evaluate(nodes, links, [pin], extra);
  assert.deepEqual(r.errors, []);
  return r.values[0];
}

/**
 * The compile-time type of a numeric output, told by behaviour: an Int
 * output may feed an Int input, a Float one only a Float input.
 */
export function numberType(nodes: NodeDecl[], links: Link[], pin: [string, string]): 'Int' | 'Float' | 'neither' {
  const sink = (type: 'Int' | 'Float') => project({
    variables: [{ name: 'sink', type }],
    nodes: [boot(), ...nodes, { id: 'sink', type: 'Variable Setter', attributes: { Variable: 'sink' } }],
    links: [...links, ['boot', P, 'sink', P], [pin[0], pin[1], 'sink', 'Value']],
  });
  const ok = (p: object) => { try { compileOk(p); return true; } catch { return false; } };
  if (ok(sink('Int'))) return 'Int';
  if (ok(sink('Float'))) return 'Float';
  return 'neither';
}

/** The one runtime error of a run, checked to name `node` (as `Project/<id>` etc.). */
export function oneError(h: VmHarness, node: string, code?: string): ReturnType<VmHarness['errors']>[number] {
  const errs = h.errors();
  assert.equal(errs.length, 1, `expected one error, got ${JSON.stringify(errs)}`);
  assert.equal(errs[0].node, node);
  assert.ok(errs[0].message.startsWith(`${node}: `), errs[0].message);
  if (code) assert.equal(errs[0].code, code);
  return errs[0];
}

export { project, run, compileOk, diagnosticsOf };
export type { Link, ProjectParts, VmHarness };
