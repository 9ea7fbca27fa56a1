// Data types across links: every Number pin made Int or Float, data cycles
// found, then every data input checked: a link's types must convert, and an
// input with neither link nor literal needs a default.

import type { RNode, RScope } from './graph.ts';
import { isPure } from './graph.ts';
import { linkRule, linkHint, type TypeName } from '../values.ts';
import { describeType } from './pins.ts';
import { shorten } from '../suggest.ts';
import { chain, type Report } from './report.ts';

/** Resolves the type of every data pin; Number outputs follow their Number inputs. Reports data cycles. */
export function resolveTypes(scopes: RScope[], report: Report): void {
  const state = new Map<RNode, 'busy' | 'done'>();
  const visit = (n: RNode, path: RNode[]): void => {
    const s = state.get(n);
    if (s === 'done') return;
    if (s === 'busy') {
      const cycle = path.slice(path.indexOf(n)).map((x) => x.id);
      report('data-cycle', n.scope.label, n.id, `data links form a loop: ${chain([...cycle, n.id])}; a value cannot depend on itself`);
      return;
    }
    state.set(n, 'busy');
    let allInt = true;
    for (const [pin, spec] of n.inputs) {
      if (spec.type === 'Pulse') continue;
      const src = n.dataIn.get(pin);
      let t: TypeName;
      if (src) {
        // Only a pure source is evaluated as part of this node; any other source's type is fixed by its spec.
        // A pulsed source keeps its last value in a register, so it may even read its own output.
        if (isPure(src.node)) visit(src.node, [...path, n]);
        else if (!state.has(src.node)) visit(src.node, []);
        const declared = src.node.outputs.get(src.pin)?.type;
        t = src.node.outType.get(src.pin) ?? (declared === 'Number' ? 'Float' : (declared as TypeName | undefined) ?? 'Any');
      } else {
        const lit = n.literals.get(pin) ?? spec.default;
        t = spec.type === 'Number' ? (typeof lit === 'number' && !Number.isInteger(lit) ? 'Float' : 'Int') : (spec.type as TypeName);
      }
      if (spec.type === 'Number') {
        const nt: TypeName = t === 'Int' ? 'Int' : 'Float';
        if (nt !== 'Int') allInt = false;
        n.inType.set(pin, nt); // a String or Bool source then fails the link check against Float
      } else n.inType.set(pin, spec.type as TypeName);
    }
    for (const [pin, spec] of n.outputs) {
      if (spec.type === 'Pulse') continue;
      n.outType.set(pin, spec.type === 'Number' ? (allInt ? 'Int' : 'Float') : spec.type);
    }
    state.set(n, 'done');
  };
  for (const scope of scopes) for (const n of scope.nodes) visit(n, []);
}

/**
 * Every data input: a linked one must take its source's type; an unlinked one needs a literal or a
 * default, unless it was `fed` something already reported (a refused literal, an unresolved source).
 */
export function checkDataInputs(scopes: RScope[], fed: Set<string>, report: Report): void {
  for (const scope of scopes) {
    for (const node of scope.nodes) {
      for (const [pin, spec] of node.inputs) {
        if (spec.type === 'Pulse') continue;
        const src = node.dataIn.get(pin);
        if (src) {
          const from = src.node.outType.get(src.pin);
          const to = node.inType.get(pin);
          if (from && to && linkRule(from, to) === 'no') {
            report('link-type', scope.label, node.id,
              `input "${pin}" (${describeType(spec.type)}) cannot take the ${from} output "${src.pin}" of ${shorten(src.node.id)}: ${linkHint(from, to)}`);
          }
        } else if (!node.literals.has(pin) && spec.default === undefined && !fed.has(`${node.label}\u0000${pin}`)) {
          report('missing-input', scope.label, node.id, `input "${pin}" of ${node.decl.type} needs a link or a value`);
        }
      }
    }
  }
}
