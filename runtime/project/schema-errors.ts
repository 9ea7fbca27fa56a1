// Turns ajv's errors into sentences a designer understands.
//
// ajv reports `/settings/webSocketConnections/0/Port must be <= 65535`; a
// designer needs `connection "Telemetry": Port must be a whole number from 1
// to 65535 (found 70000)`, with the scope and node the editor can jump to.
// The expected-value phrase is built from the schema itself (type, bounds,
// enum, or a definition's title), so the schema stays the one place that says
// what is allowed. Needs ajv's `verbose` option (parentSchema and data).

import type { ErrorObject } from 'ajv';
import type { Diagnostic } from './model.ts';
import { locate, parsePointer, pointer, type Place } from './locate.ts';
import { closest, didYouMean, hintIn, shorten } from '../suggest.ts';
import type { LoadCode } from './codes.ts';
import schemaJson from './project.schema.json' with { type: 'json' };

type Schema = { [key: string]: unknown };

const LINK_END = schemaJson.definitions.pinRef.title;

/** Values at these paths are credentials: never echoed into a message. */
const SECRET_PATH = /\/(headers|token|auth)(\/|$)/;

/** Extra advice for keys that belong to another kind of scope. */
const SCOPE_KEY_HINTS: Record<string, string> = {
  'Project/variables': '; Project variables go in the top-level "variables" list',
  'Scene/parameters': '; only Functions have parameters',
  'Scene/results': '; only Functions have results',
  'Function/variables': '; a Function has parameters and results, not variables',
};

const quote = (v: unknown) => JSON.stringify(v);

function range(noun: string, min: unknown, max: unknown): string {
  if (typeof min === 'number' && typeof max === 'number') return `${noun} from ${min} to ${max}`;
  if (typeof min === 'number') return `${noun}, ${min} or more`;
  if (typeof max === 'number') return `${noun}, ${max} or less`;
  return noun;
}

/** What a schema accepts, as a noun phrase: "a whole number from 1 to 65535". */
export function describeSchema(s: Schema): string {
  if (typeof s.title === 'string') return s.title;
  if ('const' in s) return quote(s.const);
  if (Array.isArray(s.enum)) return s.enum.length === 1 ? quote(s.enum[0]) : `one of ${s.enum.map(quote).join(', ')}`;
  switch (s.type) {
    case 'integer': return range('a whole number', s.minimum, s.maximum);
    case 'number': return range('a number', s.minimum, s.maximum);
    case 'string': return typeof s.minLength === 'number' && s.minLength > 0 ? 'a non-empty string' : 'a string';
    case 'boolean': return 'true or false';
    case 'object': return 'an object { … }';
    case 'array': return 'a list [ … ]';
  }
  return 'something else';
}

/** ` (found 70000)`: the offending value, short, and never a credential. */
function found(data: unknown, path: string): string {
  if (SECRET_PATH.test(path)) return '';
  if (typeof data === 'string') return ` (found ${quote(data.length > 40 ? data.slice(0, 40) + '…' : data)})`;
  if (typeof data === 'number' || typeof data === 'boolean' || data === null) return ` (found ${String(data)})`;
  return Array.isArray(data) ? ' (found a list)' : ' (found an object)';
}

/** `connection "Telemetry": Port`, `tickRate`, `node "n5"`: who the sentence is about. */
function lead(p: Place): string {
  if (p.subject && p.field) return `${p.subject}: ${p.field}`;
  return p.subject || p.field || (p.kind === 'settings' ? 'settings' : 'the project file');
}

function unknownKey(p: Place, rawKey: string, known: string[]): string {
  const dym = didYouMean(rawKey, known);
  const key = shorten(rawKey);
  if (p.kind === 'file') return p.field ? `unknown key "${key}" in ${p.field}${dym}` : `unknown top-level key "${key}"${dym}`;
  if (p.kind === 'settings') {
    const noun = p.field === '' ? 'setting' : p.field === 'limits' ? 'limit' : p.field === 'plugins' ? 'plugin' : '';
    return noun ? `unknown ${noun} "${key}"${dym}` : `unknown key "${key}" in ${p.field}${dym}`;
  }
  if (p.field) return `${p.subject}: unknown key "${key}" in ${p.field}${dym}`;
  if (p.kind === 'connection') return `${p.subject}: unknown option "${key}"${dym}`;
  if (p.kind === 'scope') {
    const kind = p.scope.split(':')[0];
    return `unknown key "${key}" in ${p.subject}${dym}${SCOPE_KEY_HINTS[`${kind}/${key}`] ?? ''}`;
  }
  return `${p.subject}: unknown key "${key}"${dym}`;
}

