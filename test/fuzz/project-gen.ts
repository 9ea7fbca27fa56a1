// A structure-aware project generator for the compiler's adversarial suite
// (issue 9). From a seed: a valid project drawn from the node catalogue
// (connections, variables, scenes, functions, nodes with attributes of the
// right kind, links from earlier nodes to later ones between compatible
// pins, literals of the right type), then, for most seeds, a few mutations
// of the kinds a careless editor or a hostile file would make: types, pins,
// literals, limits, unicode, nesting, structure.
//
// Everything comes from the catalogue (pins through each entry's pins()),
// so a new node is fuzzed the day it is added.

import { CATALOGUE } from '../../runtime/compiler/index.ts';
import { PULSE, type AttrSpec, type NodeSpec, type PinContext, type PinSpec } from '../../runtime/compiler/catalogue/types.ts';
import { SeededRandom } from '../../runtime/random.ts';
import { DEFAULT_LIMITS } from '../../runtime/limits.ts';
import { TYPE_NAMES, linkRule, type TypeName } from '../../runtime/values.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export class Rng {
  private r: SeededRandom;
  constructor(seed: number) {
    this.r = new SeededRandom(seed);
  }
  float(): number {
    return this.r.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.r.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r.next() * xs.length)];
  }
}

export interface Generated {
  project: Obj;
  /** What was done to the valid project, for the failure message; empty for an unmutated one. */
  mutations: string[];
}

const SPECS = [...CATALOGUE.values()];
const WORDS = ['speed', 'gear', 'rpm', 'temp', 'door', 'alert', 'Main', 'Settings', 'x', 'km/h', 'ok', ''];

interface Scope {
  kind: 'Project' | 'Scene' | 'Function';
  name?: string;
  variables: Array<{ name: string; type: TypeName; initial?: Json }>;
  parameters: Array<{ name: string; type: TypeName }>;
  results: Array<{ name: string; type: TypeName }>;
  nodes: Array<{ id: string; type: string; attributes?: Obj; inputs?: Obj }>;
  links: Array<{ from: [string, string]; to: [string, string] }>;
}

/** A literal value of a type, sometimes an edge of its range. */
function literal(rng: Rng, t: TypeName | 'Number'): Json {
  switch (t) {
    case 'Bool': return rng.chance(0.5);
    case 'Int': return rng.pick([0, 1, -1, 7, 42, 2 ** 31, -(2 ** 53), rng.int(-1000, 1000)]);
    case 'Float': case 'Number': return rng.pick([0, 0.5, -2.25, 1e-9, 1e300, rng.int(-100, 100) / 8]);
    case 'String': return rng.pick([...WORDS, '{0} km/h', '{"speed": 42}', '[1,2]', 'émoji 🚗', 'a\u0000b']);
    case 'Binary': return rng.pick(['', '00', '0aff', 'DEADbeef']);
    case 'Any': return rng.pick<Json>([null, 1, 'x', [1, 'two', null], { speed: 42, gear: 'D' }, true]);
  }
}

