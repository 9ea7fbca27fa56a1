// Whole-graph checks that need every link resolved: the custom events'
// parameters, and pulse cycles with no delay in them (they would never
// end), including calls through custom events and Functions (recursion).

import type { Graph, RNode, RScope } from './graph.ts';
import { chain, nodeSite, type Report } from './report.ts';
import { shorten } from '../suggest.ts';

/** Triggers and listeners of one custom event must agree on its parameters. */
export function checkCustomEventParameters(scopes: RScope[], report: Report): void {
  const first = new Map<string, { types: string; node: RNode }>();
  for (const scope of scopes) {
    for (const n of scope.nodes) {
      if (n.spec.role !== 'custom-event-trigger' && n.spec.role !== 'custom-event-listener') continue;
      const key = String(n.attrs.Event);
      const types = JSON.stringify(n.attrs.Parameters ?? []);
      const seen = first.get(key);
      if (!seen) first.set(key, { types, node: n });
      else if (seen.types !== types) {
        report('event-parameters', nodeSite(n, ...(n.decl.attributes && 'Parameters' in n.decl.attributes ? ['attributes', 'Parameters'] : [])), `event "${shorten(key)}" has parameters ${types} here but ${seen.types} at ${shorten(seen.node.label)}`);
      }
    }
  }
}

/** The nodes a node runs without waiting: its output pulses (not delayed ones), listeners it triggers, functions it calls. */
function successors(n: RNode, graph: Graph): RNode[] {
  const out: RNode[] = [];
  const delayed = n.spec.delayed ?? [];
  for (const [pin, targets] of n.pulseOut) if (!delayed.includes(pin)) out.push(...targets);
  if (n.spec.role === 'custom-event-trigger') {
    for (const s of graph.scopes) for (const x of s.nodes) if (x.spec.role === 'custom-event-listener' && x.attrs.Event === n.attrs.Event) out.push(x);
  }
  if (n.spec.role === 'function-call' && n.refs.fn?.input) out.push(n.refs.fn.input);
  return out;
}

/** Tarjan's strongly connected components over the pulse graph; each cycle is one diagnostic. */
export function checkPulseCycles(graph: Graph, report: Report): void {
  const nodes = graph.scopes.flatMap((s) => s.nodes);
  const index = new Map<RNode, number>();
  const low = new Map<RNode, number>();
  const onStack = new Set<RNode>();
  const stack: RNode[] = [];
  let counter = 0;

  // Iterative, so a 10,000-node chain cannot overflow the JS stack.
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { n: RNode; succ: RNode[]; i: number }[] = [];
    const open = (n: RNode) => {
      index.set(n, counter);
      low.set(n, counter++);
      stack.push(n);
      onStack.add(n);
      work.push({ n, succ: successors(n, graph), i: 0 });
    };
    open(root);
    while (work.length) {
      const top = work[work.length - 1];
      if (top.i < top.succ.length) {
        const m = top.succ[top.i++];
        if (!index.has(m)) open(m);
        else if (onStack.has(m)) low.set(top.n, Math.min(low.get(top.n)!, index.get(m)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].n;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.n)!));
      }
      if (low.get(top.n) !== index.get(top.n)) continue;
      const comp: RNode[] = [];
      let m: RNode;
      do {
        m = stack.pop()!;
        onStack.delete(m);
        comp.push(m);
      } while (m !== top.n);
      const selfLoop = comp.length === 1 && successors(comp[0], graph).includes(comp[0]);
      if (comp.length > 1 || selfLoop) reportCycle(comp.reverse(), report);
    }
  }
}

function reportCycle(comp: RNode[], report: Report): void {
  const first = comp[0];
  const names = comp.map((n) => n.label);
  const recursive = comp.find((n) => n.spec.role === 'function-call' && n.refs.fn?.input && comp.includes(n.refs.fn.input));
  if (recursive) {
    report('recursion', nodeSite(recursive),
      `Function "${shorten(recursive.refs.fn!.name)}" ends up calling itself (${chain(names)}); recursion is not supported, use a For Loop or a Start Timeout`);
    return;
  }
  report('pulse-cycle', nodeSite(first),
    `these nodes pulse each other in a loop with no delay, so it would never end: ${chain(names)} → ${shorten(first.label)}; put a Start Timeout in the loop or use a For Loop`);
}
