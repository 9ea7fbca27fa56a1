// Data types across links: every Number pin made Int or Float, data cycles
// found, then every data input checked: a link's types must convert, and an
// input with neither link nor literal needs a default.

import type { RNode, RScope } from './graph.ts';
import { isPure, depthFirst } from './graph.ts';
import { linkRule, linkHint, type TypeName } from '../values.ts';
import { describeType } from './pins.ts';
import { shorten } from '../suggest.ts';
import { chain, linkSite, nodeSite, type Report } from './report.ts';

/**
 * Resolves the type of every data pin (Number outputs follow their Number inputs) and reports data
 * cycles. A cycle is only one through pure nodes: a pure node is evaluated as part of the node that
 * reads it, so it must not depend on itself; a pulsed (or event, or action) node keeps its last value
 * in a register, so a pure node may read it even when it reads that pure node back.
 */
export function resolveTypes(scopes: RScope[], report: Report): void {
  const nodes = scopes.flatMap((s) => s.nodes);
  // In input order, as the code generator evaluates them.
  const sources = (n: RNode) => [...n.inputs.keys()].flatMap((pin) => n.dataIn.get(pin)?.node ?? []);
  depthFirst(nodes, (n) => sources(n).filter(isPure), () => {}, (n, cycle) => {
    report('data-cycle', nodeSite(n), `data links form a loop: ${chain([...cycle.map((x) => x.id), n.id])}; a value cannot depend on itself`);
  });
  // Sources first, so each node's inputs see their sources' resolved types. Along a cycle through a
  // pulsed node, that node's outputs are read before they are resolved: they count by their declaration.
  depthFirst(nodes, sources, typeNode);
}

/** A node's input types from what feeds them, then its output types (a Number output is Int when every Number input is). */
function typeNode(n: RNode): void {
  let allInt = true;
  for (const [pin, spec] of n.inputs) {
    if (spec.type === 'Pulse') continue;
    const src = n.dataIn.get(pin);
    let t: TypeName;
    if (src) {
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
            report('link-type', linkSite(scope, src.link, node.id),
              `input "${pin}" (${describeType(spec.type)}) cannot take the ${from} output "${src.pin}" of ${shorten(src.node.id)}: ${linkHint(from, to)}`);
          }
        } else if (!node.literals.has(pin) && spec.default === undefined && !fed.has(`${node.label}\u0000${pin}`)) {
          report('missing-input', nodeSite(node), `input "${pin}" of ${node.decl.type} needs a link or a value`);
        }
      }
    }
  }
}