/** A valid project from the catalogue. */
export function validProject(rng: Rng): Obj {
  const ws = Array.from({ length: rng.int(0, 2) }, (_, i) => ({ Name: `ws${i}`, URL: 'ws://127.0.0.1', Port: 9000 + i }));
  const sio = Array.from({ length: rng.int(0, 2) }, (_, i) => ({ Name: `sio${i}`, URL: 'http://127.0.0.1', Port: 3000 + i }));
  const plugins = { WebSocket: !rng.chance(0.1), 'Socket.IO': !rng.chance(0.1) };
  const projectVars = Array.from({ length: rng.int(0, 3) }, (_, i) => {
    const type = rng.pick(TYPE_NAMES);
    return rng.chance(0.5) ? { name: `v${i}`, type, initial: literal(rng, type) } : { name: `v${i}`, type };
  });
  const scopes: Scope[] = [{ kind: 'Project', variables: projectVars, parameters: [], results: [], nodes: [], links: [] }];
  for (let i = rng.int(0, 2); i > 0; i--) {
    const variables = Array.from({ length: rng.int(0, 2) }, (_, j) => ({ name: `s${j}`, type: rng.pick(TYPE_NAMES) }));
    scopes.push({ kind: 'Scene', name: `Scene${i}`, variables, parameters: [], results: [], nodes: [], links: [] });
  }
  for (let i = rng.int(0, 2); i > 0; i--) {
    const sig = (p: string) => Array.from({ length: rng.int(0, 2) }, (_, j) => ({ name: `${p}${j}`, type: rng.pick(TYPE_NAMES) }));
    scopes.push({ kind: 'Function', name: `F${i}`, variables: [], parameters: sig('p'), results: sig('r'), nodes: [], links: [] });
  }
  const scenes = scopes.filter((s) => s.kind === 'Scene').map((s) => s.name!);
  const functions = scopes.filter((s) => s.kind === 'Function');
  // One Parameters list per custom event name, so triggers and listeners agree.
  const eventParams = new Map<string, TypeName[]>();
  for (const scope of scopes) {
    const cx: PinContext = {
      variableType: (name) => [...(scope.kind === 'Scene' ? scope.variables : []), ...projectVars].find((v) => v.name === name)?.type,
      functionSignature: (name) => functions.find((f) => f.name === name),
      ownFunction: () => (scope.kind === 'Function' ? scope : undefined),
    };
    const placed: Array<{ id: string; spec: NodeSpec; inputs: PinSpec[]; outputs: PinSpec[] }> = [];
    if (scope.kind === 'Function') placed.push(place(scope, CATALOGUE.get('Function Input')!, {}, cx, 'in'));
    const count = rng.int(1, 12);
    for (let i = 0; placed.length < count + (scope.kind === 'Function' ? 1 : 0) && i < 50; i++) {
      const spec = rng.pick(SPECS);
      if (!spec.scopes.includes(scope.kind) || spec.role === 'function-entry') continue;
      if (spec.plugin && !plugins[spec.plugin]) continue;
      // Calls between graphs only from the Project and scenes: a valid project has no recursion.
      if (scope.kind === 'Function' && (spec.role === 'function-call' || spec.role === 'custom-event-trigger')) continue;
      const attrs = attributes(rng, spec, { ws, sio, scenes, functions: functions.map((f) => f.name!), variables: cx, eventParams, scope });
      if (!attrs) continue;
      placed.push(place(scope, spec, attrs, cx, `n${placed.length}`));
    }
    wire(rng, scope, placed);
  }
  const settings: Obj = { plugins };
  if (ws.length) settings.webSocketConnections = ws;
  if (sio.length) settings.socketIOConnections = sio;
  if (rng.chance(0.3)) settings.tickRate = rng.pick([1, 30, 60, 1000]);
  if (rng.chance(0.3)) settings.randomSeed = rng.pick([0, 1, 4294967295]);
  if (rng.chance(0.3)) settings.limits = { tickBudget: DEFAULT_LIMITS.tickBudget, queueCapacity: rng.pick([1, 64, 1024]) };
  if (scenes.length && rng.chance(0.5)) settings.startScene = rng.pick(scenes);
  return {
    format: 'pulsewire-project/1',
    name: rng.pick(['dash', 'Telemetry dashboard', 'ünïcode 🚗']),
    settings,
    ...(projectVars.length ? { variables: projectVars as unknown as Json } : {}),
    scopes: scopes.map(scopeJson),
  };
}

function scopeJson(s: Scope): Obj {
  const base: Obj = { kind: s.kind, nodes: s.nodes as unknown as Json, links: s.links as unknown as Json };
  if (s.kind === 'Scene') return { ...base, name: s.name!, variables: s.variables as unknown as Json };
  if (s.kind === 'Function') return { ...base, name: s.name!, parameters: s.parameters as unknown as Json, results: s.results as unknown as Json };
  return base;
}

