// The editor-grade parts of the project file's JSON Schema, generated from
// the node catalogue, so what an editor checks while a designer types is
// what the compiler checks, never written twice.
//
// runtime/project/project.schema.json is one file: its structure is written
// by hand there; the definitions named in GENERATED are written by
// `npm run schema` from this module (a test fails when the file is stale):
//   nodeType        node `type` an enum of the catalogue; per type (if/then)
//                   its attributes with their kinds, allowed values, bounds
//                   and defaults (required ones required), and the literal
//                   types of its data inputs;
//   pinName         every pin name of the catalogue, as suggestions for a
//                   link's ends (a link names a node by id, and JSON Schema
//                   cannot look the node's type up, so these cannot be
//                   constraints).
// What JSON Schema cannot say (a Configuration names a connection of the
// node's kind; a Variable names a variable of the scope) is said in the
// attribute's description and checked by the compiler.
//
// The loader validates with the same file but with `nodeType` taken out:
// node rules are the compiler's, which words them for the designer.

import { CATALOGUE } from './catalogue/index.ts';
import { PULSE, type AttrSpec, type NodeSpec, type PinContext, type PinType } from './catalogue/types.ts';
import { ATTRIBUTE_BOUNDS } from './attributes.ts';
import { PLUGINS } from './connections.ts';
import { TYPE_NAMES, type TypeName } from '../values.ts';

type Schema = { [key: string]: unknown };

export const GENERATED = ['nodeType', 'pinName'] as const;
const NOTE = 'Generated from the node catalogue by `npm run schema` (runtime/compiler/schema.ts); do not edit.';

/** The schema with its generated definitions written anew; everything else is kept as it is. */
export function withGeneratedParts(schema: Schema): Schema {
  const definitions = { ...(schema.definitions as Schema) };
  definitions.nodeType = nodeTypeSchema();
  definitions.pinName = { $comment: NOTE, type: 'string', minLength: 1, examples: pinNames() };
  return { ...schema, definitions };
}

function nodeTypeSchema(): Schema {
  const specs = [...CATALOGUE.values()];
  return {
    $comment: NOTE,
    type: 'object',
    properties: { type: { title: 'a node type of the catalogue (docs/NODES.md)', enum: specs.map((s) => s.type) } },
    allOf: specs.map((spec) => ({
      if: { properties: { type: { const: spec.type } }, required: ['type'] },
      then: nodeSchema(spec),
    })),
  };
}

/** One node type: its attributes and the literals of its data inputs. */
function nodeSchema(spec: NodeSpec): Schema {
  const required = spec.attributes.filter((a) => a.default === undefined).map((a) => a.name);
  const attributes: Schema = {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(spec.attributes.map((a) => [a.name, attributeSchema(a, spec)])),
  };
  if (required.length) attributes.required = required;
  const out: Schema = {
    type: 'object',
    description: `${spec.type}: ${spec.kind === 'data' ? 'a' : 'an'} ${spec.kind} node of the ${spec.family} family${spec.plugin ? ` (plugin ${spec.plugin})` : ''}, in ${spec.scopes.join(', ')} scopes`,
    properties: { attributes, inputs: inputsSchema(spec) },
  };
  if (required.length) out.required = ['attributes'];
  return out;
}

const KIND_NOUN: Partial<Record<AttrSpec['kind'], string>> = {
  scene: 'the name of a scene of the project',
  variable: 'the name of a variable of this scene or of the project',
  function: 'the name of a Function scope of the project',
};

function attributeSchema(a: AttrSpec, spec: NodeSpec): Schema {
  const s: Schema = ((): Schema => {
    switch (a.kind) {
      case 'string': return { type: 'string' };
      case 'bool': return { type: 'boolean' };
      case 'int': return { type: 'integer', minimum: a.min ?? 0, maximum: ATTRIBUTE_BOUNDS.intMax };
      case 'number': return { type: 'number' };
      case 'enum': return { enum: [...(a.values ?? [])] };
      case 'type': return { $ref: '#/definitions/typeName' };
      case 'types': return { type: 'array', maxItems: ATTRIBUTE_BOUNDS.typesMax, items: { $ref: '#/definitions/typeName' } };
      case 'list': return { type: 'array', maxItems: ATTRIBUTE_BOUNDS.listMax };
      case 'any': return {};
      case 'connection': {
        const list = spec.plugin ? PLUGINS[spec.plugin].settings : 'the settings';
        return { type: 'string', minLength: 1, description: `the Name of a ${spec.plugin ?? ''} connection in settings.${list}` };
      }
      case 'scene': case 'variable': case 'function':
        return { type: 'string', description: KIND_NOUN[a.kind] };
    }
  })();
  if (a.default !== undefined) s.default = a.default;
  return s;
}

/** A literal's schema for each pin type. */
const LITERAL: Record<Exclude<PinType, 'Pulse'>, Schema> = {
  Any: {},
  Bool: { type: 'boolean' },
  Int: { type: 'integer' },
  Float: { type: 'number' },
  Number: { type: 'number' },
  String: { type: 'string' },
  Binary: { type: 'string', pattern: '^([0-9a-fA-F]{2})*$', description: 'bytes as a hex string, two digits per byte' },
};

