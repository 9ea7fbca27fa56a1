// What `pulsewire graph` draws, before any layout: per scope, the nodes as
// boxes with their pins in the editor's order and names, and the links
// between pins. Built from a project file (with the node catalogue: pins,
// families, key attributes; with the compiler's diagnostics marked on the
// nodes they are about) or from a schedule's debug map (debug-diagram.ts).
//
// A project with problems still draws: an unknown node type is a box of the
// type written, a pin a link names but the node does not have is drawn (as
// faulty) so that every link of the file appears exactly once.

import type { Diagnostic, ProjectFile, ScopeDecl } from '../../runtime/project/model.ts';
import { scopeLabel } from '../../runtime/project/model.ts';
import { CATALOGUE } from '../../runtime/compiler/catalogue/index.ts';
import { PULSE, type AttrSpec, type NodeSpec, type PinContext, type PinSpec } from '../../runtime/compiler/catalogue/types.ts';
import type { TypeName } from '../../runtime/values.ts';

/** Names an editor export may use for the unnamed pulse pins (as the compiler reads them). */
const PULSE_ALIASES = new Set([PULSE, 'Pulse', 'Pulse Input', 'Pulse Output', '>']);
const pinName = (p: string): string => (PULSE_ALIASES.has(p) ? PULSE : p);

export interface DPin {
  name: string;
  /** 'Pulse', a data type, 'Number', or '?' when unknown (a pin only a link names). */
  type: string;
  /** A literal given in the file, as short text. */
  literal?: string;
  /** The node does not have this pin (a link names it anyway). */
  faulty?: boolean;
}

export interface DNode {
  id: string;
  /** The editor's node type as written. */
  type: string;
  /** The catalogue family (events, flow, variables, communication/websocket, …), or 'unknown'. */
  family: string;
  /** event, action or data; 'unknown' for a type the catalogue lacks. */
  kind: 'event' | 'action' | 'data' | 'unknown';
  /** The key attribute, e.g. `Configuration: Telemetry`, `Variable: speed`. */
  key?: string;
  /** Other attributes the file sets, as `Name: value`. */
  attrs: string[];
  inputs: DPin[];
  outputs: DPin[];
  /** Messages of the diagnostics about this node. */
  faults: string[];
}

export interface DLink {
  from: { node: string; pin: string };
  to: { node: string; pin: string };
  pulse: boolean;
  /** The data type the output carries (for colour); undefined for pulses. */
  type?: string;
}

export interface DScope {
  /** `Project`, `Scene:Name`, `Function:Name`: as diagnostics name scopes. */
  label: string;
  nodes: DNode[];
  links: DLink[];
  /** Diagnostics about the scope but no node of it. */
  notes: string[];
}

export interface Diagram {
  title: string;
  /** Where it came from, for the caption (`project.json`, `app.pws (debug map)`). */
  source: string;
  scopes: DScope[];
  /** Diagnostics about no scope (settings, the file as a whole). */
  notes: string[];
  /** What the picture cannot show (drawn from a .pws), for the caption. */
  caveats: string[];
}

/** The diagram of a loaded project, with `diagnostics` (the compiler's) marked where they belong. */
export function projectDiagram(project: ProjectFile, diagnostics: readonly Diagnostic[], source: string): Diagram {
  const functions = new Map<string, { parameters: { name: string; type: TypeName }[]; results: { name: string; type: TypeName }[] }>();
  for (const s of project.scopes) {
    if (s.kind === 'Function') functions.set(s.name, { parameters: s.parameters ?? [], results: s.results ?? [] });
  }
  const diagram: Diagram = { title: project.name, source, scopes: [], notes: [], caveats: [] };
  const byLabel = new Map<string, DScope>();
  for (const decl of project.scopes) {
    const scope = scopeDiagram(project, decl, functions);
    diagram.scopes.push(scope);
    byLabel.set(scope.label, scope);
  }
  for (const d of diagnostics) {
    const scope = byLabel.get(d.scope);
    const node = d.node === undefined ? undefined : scope?.nodes.find((n) => n.id === d.node);
    if (node) node.faults.push(d.message);
    else if (scope) scope.notes.push(d.node === undefined ? d.message : `${d.node}: ${d.message}`);
    else diagram.notes.push(`${d.scope}${d.node === undefined ? '' : '/' + d.node}: ${d.message}`);
  }
  return diagram;
}

function scopeDiagram(project: ProjectFile, decl: ScopeDecl, functions: Map<string, { parameters: { name: string; type: TypeName }[]; results: { name: string; type: TypeName }[] }>): DScope {
  const label = scopeLabel(decl);
  const variables = new Map<string, TypeName>();
  for (const v of project.variables ?? []) variables.set(v.name, v.type);
  if (decl.kind === 'Scene') for (const v of decl.variables ?? []) variables.set(v.name, v.type);
  const cx: PinContext = {
    variableType: (name) => variables.get(name),
    functionSignature: (name) => functions.get(name),
    ownFunction: () => (decl.kind === 'Function' ? functions.get(decl.name) : undefined),
  };
  const nodes: DNode[] = [];
  const byId = new Map<string, DNode>();
  for (const n of decl.nodes) {
    if (byId.has(n.id)) continue; // a duplicate id: the loader reports it; the first is drawn
    const node = nodeDiagram(n.id, n.type, n.attributes ?? {}, n.inputs ?? {}, cx);
    nodes.push(node);
    byId.set(n.id, node);
  }
  const links: DLink[] = [];
  const notes: string[] = [];
  for (const l of decl.links ?? []) {
    const from = byId.get(l.from[0]);
    const to = byId.get(l.to[0]);
    if (!from || !to) {
      notes.push(`a link names node "${!from ? l.from[0] : l.to[0]}", which is not in this scope: not drawn`);
      continue;
    }
    const out = pinOf(from, 'outputs', pinName(l.from[1]));
    const inp = pinOf(to, 'inputs', pinName(l.to[1]));
    const pulse = out.type === 'Pulse' || (out.type === '?' && inp.type === 'Pulse');
    if (out.type === '?' && inp.type !== '?') out.type = inp.type;
    if (inp.type === '?' && out.type !== '?') inp.type = out.type;
    links.push({ from: { node: from.id, pin: out.name }, to: { node: to.id, pin: inp.name }, pulse, type: pulse ? undefined : out.type });
  }
  return { label, nodes, links, notes };
}