function sentence(e: ErrorObject, p: Place, path: string): string {
  const parent = (e.parentSchema ?? {}) as Schema;
  if (p.kind === 'link' && (p.field === 'from' || p.field === 'to')) return `${lead(p)} must be ${LINK_END}`;
  switch (e.keyword) {
    case 'required':
      return `${lead(p)} has no "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'additionalProperties': {
      const known = Object.keys((parent.properties ?? {}) as Schema);
      return unknownKey(p, (e.params as { additionalProperty: string }).additionalProperty, known);
    }
    case 'enum': {
      const options = Array.isArray(parent.enum) ? parent.enum.filter((x): x is string => typeof x === 'string') : [];
      const near = typeof e.data === 'string' ? closest(e.data, options) : undefined;
      return `${lead(p)} must be ${describeSchema(parent)}${found(e.data, path)}${near ? ` (did you mean "${near}"?)` : ''}`;
    }
    case 'type': case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
    case 'minLength': case 'maxLength': case 'const': case 'anyOf': case 'minItems': case 'maxItems': case 'additionalItems':
      return `${lead(p)} must be ${describeSchema(parent)}${found(e.data, path)}`;
    default:
      return `${lead(p)}: ${e.message ?? 'is not valid'}`;
  }
}

/** One diagnostic per distinct problem, in the order ajv found them. */
export function schemaDiagnostics(errors: readonly ErrorObject[], data: unknown): Diagnostic[] {
  // `if` only says a `then` failed (that failure is reported on its own), and
  // the branches of an anyOf are noise once the anyOf itself is reported. A
  // branch error is recognised by its place (at or under the anyOf's value),
  // not by its schemaPath, which ajv gives relative to a $ref's target. This
  // holds because the schema's only anyOf (secret) has no sibling keywords.
  const anyOfs = new Set(errors.filter((e) => e.keyword === 'anyOf').map((a) => a.instancePath));
  const inBranch = (e: ErrorObject): boolean => {
    if (e.keyword === 'anyOf') return false;
    for (let p = e.instancePath; ; p = p.slice(0, p.lastIndexOf('/'))) {
      if (anyOfs.has(p)) return true;
      if (p === '') return false;
    }
  };
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  // Items of one list that are wrong the same way are said a few times, then counted: a hostile or
  // generated file with 20,000 bad items gets a readable answer, in time linear in the errors.
  const similar = new Map<string, { count: number; parent: string; first: Diagnostic }>();
  for (const e of errors) {
    if (e.keyword === 'if' || inBranch(e)) continue;
    // A value that is not among the enum's says so once; its type error says less about the same thing.
    if (e.keyword === 'type' && Array.isArray((e.parentSchema as Schema | undefined)?.enum)) continue;
    const item = /^(.*)\/[0-9]+(\/[^/]*)?$/.exec(e.instancePath);
    const group = item ? `${e.keyword}\n${item[1]}\n${item[2] ?? ''}` : undefined;
    const g = group === undefined ? undefined : similar.get(group);
    if (g && ++g.count > SIMILAR_SHOWN) continue;
    const p = locate(data, e.instancePath);
    // The path points at the offending value: the unknown key itself, or the
    // whole link end rather than one item inside it.
    let path = e.instancePath;
    if (e.keyword === 'additionalProperties') path += pointer([(e.params as { additionalProperty: string }).additionalProperty]);
    if (p.kind === 'link' && (p.field === 'from' || p.field === 'to')) path = pointer(parsePointer(path).slice(0, 6));
    const message = sentence(e, p, path);
    const key = path + '\n' + message;
    if (seen.has(key)) continue;
    seen.add(key);
    const d: Diagnostic = { code: 'schema' satisfies LoadCode, scope: p.scope, message, path };
    if (p.node !== undefined) d.node = p.node;
    const hint = hintIn(message);
    if (hint !== undefined) d.hint = hint;
    out.push(d);
    if (group !== undefined && !g) similar.set(group, { count: 1, parent: item![1], first: d });
  }
  for (const g of similar.values()) {
    if (g.count <= SIMILAR_SHOWN) continue;
    const d: Diagnostic = { ...g.first, path: g.parent, message: `${g.count - SIMILAR_SHOWN} more items of the same list are wrong the same way as "${g.first.message}"` };
    out.push(d);
  }
  return out;
}

/** How many items of one list wrong the same way are each reported before the rest are counted. */
const SIMILAR_SHOWN = 10;
