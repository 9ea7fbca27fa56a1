// The nodes of one scope, each in steps: its catalogue entry, where it may
// be placed, its attributes (attributes.ts), what they name in the project,
// its pins, and the literals of its inputs. A node whose pins cannot be
// known (bad attributes, an unknown Function) stays known by id, so the
// links to it are not reported a second time.

import type { NodeDecl } from '../project/model.ts';
import { CATALOGUE } from './catalogue/index.ts';
import { PULSE, type NodeSpec, type PinContext, type PinSpec } from './catalogue/types.ts';
import type { RFunction, RNode, RScope, VariableTable } from './graph.ts';
import type { ConnectionEntry } from '../schedule/schedule.ts';
import { literalFits, literalValue, type TypeName } from '../values.ts';
import { closest, shorten } from '../suggest.ts';
import { PLUGINS, type EnabledPlugins } from './connections.ts';
import { resolveAttributes, type NodeReport } from './attributes.ts';
import type { Broken } from './salvage.ts';
import { describeType, hintPins, shownValue } from './pins.ts';
import { nodeSiteAt, scopeSite, suggestion, type Report } from './report.ts';

/** What a node's attributes may name: connections, scenes, functions, variables; and which plugins are on. */
export interface ProjectIndex {
  plugins: EnabledPlugins;
  connections: ConnectionEntry[];
  scenes: string[];
  functions: Map<string, RFunction>;
  variables: VariableTable;
  /** What the loader refused (a salvaged project): naming one of these is not reported again. */
  broken: Broken;
}

/** Resolves the nodes of one scope in file order (the listener order) into scope.nodes and scope.byId. */
export function resolveNodes(scope: RScope, index: ProjectIndex, fed: Set<string>, report: Report): void {
  const cx = pinContext(scope, index);
  // forEach: a salvaged project (salvage.ts) leaves holes where a node was refused.
  scope.decl.nodes.forEach((decl, j) => {
    const at: NodeReport = (code, message, where = [], hint) => report(code, nodeSiteAt(scope, j, decl.id, ...where), message, hint);
    const node = resolveNode(decl, j, scope, index, cx, fed, at);
    if (!node) return;
    scope.byId.set(decl.id, node);
    if (!node.pinsKnown) return;
    scope.nodes.push(node);
    if (node.spec.role === 'function-entry' && scope.fn) {
      if (scope.fn.input) at('function-input', `a Function has exactly one Function Input; "${shorten(scope.fn.input.id)}" is the first`, ['type']);
      else scope.fn.input = node;
    }
  });
  if (scope.fn && !scope.fn.input) report('function-input', scopeSite(scope, 'nodes'), `Function "${shorten(scope.fn.name)}" has no Function Input node`);
}

/** One node; undefined when not even its type is known (or its pins could not be derived). */
function resolveNode(decl: NodeDecl, j: number, scope: RScope, index: ProjectIndex, cx: PinContext, fed: Set<string>, at: NodeReport): RNode | undefined {
  const spec = CATALOGUE.get(decl.type);
  if (!spec) {
    const near = suggestion(closest(decl.type, CATALOGUE.keys()));
    at('unknown-node-type', `unknown node type "${shorten(decl.type)}"${near.text}`, ['type'], near.hint);
    return undefined;
  }
  checkPlacement(spec, scope, index.plugins, at);
  const node: RNode = {
    id: decl.id, index: j, decl, spec, scope, label: `${scope.label}/${decl.id}`, attrs: {}, pinsKnown: false, inputs: new Map(), outputs: new Map(),
    pulsed: false, dataIn: new Map(), pulseOut: new Map(), literals: new Map(), outType: new Map(), inType: new Map(), refs: {},
  };
  if (!resolveAttributes(node, at)) return node;
  resolveReferences(node, index, at);
  // A Function node's pins come from the function's signature: unknown when the function is.
  if (spec.role === 'function-call' && !node.refs.fn) return node;
  if (!resolvePins(node, cx, at)) return undefined;
  resolveLiterals(node, fed, at);
  node.pinsKnown = true;
  return node;
}

/** The scope kinds the node may be placed in, and its plugin being on. */
function checkPlacement(spec: NodeSpec, scope: RScope, plugins: EnabledPlugins, at: NodeReport): void {
  if (!spec.scopes.includes(scope.kind)) {
    at('node-scope', `${spec.type} cannot be used in a ${scope.kind} scope (only in: ${spec.scopes.join(', ')})`, ['type']);
  }
  if (spec.plugin && !plugins[spec.plugin]) {
    at('plugin-disabled', `${spec.type} needs the ${spec.plugin} plugin, which is disabled in the project settings`, ['type']);
  }
}