/**
 * The pin named, added when the node lacks it: a data node's optional ► pins
 * as they are, a pin of a node of unknown type as unknown, any other as faulty.
 */
function pinOf(node: DNode, side: 'inputs' | 'outputs', name: string): DPin {
  const pins = node[side];
  let p = pins.find((x) => x.name === name);
  if (!p) {
    const implied = node.kind === 'data' && name === PULSE;
    p = { name, type: name === PULSE ? 'Pulse' : '?', ...(implied || node.kind === 'unknown' ? {} : { faulty: true }) };
    // The pulse pin first, as the editor draws it.
    if (name === PULSE) pins.unshift(p);
    else pins.push(p);
  }
  return p;
}

/** Attributes that name what a node is about: shown under its type. */
const KEY_KINDS = new Set<AttrSpec['kind']>(['connection', 'variable', 'function', 'scene']);

function nodeDiagram(id: string, type: string, attributes: Record<string, unknown>, literals: Record<string, unknown>, cx: PinContext): DNode {
  const spec = CATALOGUE.get(type);
  const node: DNode = { id, type, family: spec?.family ?? 'unknown', kind: spec?.kind ?? 'unknown', attrs: [], inputs: [], outputs: [], faults: [] };
  const keyAttr = spec?.attributes.find((a) => KEY_KINDS.has(a.kind)) ?? spec?.attributes.find((a) => a.name === 'Event');
  for (const [name, value] of Object.entries(attributes)) {
    const text = `${name}: ${typeof value === 'string' && value !== '' ? (value.length > 28 ? value.slice(0, 27) + '…' : value) : short(value)}`;
    if (keyAttr && name === keyAttr.name) node.key = text;
    else node.attrs.push(text);
  }
  if (!spec) return node;
  const pins = pinsOf(spec, attributes, cx);
  if (pins) {
    node.inputs = pins.inputs.map((p) => ({ name: p.name, type: p.type }));
    node.outputs = pins.outputs.map((p) => ({ name: p.name, type: p.type }));
  }
  for (const [name, value] of Object.entries(literals)) {
    const p = pinOf(node, 'inputs', name);
    p.literal = short(value);
  }
  return node;
}

/** The node's pins for its attributes (defaults filled in), or undefined when the attributes do not describe any. */
function pinsOf(spec: NodeSpec, attributes: Record<string, unknown>, cx: PinContext): { inputs: PinSpec[]; outputs: PinSpec[] } | undefined {
  const a: Record<string, unknown> = {};
  for (const s of spec.attributes) a[s.name] = attributes[s.name] ?? s.default;
  try {
    return spec.pins(a, cx);
  } catch {
    return undefined;
  }
}

/** A value as short text for a box: strings quoted, long ones cut. */
export function short(v: unknown, max = 28): string {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** A project whose file could not be loaded whole (schema errors): what can still be read from the JSON. */
export function looseProject(json: unknown): ProjectFile | undefined {
  if (json === null || typeof json !== 'object' || !Array.isArray((json as { scopes?: unknown }).scopes)) return undefined;
  const o = json as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  const scopes: ScopeDecl[] = [];
  for (const s of o.scopes as unknown[]) {
    if (s === null || typeof s !== 'object') continue;
    const r = s as Record<string, unknown>;
    const kind = r.kind === 'Scene' || r.kind === 'Function' ? r.kind : 'Project';
    const nodes = (Array.isArray(r.nodes) ? r.nodes : [])
      .filter((n): n is Record<string, unknown> => n !== null && typeof n === 'object' && typeof (n as { id?: unknown }).id === 'string')
      .map((n) => ({
        id: n.id as string,
        type: str(n.type) ?? '?',
        attributes: isRecord(n.attributes) ? n.attributes : undefined,
        inputs: isRecord(n.inputs) ? n.inputs : undefined,
      }));
    const links = (Array.isArray(r.links) ? r.links : [])
      .filter((l): l is { from: [string, string]; to: [string, string] } => isEnd((l as { from?: unknown })?.from) && isEnd((l as { to?: unknown })?.to));
    const name = str(r.name) ?? '?';
    scopes.push(kind === 'Project' ? { kind, nodes, links } : kind === 'Scene' ? { kind, name, nodes, links } : { kind, name, nodes, links });
  }
  return { format: 'pulsewire-project/1', name: str(o.name) ?? 'project', scopes };
}

const isRecord = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const isEnd = (x: unknown): boolean => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string';
