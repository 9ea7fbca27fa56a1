// Resolve: from a loaded project file to the typed graph of graph.ts.
// Every problem becomes a diagnostic; resolution goes on after one, so a
// designer sees all of them at once. Nothing here emits code.

import type { Diagnostic, ProjectFile, ScopeDecl, ConnectionSettings, VariableDecl } from '../project/model.ts';
import { scopeLabel } from '../project/model.ts';
import { CATALOGUE } from './catalogue/index.ts';
import { PULSE, type PinSpec, type PinContext, type AttrSpec } from './catalogue/types.ts';
import type { Graph, RNode, RScope, RFunction } from './graph.ts';
import { isPure } from './graph.ts';
import { TYPES, isTypeName, linkRule, linkHint, literalFits, literalValue, defaultValue, type TypeName, type Value } from '../values.ts';
import type { ConnectionEntry, VariableEntry } from '../schedule/schedule.ts';
import { closest as suggest } from '../suggest.ts';
import { composeUrl } from './connections.ts';

/** Names an editor export may use for the unnamed pulse pins. */
const PULSE_ALIASES = new Set([PULSE, 'Pulse', 'Pulse Input', 'Pulse Output', '>']);
const pinName = (p: string): string => (PULSE_ALIASES.has(p) ? PULSE : p);

