// The resolved graph: a project's scopes, nodes, pins and links after every
// name has been looked up in the catalogue and the project. This is what
// the code generator walks; resolve.ts builds it and reports what is wrong.

import type { NodeSpec, PinSpec } from './catalogue/types.ts';
import type { NodeDecl, ScopeDecl, ScopeKind } from '../project/model.ts';
import type { TypeName, Value } from '../values.ts';
import type { ConnectionEntry, VariableEntry } from '../schedule/schedule.ts';

export interface RFunction {
  name: string;
  scope: RScope;
  parameters: { name: string; type: TypeName }[];
  results: { name: string; type: TypeName }[];
  input?: RNode;
}

export interface RScope {
  decl: ScopeDecl;
  kind: ScopeKind;
  /** `Project`, `Scene:Name`, `Function:Name`. */
  label: string;
  /** Its place in the file's `scopes`, for diagnostics' paths. */
  index: number;
  /** Scene index for a Scene scope, -1 otherwise. */
  scene: number;
  fn?: RFunction;
  nodes: RNode[];
  byId: Map<string, RNode>;
}

export interface DataSource {
  node: RNode;
  pin: string;
  /** The link's place in its scope's `links`, for diagnostics' paths. */
  link: number;
}

export interface RNode {
  id: string;
  /** Its place in its scope's `nodes`, for diagnostics' paths. */
  index: number;
  decl: NodeDecl;
  spec: NodeSpec;
  scope: RScope;
  /** `scope/id`, as diagnostics and the debug map name it. */
  label: string;
  attrs: Record<string, unknown>;
  /**
   * False for a node known by id whose pins could not be derived (bad attributes, an unknown Function):
   * it is not part of the graph, and links to it are not checked (its problem is already reported).
   */
  pinsKnown: boolean;
  inputs: Map<string, PinSpec>;
  outputs: Map<string, PinSpec>;
  /** A data node whose pulse input is linked: it runs as an action. */
  pulsed: boolean;
  /** Data input → the output that feeds it. */
  dataIn: Map<string, DataSource>;
  /** Output pulse → the nodes it runs, in link order. */
  pulseOut: Map<string, RNode[]>;
  /** Data input → literal value from the project file. */
  literals: Map<string, Value>;
  /** Resolved types of data outputs (Number made Int or Float). */
  outType: Map<string, TypeName>;
  /** Resolved types of data inputs (for Number inputs: what is linked). */
  inType: Map<string, TypeName>;
  /** Indexes of what the node's attributes name. */
  refs: { connection?: number; variable?: number; scene?: Map<string, number>; fn?: RFunction };
}

/** The project's variables: what the schedule lists, their starting values and types, and the lookup by name. */
export interface VariableTable {
  entries: VariableEntry[];
  /** Initial values, as values (the schedule holds constant indexes). */
  init: Value[];
  types: TypeName[];
  /** A variable visible from a scope: the scene's own first, then the Project's. */
  lookup(scope: RScope, name: string): { index: number; type: TypeName } | undefined;
}

export interface Graph {
  name: string;
  scopes: RScope[];
  scenes: string[];
  functions: Map<string, RFunction>;
  connections: ConnectionEntry[];
  variables: VariableEntry[];
  /** Initial values of the variables, as values (the schedule holds constant indexes). */
  variableInit: Value[];
  startScene: number;
  tickRateHz: number;
  randomSeed: number;
  limits: Record<string, number>;
}

/** A node runs as a pure data node: evaluated on demand, no pulse. */
export const isPure = (n: RNode): boolean => n.spec.kind === 'data' && !n.pulsed;

/**
 * Depth-first from each root in order over `next`, with an explicit stack (a 20,000-node data chain
 * must not overflow the call stack): `done(n)` once everything n leads to is done; `cycle(m, path)`
 * when n leads back to m, still open, with the path from m to n.
 */
export function depthFirst(roots: readonly RNode[], next: (n: RNode) => RNode[], done: (n: RNode) => void, cycle?: (m: RNode, path: RNode[]) => void): void {
  const closed = new Set<RNode>();
  const open = new Map<RNode, number>(); // node → its place on the stack
  for (const root of roots) {
    if (closed.has(root) || open.has(root)) continue;
    const stack = [{ n: root, next: next(root), i: 0 }];
    open.set(root, 0);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i < top.next.length) {
        const m = top.next[top.i++];
        const at = open.get(m);
        if (at !== undefined) cycle?.(m, stack.slice(at).map((f) => f.n));
        else if (!closed.has(m)) {
          open.set(m, stack.length);
          stack.push({ n: m, next: next(m), i: 0 });
        }
        continue;
      }
      stack.pop();
      open.delete(top.n);
      closed.add(top.n);
      done(top.n);
    }
  }
}