interface Names {
  ws: Array<{ Name: string }>;
  sio: Array<{ Name: string }>;
  scenes: string[];
  functions: string[];
  variables: PinContext;
  eventParams: Map<string, TypeName[]>;
  scope: Scope;
}

/** Attribute values of the right kind; undefined when the node cannot be placed (nothing for it to name). */
function attributes(rng: Rng, spec: NodeSpec, names: Names): Obj | undefined {
  const out: Obj = {};
  let event: string | undefined;
  // The attributes others depend on first: a Data Type decides what a Value or the Cases may be.
  const order = [...spec.attributes].sort((x, y) => Number(x.kind === 'number' || x.kind === 'list') - Number(y.kind === 'number' || y.kind === 'list'));
  for (const a of order) {
    if (a.default !== undefined && rng.chance(0.4)) continue;
    const v = attributeValue(rng, a, spec, names, out);
    if (v === undefined) return undefined;
    if (a.name === 'Event') event = v as string;
    out[a.name] = v;
  }
  if (event !== undefined) {
    // Triggers and listeners of one event agree on its parameters.
    if (!names.eventParams.has(event)) names.eventParams.set(event, (out.Parameters as TypeName[] | undefined) ?? []);
    out.Parameters = names.eventParams.get(event)!;
  }
  return out;
}

function attributeValue(rng: Rng, a: AttrSpec, spec: NodeSpec, names: Names, sofar: Obj): Json | undefined {
  switch (a.kind) {
    case 'string': return rng.pick(['tick', 'alarm', 'go']);
    case 'bool': return rng.chance(0.5);
    case 'int': return rng.int(a.min ?? 0, (a.min ?? 0) + 4);
    case 'number': return (sofar['Data Type'] ?? 'Float') === 'Int' ? rng.int(-5, 5) : rng.int(-50, 50) / 4;
    case 'enum': return rng.pick(a.values!);
    case 'type': return rng.pick(TYPE_NAMES);
    case 'types': return Array.from({ length: rng.int(0, 2) }, () => rng.pick(TYPE_NAMES));
    case 'list': {
      // Switch: its Cases are values of its Data Type (chosen before Cases).
      const t = (sofar['Data Type'] as TypeName | undefined) ?? (spec.attributes.find((x) => x.name === 'Data Type')?.default as TypeName);
      return Array.from({ length: rng.int(0, 3) }, () => literal(rng, t));
    }
    case 'connection': {
      const list = spec.plugin === 'Socket.IO' ? names.sio : names.ws;
      return list.length ? rng.pick(list).Name : undefined;
    }
    case 'scene': return names.scenes.length ? rng.pick(names.scenes) : a.default === '' ? '' : undefined;
    case 'variable': {
      const visible = ['v0', 'v1', 'v2', 's0', 's1'].filter((n) => names.variables.variableType(n) !== undefined);
      return visible.length ? rng.pick(visible) : undefined;
    }
    case 'function': return names.functions.length ? rng.pick(names.functions) : undefined;
    case 'any': return literal(rng, 'Any');
  }
}

function place(scope: Scope, spec: NodeSpec, attrs: Obj, cx: PinContext, id: string) {
  const withDefaults: Record<string, unknown> = {};
  for (const a of spec.attributes) withDefaults[a.name] = attrs[a.name] ?? a.default;
  const pins = spec.pins(withDefaults, cx);
  const inputs = [...pins.inputs];
  const outputs = [...pins.outputs];
  if (spec.kind === 'data') {
    inputs.push({ name: PULSE, type: 'Pulse' });
    outputs.push({ name: PULSE, type: 'Pulse' });
  }
  scope.nodes.push({ id, type: spec.type, ...(Object.keys(attrs).length ? { attributes: attrs } : {}) });
  return { id, spec, inputs, outputs };
}

const dataType = (t: PinSpec['type']): TypeName => (t === 'Number' ? 'Float' : (t as TypeName));