export function resolve(project: ProjectFile): { graph: Graph; diagnostics: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  const report = (code: string, scope: string, node: string | undefined, message: string) =>
    diags.push(node === undefined ? { code, scope, message } : { code, scope, node, message });
  const settings = project.settings ?? {};
  const plugins = { WebSocket: settings.plugins?.WebSocket !== false, 'Socket.IO': settings.plugins?.['Socket.IO'] !== false };

  // ── connections: WebSocket first, then Socket.IO, each in file order ──
  const connections: ConnectionEntry[] = [];
  const addConnections = (list: ConnectionSettings[] | undefined, kind: 'ws' | 'sio', plugin: 'WebSocket' | 'Socket.IO') => {
    if (!list || !plugins[plugin]) return;
    for (const c of list) {
      const composed = composeUrl(c, kind);
      if ('error' in composed) {
        report(composed.code, 'settings', undefined, `connection "${c.Name}": ${composed.error}`);
        continue;
      }
      const { Name, URL: _u, Port: _p, ...options } = c;
      connections.push({ kind, name: Name, url: composed.url, options: canonical(options) as ConnectionEntry['options'] });
    }
  };
  addConnections(settings.webSocketConnections, 'ws', 'WebSocket');
  addConnections(settings.socketIOConnections, 'sio', 'Socket.IO');

  // ── scopes, scenes, functions ──
  const scopes: RScope[] = [];
  const scenes: string[] = [];
  const functions = new Map<string, RFunction>();
  // Project scope first, then scenes, then functions, each in file order: this is the listener order.
  const ordered = [
    ...project.scopes.filter((s) => s.kind === 'Project'),
    ...project.scopes.filter((s) => s.kind === 'Scene'),
    ...project.scopes.filter((s) => s.kind === 'Function'),
  ];
  for (const decl of ordered) {
    const scope: RScope = { decl, kind: decl.kind, label: scopeLabel(decl), scene: -1, nodes: [], byId: new Map() };
    if (decl.kind === 'Scene') scope.scene = scenes.push(decl.name) - 1;
    if (decl.kind === 'Function') {
      const fn: RFunction = { name: decl.name, scope, parameters: decl.parameters ?? [], results: decl.results ?? [] };
      scope.fn = fn;
      functions.set(decl.name, fn);
    }
    scopes.push(scope);
  }

  // ── variables: Project scope, then each scene's ──
  const variables: VariableEntry[] = [];
  const variableInit: Value[] = [];
  const varIndex = new Map<string, number>(); // qualified name → index
  const addVariables = (list: VariableDecl[] | undefined, scene: number, prefix: string, label: string) => {
    for (const v of list ?? []) {
      const init = v.initial === undefined ? defaultValue(v.type) : v.initial;
      if (!literalFits(init, v.type)) {
        report('bad-initial-value', label, undefined, `variable "${v.name}": initial value ${JSON.stringify(v.initial)} is not a ${v.type}`);
      }
      varIndex.set(prefix + v.name, variables.length);
      variables.push({ name: prefix + v.name, type: TYPES[v.type], scene, init: -1 });
      variableInit.push(literalValue(init, v.type));
    }
  };
  addVariables(project.variables, -1, '', 'Project');
  for (const s of scopes) if (s.decl.kind === 'Scene') addVariables(s.decl.variables, s.scene, `${s.decl.name}/`, s.label);

  /** A variable visible from a scope: the scene's own first, then the Project's. */
  const lookupVariable = (scope: RScope, name: string): number | undefined =>
    (scope.decl.kind === 'Scene' ? varIndex.get(`${scope.decl.name}/${name}`) : undefined) ?? varIndex.get(name);
  const typeOfVar = (i: number): TypeName => Object.keys(TYPES).find((k) => TYPES[k as TypeName] === variables[i].type) as TypeName;

  // ── nodes ──
  // `label\0pin` of inputs that were given a value the compiler could not use (a refused literal, a link
  // from a node that did not resolve): that is already reported, so no missing-input for them as well.
  const hasValue = new Set<string>();
  for (const scope of scopes) {
    const cx: PinContext = {
      variableType: (name) => {
        const i = lookupVariable(scope, name);
        return i === undefined ? undefined : typeOfVar(i);
      },
      functionSignature: (name) => functions.get(name),
      ownFunction: () => scope.fn,
    };
    for (const decl of scope.decl.nodes) {
      const at = (code: string, message: string) => report(code, scope.label, decl.id, message);
      const spec = CATALOGUE.get(decl.type);
      if (!spec) {
        const hint = suggest(decl.type, [...CATALOGUE.keys()]);
        at('unknown-node-type', `unknown node type "${decl.type}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
        continue;
      }
      if (!spec.scopes.includes(scope.kind)) {
        at('node-scope', `${decl.type} cannot be used in a ${scope.kind} scope (only in: ${spec.scopes.join(', ')})`);
      }
      if (spec.plugin && !plugins[spec.plugin]) {
        at('plugin-disabled', `${decl.type} needs the ${spec.plugin} plugin, which is disabled in the project settings`);
      }
      const node: RNode = {
        id: decl.id, decl, spec, scope, label: `${scope.label}/${decl.id}`, attrs: {}, inputs: new Map(), outputs: new Map(),
        pulsed: false, dataIn: new Map(), pulseOut: new Map(), literals: new Map(), outType: new Map(), inType: new Map(), refs: {},
      };
      if (!resolveAttributes(node, spec.attributes, at)) {
        scope.byId.set(decl.id, node); // known, but its pins are unknown: links to it are not reported again
        continue;
      }
      // references named by attributes
      for (const a of spec.attributes) {
        const v = node.attrs[a.name];
        if (a.kind === 'connection') {
          // A node of a disabled plugin is reported as such; its plugin's connections are not loaded, so
          // looking its Configuration up would add a misleading "names no connection".
          if (spec.plugin && !plugins[spec.plugin]) continue;
          const want = spec.plugin === 'Socket.IO' ? 'sio' : 'ws';
          const i = connections.findIndex((c) => c.name === v && c.kind === want);
          if (i < 0) {
            const names = connections.filter((c) => c.kind === want).map((c) => c.name);
            const other = connections.find((c) => c.name === v);
            at('unknown-connection', other
              ? `Configuration "${v}" is a ${other.kind === 'ws' ? 'WebSocket' : 'Socket.IO'} connection; ${decl.type} needs a ${spec.plugin} one`
              : `Configuration "${v}" names no ${spec.plugin} connection in the project settings${names.length ? ` (there are: ${names.join(', ')})` : ''}`);
          } else node.refs.connection = i;
        } else if (a.kind === 'variable') {
          const i = lookupVariable(scope, String(v));
          if (i === undefined) at('unknown-variable', `Variable "${v}" is not a variable of this scene or of the project`);
          else node.refs.variable = i;
        } else if (a.kind === 'scene') {
          if (v === '' && a.default === '') continue;
          const i = scenes.indexOf(String(v));
          if (i < 0) at('unknown-scene', `${a.name} "${v}" names no scene${scenes.length ? ` (there are: ${scenes.join(', ')})` : ''}`);
          else (node.refs.scene ??= new Map()).set(a.name, i);
        } else if (a.kind === 'function') {
          const fn = functions.get(String(v));
          if (!fn) at('unknown-function', `Function "${v}" names no Function scope`);
          else node.refs.fn = fn;
        }
      }
      if (spec.attributes.some((a) => a.kind === 'function') && !node.refs.fn) {
        // Its pins come from the function's signature: unknown, so the node stays unresolved (like one with
        // bad attributes) and its links are not reported again as "no such pin".
        scope.byId.set(decl.id, node);
        continue;
      }
      let pins: { inputs: PinSpec[]; outputs: PinSpec[] };
      try {
        pins = spec.pins(node.attrs, cx);
      } catch {
        at('bad-attribute', `the attributes of this ${decl.type} do not describe its pins`);
        continue;
      }
      for (const p of pins.inputs) node.inputs.set(p.name, p);
      for (const p of pins.outputs) node.outputs.set(p.name, p);
      if (spec.kind === 'data') {
        node.inputs.set(PULSE, { name: PULSE, type: 'Pulse' });
        node.outputs.set(PULSE, { name: PULSE, type: 'Pulse' });
      }
      for (const [pin, value] of Object.entries(decl.inputs ?? {})) {
        const p = node.inputs.get(pin);
        if (!p || p.type === 'Pulse') {
          at('unknown-pin', `${decl.type} has no data input "${pin}"${hintPins(pin, node.inputs)}`);
          continue;
        }
        const t: TypeName = p.type === 'Number' ? (Number.isInteger(value) ? 'Int' : 'Float') : p.type;
        if (!literalFits(value, t)) {
          at('bad-literal', `input "${pin}" expects ${describeType(p.type)}, got ${JSON.stringify(value)}`);
          hasValue.add(`${scope.label}/${decl.id}\u0000${pin}`);
        } else node.literals.set(pin, literalValue(value, t));
      }
      if (scope.byId.has(decl.id)) continue; // a duplicate id: the loader reports it
      scope.byId.set(decl.id, node);
      scope.nodes.push(node);
      if (decl.type === 'Function Input' && scope.fn) {
        if (scope.fn.input) at('function-input', `a Function has exactly one Function Input; "${scope.fn.input.id}" is the first`);
        else scope.fn.input = node;
      }
    }
    if (scope.fn && !scope.fn.input) report('function-input', scope.label, undefined, `Function "${scope.fn.name}" has no Function Input node`);
  }

  // ── links ──
  for (const scope of scopes) {
    for (const link of scope.decl.links ?? []) {
      const [fromId, fromPinRaw] = link.from;
      const [toId, toPinRaw] = link.to;
      const from = scope.byId.get(fromId);
      const to = scope.byId.get(toId);
      if (!from || !to) {
        const missing = !from ? fromId : toId;
        if (!scope.decl.nodes.some((n) => n.id === missing)) {
          report('unknown-link-node', scope.label, missing, `a link names node "${missing}", which is not in this scope`);
        } else if (to) hasValue.add(`${to.label}\u0000${pinName(toPinRaw)}`); // fed by an unknown node type
        continue;
      }
      // An unresolved node at either end (bad attributes, unknown function) was already reported; its pins
      // are unknown, so a link into it must not add a misleading "has no input" (checking only `from` did),
      // nor a link out of it a "needs a link or a value" at the other end.
      if ((from.outputs.size === 0 && from.inputs.size === 0) || (to.outputs.size === 0 && to.inputs.size === 0)) {
        hasValue.add(`${to.label}\u0000${pinName(toPinRaw)}`);
        continue;
      }
      const fromPin = pinName(fromPinRaw);
      const toPin = pinName(toPinRaw);
      const out = from.outputs.get(fromPin);
      const inp = to.inputs.get(toPin);
      if (!out) {
        report('unknown-pin', scope.label, from.id, `${from.decl.type} has no output "${fromPinRaw}"${hintPins(fromPinRaw, from.outputs)}`);
        continue;
      }
      if (!inp) {
        report('unknown-pin', scope.label, to.id, `${to.decl.type} has no input "${toPinRaw}"${hintPins(toPinRaw, to.inputs)}`);
        continue;
      }
      if ((out.type === 'Pulse') !== (inp.type === 'Pulse')) {
        report('link-kind', scope.label, to.id, `a ${out.type === 'Pulse' ? 'pulse' : 'data'} output ("${fromPinRaw}" of ${from.id}) cannot feed the ${inp.type === 'Pulse' ? 'pulse' : 'data'} input "${toPinRaw}"`);
        continue;
      }
      if (out.type === 'Pulse') {
        const list = from.pulseOut.get(fromPin) ?? [];
        list.push(to);
        from.pulseOut.set(fromPin, list);
        if (to.spec.kind === 'data') to.pulsed = true;
      } else {
        if (to.dataIn.has(toPin)) {
          report('input-multiple-links', scope.label, to.id, `input "${toPinRaw}" is fed by more than one link`);
          continue;
        }
        to.dataIn.set(toPin, { node: from, pin: fromPin });
      }
    }
  }

  // ── types: resolve Number outputs, then check every data link ──
  resolveTypes(scopes, report);

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
              `input "${pin}" (${describeType(spec.type)}) cannot take the ${from} output "${src.pin}" of ${src.node.id}: ${linkHint(from, to)}`);
          }
        } else if (!node.literals.has(pin) && spec.default === undefined && !hasValue.has(`${node.label}\u0000${pin}`)) {
          report('missing-input', scope.label, node.id, `input "${pin}" of ${node.decl.type} needs a link or a value`);
        }
      }
    }
  }

  // ── custom events: listeners and triggers must agree on the parameters ──
  const listenerParams = new Map<string, { types: string; node: RNode }>();
  for (const scope of scopes) for (const n of scope.nodes) {
    if (n.decl.type !== 'Event Listener' && n.decl.type !== 'Event Trigger') continue;
    const key = String(n.attrs.Event);
    const types = JSON.stringify(n.attrs.Parameters ?? []);
    const seen = listenerParams.get(key);
    if (!seen) listenerParams.set(key, { types, node: n });
    else if (seen.types !== types) {
      report('event-parameters', scope.label, n.id, `event "${key}" has parameters ${types} here but ${seen.types} at ${seen.node.label}`);
    }
  }

  const startName = settings.startScene;
  let startScene = scenes.length ? 0 : -1;
  if (startName !== undefined) {
    const i = scenes.indexOf(startName);
    if (i >= 0) startScene = i;
    else if (!diags.some((d) => d.code === 'unknown-start-scene')) report('unknown-start-scene', 'settings', undefined, `startScene "${startName}" names no scene`);
  }

  return {
    graph: {
      name: project.name, scopes, scenes, functions, connections, variables, variableInit, startScene,
      tickRateHz: settings.tickRate ?? 60, randomSeed: settings.randomSeed ?? 1, limits: { ...(settings.limits ?? {}) } as Record<string, number>,
    },
    diagnostics: diags,
  };
}

/** Fills defaults and checks every attribute; false when the node cannot be resolved further. */
function resolveAttributes(node: RNode, specs: readonly AttrSpec[], at: (code: string, message: string) => void): boolean {
  const given = node.decl.attributes ?? {};
  let ok = true;
  for (const name of Object.keys(given)) {
    if (!specs.some((s) => s.name === name)) {
      const hint = suggest(name, specs.map((s) => s.name));
      at('unknown-attribute', `${node.decl.type} has no attribute "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
  }
  for (const s of specs) {
    const v = given[s.name] ?? s.default;
    if (v === undefined) {
      at('missing-attribute', `${node.decl.type} needs the attribute "${s.name}"`);
      ok = false;
      continue;
    }
    const problem = attributeProblem(s, v);
    if (problem) {
      at('bad-attribute', `attribute "${s.name}" ${problem}`);
      ok = false;
      continue;
    }
    node.attrs[s.name] = v;
  }
  // Rules between attributes (a Switch's Cases must be values of its Data Type).
  const cross = ok ? node.spec.checkAttributes?.(node.attrs) : undefined;
  if (cross) {
    at('bad-attribute', `attribute "${cross.attribute}" ${cross.problem}`);
    ok = false;
  }
  return ok;
}

function attributeProblem(s: AttrSpec, v: unknown): string | undefined {
  switch (s.kind) {
    case 'string': case 'connection': case 'scene': case 'variable': case 'function':
      return typeof v === 'string' ? undefined : 'must be text';
    case 'bool':
      return typeof v === 'boolean' ? undefined : 'must be true or false';
    case 'int':
      return Number.isInteger(v) && (v as number) >= (s.min ?? -Infinity) && (v as number) <= 10_000
        ? undefined : `must be a whole number from ${s.min ?? 0} to 10000`;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : 'must be a number';
    case 'enum':
      return s.values?.includes(v as string) ? undefined : `must be one of ${s.values?.join(', ')}`;
    case 'type':
      return isTypeName(v) ? undefined : `must be a data type (${Object.keys(TYPES).join(', ')})`;
    case 'types':
      return Array.isArray(v) && v.every(isTypeName) && v.length <= 64 ? undefined : 'must be a list of data types';
    case 'list':
      return Array.isArray(v) && v.length <= 10_000 ? undefined : 'must be a list';
    case 'any':
      return undefined;
  }
}

/** Resolves the type of every data pin; Number outputs follow their Number inputs. Reports data cycles. */
function resolveTypes(scopes: RScope[], report: (code: string, scope: string, node: string | undefined, message: string) => void): void {
  const state = new Map<RNode, 'busy' | 'done'>();
  const visit = (n: RNode, path: RNode[]): void => {
    const s = state.get(n);
    if (s === 'done') return;
    if (s === 'busy') {
      const cycle = path.slice(path.indexOf(n)).map((x) => x.id);
      report('data-cycle', n.scope.label, n.id, `data links form a loop: ${[...cycle, n.id].join(' → ')}; a value cannot depend on itself`);
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

function describeType(t: PinSpec['type']): string {
  return t === 'Number' ? 'a number' : t === 'Any' ? 'any value' : `a ${t}`;
}

function hintPins(name: string, pins: Map<string, PinSpec>): string {
  // Never suggest the pulse pin for a one-letter slip ("x" → "►"): a data pin was meant.
  const hint = suggest(name, [...pins.keys()].filter((p) => p !== PULSE));
  if (hint) return ` (did you mean "${hint}"?)`;
  const names = [...pins.keys()].filter((p) => p !== PULSE);
  return names.length ? ` (it has: ${names.join(', ')})` : '';
}

/** Objects with sorted keys, so the same settings always give the same schedule bytes. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export type { ScopeDecl };
