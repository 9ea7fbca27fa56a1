// The editor-grade schema (issue 12): generated from the node catalogue
// into runtime/project/project.schema.json, checked here against the file,
// the demo, the docs' examples and what the compiler itself accepts.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject } from 'ajv';
import { PROJECT_SCHEMA } from '../../runtime/project/index.ts';
import { CATALOGUE, compile } from '../../runtime/compiler/index.ts';
import { withGeneratedParts, formatSchema } from '../../runtime/compiler/schema.ts';
import { generate } from '../fuzz/project-gen.ts';
import { project } from '../helpers/project.ts';

const FILE = new URL('../../runtime/project/project.schema.json', import.meta.url);
const validate = new Ajv({ allErrors: true, strict: true }).compile(PROJECT_SCHEMA);
const errorsOf = (p: unknown): ErrorObject[] => (validate(p) ? [] : [...(validate.errors ?? [])]);
/** The JSON blocks of a Markdown file that are whole projects. */
const projectsIn = (md: string): string[] => [...md.matchAll(/```json\n(\{\n {2}"format"[\s\S]*?)\n```/g)].map((m) => m[1]);

describe('project/schema, generated from the node catalogue', () => {
  it('is up to date (else run `npm run schema`)', () => {
    const text = readFileSync(FILE, 'utf8');
    assert.ok(formatSchema(withGeneratedParts(JSON.parse(text))) === text, 'runtime/project/project.schema.json is stale: run `npm run schema` and commit it');
  });

  it('lists every node type of the catalogue, and only those', () => {
    const nodeType = (PROJECT_SCHEMA.definitions as Record<string, { properties: { type: { enum: string[] } } }>).nodeType;
    assert.deepEqual(nodeType.properties.type.enum, [...CATALOGUE.keys()]);
  });

  it('accepts the demo and every whole project in the docs', () => {
    const texts = [
      readFileSync(new URL('../../examples/telemetry/project.json', import.meta.url), 'utf8'),
      ...projectsIn(readFileSync(new URL('../../docs/PROJECT-FORMAT.md', import.meta.url), 'utf8')),
      ...projectsIn(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')),
    ];
    assert.ok(texts.length >= 3, `${texts.length} projects`);
    for (const t of texts) assert.deepEqual(errorsOf(JSON.parse(t)), [], t.slice(0, 80));
  });

  it('the demo names it in $schema by a path an editor resolves from the project file', () => {
    const demo = new URL('../../examples/telemetry/project.json', import.meta.url);
    const ref = (JSON.parse(readFileSync(demo, 'utf8')) as { $schema: string }).$schema;
    assert.equal(new URL(ref, demo).href, FILE.href);
  });

  it('accepts every project the compiler accepts (300 generated ones)', () => {
    let compiled = 0;
    for (let seed = 0; compiled < 300 && seed < 5000; seed++) {
      const g = generate(seed);
      if (g.mutations.length || !compile(g.project).ok) continue;
      compiled++;
      assert.deepEqual(errorsOf(g.project), [], `seed ${seed}`);
    }
    assert.equal(compiled, 300);
  });

  describe('flags by itself (ajv, no compiler) what an editor should underline', () => {
    /** The instance paths the schema finds fault with in a one-node project, the node at /scopes/0/nodes/0. */
    const faults = (node: object) => errorsOf(project({ nodes: [node as never], links: [] })).map((e) => `${e.instancePath} ${e.keyword}`);

    it('an unknown node type: `Consol`', () => {
      assert.deepEqual(faults({ id: 'c', type: 'Consol', inputs: { Input: 'x' } }), ['/scopes/0/nodes/0/type enum']);
    });

    it('a missing required attribute: a WebSocket Client Start without Configuration', () => {
      assert.deepEqual(faults({ id: 's', type: 'WebSocket Client Start' }), ['/scopes/0/nodes/0 required', '/scopes/0/nodes/0 if']);
      assert.deepEqual(faults({ id: 's', type: 'WebSocket Client Start', attributes: {} }), ['/scopes/0/nodes/0/attributes required', '/scopes/0/nodes/0 if']);
    });

    it('a literal of the wrong type: a Branch Input "yes", a Clamp Min "0", an Add Input 2 text', () => {
      assert.deepEqual(faults({ id: 'b', type: 'Branch', inputs: { Input: 'yes' } }), ['/scopes/0/nodes/0/inputs/Input type', '/scopes/0/nodes/0 if']);
      assert.deepEqual(faults({ id: 'c', type: 'Clamp', inputs: { Min: '0' } }), ['/scopes/0/nodes/0/inputs/Min type', '/scopes/0/nodes/0 if']);
      assert.deepEqual(faults({ id: 'a', type: 'Add', attributes: { 'Input Count': 3 }, inputs: { 'Input 2': 'x' } }), ['/scopes/0/nodes/0/inputs/Input 2 type', '/scopes/0/nodes/0 if']);
    });

    it('an unknown attribute, an attribute value not allowed, a count out of range, an input the node does not have', () => {
      assert.deepEqual(faults({ id: 'c', type: 'Console', attributes: { Typ: 'info' } }), ['/scopes/0/nodes/0/attributes additionalProperties', '/scopes/0/nodes/0 if']);
      assert.deepEqual(faults({ id: 'c', type: 'Console', attributes: { Type: 'debug' } }), ['/scopes/0/nodes/0/attributes/Type enum', '/scopes/0/nodes/0 if']);
      assert.deepEqual(faults({ id: 'a', type: 'Add', attributes: { 'Input Count': 1 } }), ['/scopes/0/nodes/0/attributes/Input Count minimum', '/scopes/0/nodes/0 if']);
      assert.deepEqual(faults({ id: 'c', type: 'Console', inputs: { Inptu: 1 } }), ['/scopes/0/nodes/0/inputs additionalProperties', '/scopes/0/nodes/0 if']);
    });

    it('but not what only the project can tell: a Function node\'s parameters, a Variable Setter\'s value type', () => {
      assert.deepEqual(faults({ id: 'f', type: 'Function', attributes: { Function: 'F' }, inputs: { anything: 1 } }), []);
      assert.deepEqual(faults({ id: 's', type: 'Variable Setter', attributes: { Variable: 'v' }, inputs: { Value: [1] } }), []);
      assert.deepEqual(faults({ id: 'l', type: 'Console', inputs: { Input: { any: 'json' } } }), []);
    });
  });
});