/** Links from earlier nodes to later ones (so no cycles), and literals for what is left required. */
function wire(rng: Rng, scope: Scope, placed: ReturnType<typeof place>[]): void {
  placed.forEach((node, k) => {
    const decl = scope.nodes.find((n) => n.id === node.id)!;
    const earlier = placed.slice(0, k);
    for (const pin of node.inputs) {
      if (pin.type === 'Pulse') {
        // Pulse a data node only now and then: pure is the common case.
        const sources = earlier.flatMap((e) => e.outputs.filter((o) => o.type === 'Pulse').map((o) => [e.id, o.name] as [string, string]));
        if (sources.length && rng.chance(node.spec.kind === 'data' ? 0.1 : 0.8)) scope.links.push({ from: rng.pick(sources), to: [node.id, pin.name] });
        continue;
      }
      const sources = earlier.flatMap((e) => e.outputs
        .filter((o) => o.type !== 'Pulse' && linkRule(dataType(o.type), dataType(pin.type)) !== 'no')
        .map((o) => [e.id, o.name] as [string, string]));
      if (sources.length && rng.chance(0.5)) scope.links.push({ from: rng.pick(sources), to: [node.id, pin.name] });
      else if (pin.default === undefined || rng.chance(0.3)) (decl.inputs ??= {})[pin.name] = literal(rng, pin.type as TypeName | 'Number');
    }
  });
}

// ── mutations ──

type Mutation = (rng: Rng, p: Obj) => string | undefined;

const scopesOf = (p: Obj): Obj[] => (Array.isArray(p.scopes) ? (p.scopes as Obj[]).filter((s) => s && typeof s === 'object') : []);
const nodesOf = (p: Obj): Obj[] => scopesOf(p).flatMap((s) => (Array.isArray(s.nodes) ? (s.nodes as Obj[]) : []));
const linksOf = (p: Obj): Obj[] => scopesOf(p).flatMap((s) => (Array.isArray(s.links) ? (s.links as Obj[]) : []));

const nest = (depth: number, leaf: Json = 1): Json => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

/** Strings that have broken something somewhere: unicode edges, format placeholders, JSON, huge. */
function nastyString(rng: Rng): string {
  return rng.pick([
    '\ud800', 'a\udc00b', '\ud83d\ude97', '\u0000', '\u202e', '\ufeff', '►', '>', '../../etc', '{0}{1}{99}', '{{}}',
    '"); process.exit(1); ("', '${x}', '*/', '\u2028', 'x'.repeat(rng.pick([64, 65, 1000, 70_000])), '', ' ',
    'constructor', '__proto__', 'toString', 'Console', 'Brnach',
  ]);
}

function nastyValue(rng: Rng): Json {
  return rng.pick<() => Json>([
    () => nastyString(rng),
    () => rng.pick([0, -0, 1e21, -1e21, 1e308, -1, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1.5, 4294967295, 65536, Number.MIN_VALUE]),
    () => rng.chance(0.5),
    () => null,
    () => [],
    () => ({}),
    () => nest(rng.pick([255, 256, 257, 300, 5000])),
    () => ({ ['\ud800']: 1 }),
    () => Array.from({ length: rng.pick([1, 100, 20_000]) }, (_, i) => i),
  ])();
}

function pickObj(rng: Rng, xs: Obj[]): Obj | undefined {
  return xs.length ? rng.pick(xs) : undefined;
}