/** Looks up what the attributes name (connection, variable, scene, function) into node.refs. */
function resolveReferences(node: RNode, index: ProjectIndex, at: NodeReport): void {
  const { spec, scope } = node;
  for (const a of spec.attributes) {
    const v = node.attrs[a.name];
    const shown = shorten(String(v));
    // Where the value is: the attribute, or (a default) the node.
    const where = node.decl.attributes && a.name in node.decl.attributes ? ['attributes', a.name] : [];
    if (a.kind === 'connection') {
      // A node of a disabled plugin is reported as such; its plugin's connections are not loaded, so
      // looking its Configuration up would add a misleading "names no connection".
      if (!spec.plugin || !index.plugins[spec.plugin]) continue;
      const want = PLUGINS[spec.plugin].kind;
      const i = index.connections.findIndex((c) => c.name === v && c.kind === want);
      if (i >= 0) {
        node.refs.connection = i;
        continue;
      }
      if (index.broken.connections.has(String(v))) continue;
      // A connection the loader refused is still one the designer may have meant.
      const names = [...index.connections.filter((c) => c.kind === want).map((c) => c.name), ...index.broken.connections];
      const other = index.connections.find((c) => c.name === v);
      at('unknown-connection', other
        ? `Configuration "${shown}" is a ${other.kind === 'ws' ? 'WebSocket' : 'Socket.IO'} connection; ${spec.type} needs a ${spec.plugin} one`
        : `Configuration "${shown}" names no ${spec.plugin} connection in the project settings${list(names)}`, where);
    } else if (a.kind === 'variable') {
      const found = index.variables.lookup(scope, String(v));
      const refused = index.broken.variables.has(String(v)) || (scope.decl.kind === 'Scene' && index.broken.variables.has(`${scope.decl.name}/${String(v)}`));
      if (found === undefined && refused) continue;
      if (found === undefined) at('unknown-variable', `Variable "${shown}" is not a variable of this scene or of the project`, where);
      else node.refs.variable = found.index;
    } else if (a.kind === 'scene') {
      if (v === '' && a.default === '') continue;
      const i = index.scenes.indexOf(String(v));
      if (i < 0 && index.broken.scenes.has(String(v))) continue;
      if (i < 0) at('unknown-scene', `${a.name} "${shown}" names no scene${list(index.scenes)}`, where);
      else (node.refs.scene ??= new Map()).set(a.name, i);
    } else if (a.kind === 'function') {
      const fn = index.functions.get(String(v));
      if (!fn && index.broken.functions.has(String(v))) continue;
      if (!fn) at('unknown-function', `Function "${shown}" names no Function scope`, where);
      else node.refs.fn = fn;
    }
  }
}

/** The node's pins for its attributes; a data node also gets its optional ► pins. False when they cannot be derived. */
function resolvePins(node: RNode, cx: PinContext, at: NodeReport): boolean {
  let pins: { inputs: PinSpec[]; outputs: PinSpec[] };
  try {
    pins = node.spec.pins(node.attrs, cx);
  } catch {
    at('bad-attribute', `the attributes of this ${node.decl.type} do not describe its pins`);
    return false;
  }
  for (const p of pins.inputs) node.inputs.set(p.name, p);
  for (const p of pins.outputs) node.outputs.set(p.name, p);
  if (node.spec.kind === 'data') {
    node.inputs.set(PULSE, { name: PULSE, type: 'Pulse' });
    node.outputs.set(PULSE, { name: PULSE, type: 'Pulse' });
  }
  return true;
}

/** The literal values of data inputs, each checked against its pin's type. */
function resolveLiterals(node: RNode, fed: Set<string>, at: NodeReport): void {
  for (const [pin, value] of Object.entries(node.decl.inputs ?? {})) {
    const p = node.inputs.get(pin);
    if (!p || p.type === 'Pulse') {
      const near = hintPins(pin, node.inputs);
      at('unknown-pin', `${node.decl.type} has no data input "${shorten(pin)}"${near.text}`, ['inputs', pin], near.hint);
      continue;
    }
    const t: TypeName = p.type === 'Number' ? (Number.isInteger(value) ? 'Int' : 'Float') : p.type;
    if (!literalFits(value, t)) {
      at('bad-literal', `input "${pin}" expects ${describeType(p.type)}, got ${shownValue(value)}`, ['inputs', pin]);
      fed.add(`${node.label}\u0000${pin}`);
    } else node.literals.set(pin, literalValue(value, t));
  }
}

/** What pin functions may look up from this scope: variables' types, functions' signatures, its own signature. */
function pinContext(scope: RScope, index: ProjectIndex): PinContext {
  return {
    variableType: (name) => index.variables.lookup(scope, name)?.type,
    functionSignature: (name) => index.functions.get(name),
    ownFunction: () => scope.fn,
  };
}

/** ` (there are: a, b)`: the names a reference could have used, each shortened; nothing when there are none. */
const list = (names: readonly string[]): string => (names.length ? ` (there are: ${names.map((n) => shorten(n)).join(', ')})` : '');