function literalSchema(types: ReadonlySet<Exclude<PinType, 'Pulse'>>): Schema {
  if (types.has('Any')) return {};
  const t = new Set(types);
  if (t.has('Float') || t.has('Number')) t.delete('Int');
  if (t.has('Float')) t.delete('Number');
  if (t.has('String')) t.delete('Binary'); // a hex string is a string
  const options = [...t].map((x) => LITERAL[x]);
  return options.length === 1 ? options[0] : { anyOf: options };
}

/**
 * The data inputs a node may have, by probing its pins() over its attributes:
 * every value of a bool, enum or type attribute, two of a count, two lists.
 * A name that only some counts have (`Input 2`) becomes a pattern
 * (`Input 0`, `Input 1`, …); a name that comes from the project (a
 * Function's parameters) leaves the inputs open.
 */
function inputsSchema(spec: NodeSpec): Schema {
  const PROBE = '\u0000probe';
  const signature = { parameters: [{ name: PROBE, type: 'Any' as TypeName }], results: [{ name: PROBE, type: 'Any' as TypeName }] };
  const cx: PinContext = { variableType: () => undefined, functionSignature: () => signature, ownFunction: () => signature };
  const byName = new Map<string, Set<Exclude<PinType, 'Pulse'>>>();
  const counts = new Map<string, number>();
  const combos = probeAttributes(spec.attributes);
  for (const attrs of combos) {
    for (const p of spec.pins(attrs, cx).inputs) {
      if (p.type === 'Pulse') continue;
      if (!byName.has(p.name)) byName.set(p.name, new Set());
      byName.get(p.name)!.add(p.type);
      counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
    }
  }
  const open = byName.has(PROBE);
  byName.delete(PROBE);
  const properties: Schema = {};
  const patterns = new Map<string, Set<Exclude<PinType, 'Pulse'>>>();
  for (const [name, types] of byName) {
    const numbered = /^(.+) ([0-9]+)$/.exec(name);
    if (numbered && counts.get(name)! < combos.length) {
      const key = `^${numbered[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (0|[1-9][0-9]*)$`;
      const all = patterns.get(key) ?? new Set();
      for (const t of types) all.add(t);
      patterns.set(key, all);
    } else properties[name] = literalSchema(types);
  }
  // The numbered pins that every count has (`Input 0`) are the pattern's too, not properties of their own.
  for (const key of patterns.keys()) for (const name of Object.keys(properties)) if (new RegExp(key).test(name)) delete properties[name];
  const out: Schema = { type: 'object', properties };
  if (patterns.size) out.patternProperties = Object.fromEntries([...patterns].map(([k, t]) => [k, literalSchema(t)]));
  if (!open) out.additionalProperties = false;
  return out;
}

/** Attribute sets to probe pins() with: the cartesian product of each attribute's probe values. */
function probeAttributes(specs: readonly AttrSpec[]): Array<Record<string, unknown>> {
  let combos: Array<Record<string, unknown>> = [{}];
  for (const a of specs) {
    const values = probeValues(a);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [a.name]: v })));
  }
  return combos;
}

function probeValues(a: AttrSpec): unknown[] {
  switch (a.kind) {
    case 'bool': return [false, true];
    case 'enum': return [...(a.values ?? [])];
    case 'type': return [...TYPE_NAMES];
    case 'int': return [a.min ?? 0, (a.min ?? 0) + 3];
    case 'types': return [[], ['Any', 'Any', 'Any']];
    case 'list': return [[], [0, 1, 2]];
    default: return [a.default ?? 'x'];
  }
}

/** Every pin name of the catalogue (numbered ones by their first few), sorted, ► first. */
function pinNames(): string[] {
  const names = new Set<string>();
  const cx: PinContext = { variableType: () => undefined, functionSignature: () => undefined, ownFunction: () => undefined };
  for (const spec of CATALOGUE.values()) {
    for (const attrs of probeAttributes(spec.attributes)) {
      const pins = spec.pins(attrs, cx);
      for (const p of [...pins.inputs, ...pins.outputs]) if (p.name !== PULSE) names.add(p.name);
    }
  }
  return [PULSE, ...[...names].sort()];
}

/**
 * The schema file's text: two-space JSON, with a list or object written on
 * one line when it fits (as the hand-written parts are), so the file stays
 * readable and `npm run schema` rewrites it the same way every time.
 */
export function formatSchema(v: unknown): string {
  return format(v, '') + '\n';
}

const WIDTH = 110;

function inline(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v);
    return entries.length ? `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(v);
}

function format(v: unknown, indent: string): string {
  const one = inline(v);
  if (typeof v !== 'object' || v === null || indent.length + one.length <= WIDTH) return one;
  const inner = indent + '  ';
  if (Array.isArray(v)) return `[\n${v.map((x) => inner + format(x, inner)).join(',\n')}\n${indent}]`;
  const lines = Object.entries(v).map(([k, x]) => `${inner}${JSON.stringify(k)}: ${format(x, inner)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}
