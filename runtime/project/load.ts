// Loads a project file: JSON text (or an already parsed value) in, a typed
// ProjectFile or every problem with it out. The caller reads the file; this
// module does no I/O, so it runs unchanged in the QuickJS bundle.
//
// Order, and why:
//   1. JSON syntax   — one diagnostic with line and column; nothing else can
//                      be said about a file that does not parse.
//   2. format        — a file of another format version is reported alone:
//                      validating it against this version's schema would
//                      bury the one real problem under dozens of false ones.
//   3. schema (ajv)  — every error, each turned into a designer's sentence.
//   4. structure     — duplicates, dangling link ends, startScene, initial
//                      values; these run even when 3 failed, so one pass
//                      shows the designer everything.
//   5. storable      — strings UTF-8 can hold, values nested no deeper than
//                      a schedule stores (storable.ts).
// Nothing here needs the node catalogue: node types, attributes, pins and
// cycles are the compiler's checks.

import Ajv, { type ValidateFunction } from 'ajv';
import { decodeUtf8 } from '../values.ts';
import { PROJECT_FORMAT, type Diagnostic, type ProjectFile } from './model.ts';
import schemaJson from './project.schema.json' with { type: 'json' };
import { findJsonSyntaxError, lineColumn } from './json-syntax.ts';
import { schemaDiagnostics } from './schema-errors.ts';
import { structuralDiagnostics } from './checks.ts';
import { storableDiagnostics } from './storable.ts';
import { isObj } from './locate.ts';
import type { LoadCode } from './codes.ts';

/** The project file's JSON Schema (draft-07), frozen; for the CLI, docs and editor tooling. */
export const PROJECT_SCHEMA: { readonly [key: string]: unknown } = deepFreeze(schemaJson);

/**
 * Success carries the project and an empty diagnostics list; failure carries
 * no project and at least one diagnostic. Test `result.project` (or
 * `result.diagnostics.length`) to tell them apart.
 */
export type LoadResult =
  | { project: ProjectFile; diagnostics: [] }
  | { project?: undefined; diagnostics: Diagnostic[] };

export interface LoadOptions {
  /** Name of the file, copied into every diagnostic's `file`. */
  file?: string;
}

// Compiled once per process, on first use: compiling generates code and
// costs far more than validating, and loadProject is called per file, per
// watch-mode rebuild, per test.
let validator: ValidateFunction | undefined;
function validate(data: unknown): ValidateFunction['errors'] {
  validator ??= new Ajv({ allErrors: true, verbose: true, strict: true }).compile(PROJECT_SCHEMA);
  return validator(data) ? null : validator.errors;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

const describeValue = (v: unknown): string =>
  v === null ? 'null' : v === undefined ? 'nothing' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

/** Step 1: text to value, or the json-syntax diagnostic. */
function parse(text: string): { value: unknown } | { error: Diagnostic } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // editors on Windows write a BOM
  try {
    return { value: JSON.parse(body) };
  } catch (e) {
    // Our scanner knows where and why; the engine's message is the fallback
    // (V8 says "at position N", other engines may say nothing).
    const found = findJsonSyntaxError(body);
    const engine = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(engine);
    const where = found ?? { ...lineColumn(body, pos ? Number(pos[1]) : 0), reason: engine };
    // Columns count from after a BOM, as editors show them.
    const { line, column, reason } = where;
    return {
      error: { code: 'json-syntax' satisfies LoadCode, scope: 'Project', line, column, message: `the file is not valid JSON: line ${line}, column ${column}: ${reason}` },
    };
  }
}

/** Step 2: the format field, checked before anything else. */
function checkFormat(data: unknown): Diagnostic | undefined {
  const d = (message: string, code: LoadCode = 'format-version'): Diagnostic => ({ code, scope: 'Project', message, path: code === 'format-version' ? '/format' : '' });
  if (!isObj(data)) {
    return d(`the file holds ${describeValue(data)}, not a project; a project is an object that starts with {"format": "${PROJECT_FORMAT}", …}`, 'not-a-project');
  }
  const f = data.format;
  if (f === PROJECT_FORMAT) return undefined;
  if (f === undefined) return d(`the file has no "format"; a pulsewire project starts with "format": "${PROJECT_FORMAT}"`);
  if (typeof f === 'string' && /^pulsewire-project\/.+$/.test(f)) return d(`this file is format ${f}; this pulsewire reads ${PROJECT_FORMAT}`);
  if (typeof f === 'string') return d(`"format" is ${JSON.stringify(f.slice(0, 60))}, which is not a pulsewire project format; expected "${PROJECT_FORMAT}"`);
  return d(`"format" must be the string "${PROJECT_FORMAT}" (found ${describeValue(f)})`);
}

/**
 * Loads a project from its JSON text (a string, or UTF-8 bytes) or from an
 * already parsed value. Never throws: every problem, of any input, comes back
 * as a diagnostic. On success the project is the parsed value itself, with no
 * defaults filled in (resolveLimits, connectionOptions and the compiler do that).
 */
export function loadProject(input: string | Uint8Array | unknown, opts: LoadOptions = {}): LoadResult {
  let data: unknown;
  let diagnostics: Diagnostic[];
  try {
    ({ data, diagnostics } = check(input));
  } catch (e) {
    // Last line of defence for the promise "never throws" (e.g. a value so
    // deeply nested that the engine runs out of stack): a bug report, not a crash.
    diagnostics = [{ code: 'internal' satisfies LoadCode, scope: 'Project', message: `the project could not be checked: ${e instanceof Error ? e.message : String(e)}` }];
  }
  if (opts.file !== undefined) for (const d of diagnostics) d.file = opts.file;
  return diagnostics.length === 0 ? { project: data as ProjectFile, diagnostics: [] } : { diagnostics };
}

function check(input: unknown): { data: unknown; diagnostics: Diagnostic[] } {
  let data = input instanceof Uint8Array ? decodeUtf8(input) : input;
  if (typeof data === 'string') {
    const p = parse(data);
    if ('error' in p) return { data: undefined, diagnostics: [p.error] };
    data = p.value;
  }
  const format = checkFormat(data);
  if (format) return { data, diagnostics: [format] };
  const errors = validate(data);
  const found = [...(errors ? schemaDiagnostics(errors, data) : []), ...structuralDiagnostics(data)];
  // One problem per value: one already refused (a list as a Bool's initial value) is not also unstorable.
  const said = (path = '') => found.some((d) => !!d.path && (path === d.path || path.startsWith(d.path + '/')));
  return { data, diagnostics: [...found, ...storableDiagnostics(data).filter((d) => !said(d.path))] };
}