const MUTATIONS: Record<string, Mutation> = {
  nodeType(rng, p) {
    const n = pickObj(rng, nodesOf(p));
    if (!n) return undefined;
    const t = String(n.type);
    n.type = rng.pick([
      rng.pick(SPECS).type, t.slice(1), t.toLowerCase(), t + ' ', nastyString(rng), 'Consol', 'Brnach',
    ]);
    return `node ${String(n.id)} type → ${JSON.stringify(n.type).slice(0, 40)}`;
  },
  attribute(rng, p) {
    const n = pickObj(rng, nodesOf(p));
    if (!n) return undefined;
    const attrs = (n.attributes && typeof n.attributes === 'object' && !Array.isArray(n.attributes) ? n.attributes : (n.attributes = {})) as Obj;
    const spec = CATALOGUE.get(String(n.type));
    const names = [...(spec?.attributes.map((a) => a.name) ?? []), 'Configuration', 'Typ', nastyString(rng)];
    const key = rng.pick(names);
    if (rng.chance(0.2)) delete attrs[key];
    else attrs[key] = nastyValue(rng);
    return `node ${String(n.id)} attribute ${JSON.stringify(key).slice(0, 30)}`;
  },
  literal(rng, p) {
    const n = pickObj(rng, nodesOf(p));
    if (!n) return undefined;
    const inputs = (n.inputs && typeof n.inputs === 'object' && !Array.isArray(n.inputs) ? n.inputs : (n.inputs = {})) as Obj;
    const keys = Object.keys(inputs);
    const key = keys.length && rng.chance(0.7) ? rng.pick(keys) : rng.pick(['Input', 'Input 0', 'Value', 'Seconds', PULSE, nastyString(rng)]);
    inputs[key] = nastyValue(rng);
    return `node ${String(n.id)} literal ${JSON.stringify(key).slice(0, 30)}`;
  },
  pin(rng, p) {
    const l = pickObj(rng, linksOf(p));
    if (!l) return undefined;
    const end = rng.pick(['from', 'to'] as const);
    const e = l[end];
    if (!Array.isArray(e)) return undefined;
    if (rng.chance(0.2)) [l.from, l.to] = [l.to, l.from];
    else e[rng.chance(0.8) ? 1 : 0] = rng.pick<Json>(['Output', 'Input', 'Value', PULSE, 'Pulse', 'Message', nastyString(rng), 1, null]);
    return `link ${end}`;
  },
  limits(rng, p) {
    const settings = (p.settings ??= {}) as Obj;
    const limits = (settings.limits && typeof settings.limits === 'object' ? settings.limits : (settings.limits = {})) as Obj;
    const key = rng.pick([...Object.keys(DEFAULT_LIMITS), 'tickbudget']);
    limits[key] = rng.pick<Json>([0, -1, 1, 1.5, 1e21, 2 ** 53, 2 ** 31, 5e9, 65536, 65537, 16, 15, '100', null]);
    return `limit ${key}`;
  },
  settings(rng, p) {
    const settings = (p.settings ??= {}) as Obj;
    const key = rng.pick(['randomSeed', 'tickRate', 'startScene', 'plugins']);
    settings[key] = key === 'plugins' ? { WebSocket: false, 'Socket.IO': rng.chance(0.5) } : nastyValue(rng);
    return `settings.${key}`;
  },
  connection(rng, p) {
    const settings = (p.settings ??= {}) as Obj;
    const list = (Array.isArray(settings.webSocketConnections) ? settings.webSocketConnections : (settings.webSocketConnections = [{ Name: 'ws9', URL: 'ws://127.0.0.1' }])) as Obj[];
    const c = pickObj(rng, list);
    if (!c) return undefined;
    const key = rng.pick(['URL', 'Port', 'Name', 'auth', 'headers', 'reconnect', 'tls', 'transports']);
    c[key] = key === 'URL' ? rng.pick(['ws://h:1', 'http://x', 'ws://[::1', 'ws://127.0.0.1:9000', nastyString(rng)]) : nastyValue(rng);
    return `connection ${key}`;
  },
  unicode(rng, p) {
    const targets: Array<[Obj, string]> = [[p, 'name'], ...nodesOf(p).map((n) => [n, 'id'] as [Obj, string]), ...scopesOf(p).filter((s) => s.name).map((s) => [s, 'name'] as [Obj, string])];
    const [o, k] = rng.pick(targets);
    o[k] = String(o[k]) + rng.pick(['\ud800', '\udfff', '\u0000', '🚗', '\u202e', ' ', '/']);
    return `unicode in ${k}`;
  },
  nesting(rng, p) {
    const vars = (Array.isArray(p.variables) ? p.variables : (p.variables = [])) as Obj[];
    vars.push({ name: `deep${vars.length}`, type: 'Any', initial: nest(rng.pick([250, 256, 257, 10_000])) });
    return 'deep initial value';
  },
  chain(rng, p) {
    // Long chains: data nodes read through each other, or actions pulsing each other, thousands deep.
    const s = scopesOf(p)[0];
    if (!s || !Array.isArray(s.nodes) || !Array.isArray(s.links)) return undefined;
    const n = rng.pick([300, 2_000, 6_000]);
    const pure = rng.chance(0.5);
    const nodes = s.nodes as Json[];
    const links = s.links as Json[];
    nodes.push({ id: 'chain-boot', type: 'On Scene Loaded' }, { id: 'chain-end', type: 'Console' });
    for (let i = 0; i < n; i++) {
      nodes.push(pure ? { id: `k${i}`, type: rng.pick(['Add', 'Multiply', 'Maximum']), inputs: { 'Input 1': 1, ...(i ? {} : { 'Input 0': 1 }) } } : { id: `k${i}`, type: 'Console', inputs: { Input: i } });
      if (i) links.push(pure ? { from: [`k${i - 1}`, 'Output'], to: [`k${i}`, 'Input 0'] } : { from: [`k${i - 1}`, PULSE], to: [`k${i}`, PULSE] });
    }
    links.push({ from: ['chain-boot', PULSE], to: [pure ? 'chain-end' : 'k0', PULSE] });
    if (pure) links.push({ from: [`k${n - 1}`, 'Output'], to: ['chain-end', 'Input'] });
    else links.push({ from: [`k${n - 1}`, PULSE], to: ['chain-end', PULSE] }), (nodes[nodes.length - n - 1] as Obj).inputs = { Input: 'end' };
    return `${pure ? 'data' : 'action'} chain of ${n}`;
  },
  structure(rng, p) {
    const where = rng.pick<() => string | undefined>([
      () => { const s = pickObj(rng, scopesOf(p)); if (!s) return undefined; delete s[rng.pick(['nodes', 'kind', 'name', 'links'])]; return 'scope key deleted'; },
      () => { const n = pickObj(rng, nodesOf(p)); if (!n) return undefined; delete n[rng.pick(['id', 'type'])]; return 'node key deleted'; },
      () => { const s = pickObj(rng, scopesOf(p)); if (!s || !Array.isArray(s.nodes) || !s.nodes.length) return undefined; (s.nodes as Json[]).push(JSON.parse(JSON.stringify(rng.pick(s.nodes as Json[])))); return 'node duplicated'; },
      () => { const s = pickObj(rng, scopesOf(p)); if (!s || !Array.isArray(s.nodes) || !s.nodes.length) return undefined; (s.nodes as Json[]).splice(rng.int(0, s.nodes.length - 1), 1); return 'node removed'; },
      () => { const o = pickObj(rng, [p, ...scopesOf(p), ...nodesOf(p), ...linksOf(p)]); if (!o) return undefined; o[rng.pick(['attribute', 'extra', 'tickrate'])] = 1; return 'unknown key'; },
      () => { const o = pickObj(rng, [p, ...scopesOf(p), ...nodesOf(p)]); if (!o) return undefined; const k = rng.pick(Object.keys(o)); o[k] = nastyValue(rng); return `value of ${k} replaced`; },
      () => { (p.scopes as Json[]).push({ kind: rng.pick(['Project', 'Scene', 'Function', 'scene']), name: 'Main', nodes: [] }); return 'scope added'; },
    ]);
    return where();
  },
};

const KINDS = Object.keys(MUTATIONS);

/** The project of one seed: valid, or (most seeds) mutated 1–3 times. */
export function generate(seed: number): Generated {
  const rng = new Rng(seed);
  const project = validProject(rng);
  const mutations: string[] = [];
  if (rng.chance(0.8)) {
    for (let i = rng.int(1, 3); i > 0; i--) {
      const kind = rng.pick(KINDS);
      const what = MUTATIONS[kind](rng, project);
      if (what) mutations.push(`${kind}: ${what}`);
    }
  }
  return { project, mutations };
}
