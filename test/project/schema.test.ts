// The schema, the TypeScript model, the docs and the loader's messages must
// say the same thing. These tests keep them in step instead of trusting
// that someone remembers to.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { loadProject, PROJECT_SCHEMA, PROJECT_FORMAT, LOAD_CODES } from '../../runtime/project/index.ts';
import { DEFAULT_LIMITS } from '../../runtime/limits.ts';
import { TYPE_NAMES } from '../../runtime/values.ts';
import { DEFAULT_OPTIONS } from '../../bindings/options.ts';
import { validProject, type Loose } from './fixture.ts';

const defs = PROJECT_SCHEMA.definitions as Loose;
const docs = readFileSync(new URL('../../docs/PROJECT-FORMAT.md', import.meta.url), 'utf8');

describe('project/schema', () => {
  it('compiles under ajv strict mode without a warning', () => {
    const warnings: unknown[] = [];
    const ajv = new Ajv({ strict: true, allErrors: true, logger: { log() {}, warn: (...a: unknown[]) => warnings.push(a), error: (...a: unknown[]) => warnings.push(a) } });
    ajv.compile(PROJECT_SCHEMA);
    assert.deepEqual(warnings, []);
  });

  it('is frozen, so no caller can change what every other caller validates against', () => {
    assert.ok(Object.isFrozen(PROJECT_SCHEMA));
    assert.ok(Object.isFrozen(defs.connection.properties.Port));
  });

  it('agrees with the model: format, type names, limit keys', () => {
    assert.equal((PROJECT_SCHEMA.properties as Loose).format.const, PROJECT_FORMAT);
    assert.deepEqual(defs.typeName.enum, TYPE_NAMES);
    assert.deepEqual(Object.keys(defs.settings.properties.limits.properties), Object.keys(DEFAULT_LIMITS));
  });

  it('knows every connection option the bindings read (and Name, URL, Port)', () => {
    const keys = Object.keys(defs.connection.properties).sort();
    assert.deepEqual(keys, ['Name', 'Port', 'URL', 'auth', 'token', ...Object.keys(DEFAULT_OPTIONS)].sort());
    for (const group of ['reconnect', 'heartbeat', 'sendBuffer'] as const) {
      assert.deepEqual(Object.keys(defs.connection.properties[group].properties).sort(), Object.keys(DEFAULT_OPTIONS[group]).sort(), group);
    }
  });

  it('accepts the binding defaults as explicit settings', () => {
    const p = validProject();
    const { headers: _h, ...options } = DEFAULT_OPTIONS;
    p.settings.webSocketConnections[0] = { Name: 'Telemetry', URL: 'ws://x', ...options };
    assert.deepEqual(loadProject(p).diagnostics, []);
  });
});

describe('docs/PROJECT-FORMAT.md', () => {
  it('has an example that loads without diagnostics', () => {
    const example = /```json\n(\{\n  "format"[\s\S]*?)\n```/.exec(docs);
    assert.ok(example, 'the complete example is the first ```json block that starts with "format"');
    const r = loadProject(example[1]);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.project?.scopes.map((s) => s.kind), ['Project', 'Scene']);
  });

  it('lists exactly the loader\'s diagnostic codes', () => {
    const section = docs.slice(docs.indexOf('## Diagnostics'), docs.indexOf('## For tool writers'));
    const listed = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(listed, Object.keys(LOAD_CODES));
  });

  it('states the connection defaults of bindings/options.ts', () => {
    const d = DEFAULT_OPTIONS;
    const rows: Array<[string, unknown]> = [
      ['reconnect.initialDelayMs', d.reconnect.initialDelayMs], ['reconnect.maxDelayMs', d.reconnect.maxDelayMs],
      ['reconnect.factor', d.reconnect.factor], ['reconnect.jitter', d.reconnect.jitter], ['reconnect.maxAttempts', d.reconnect.maxAttempts],
      ['handshakeTimeoutMs', d.handshakeTimeoutMs], ['heartbeat.intervalMs', d.heartbeat.intervalMs], ['heartbeat.timeoutMs', d.heartbeat.timeoutMs],
      ['sendWhileClosed', `"${d.sendWhileClosed}"`], ['offlineQueue', d.offlineQueue],
      ['sendBuffer.highWaterBytes', d.sendBuffer.highWaterBytes], ['sendBuffer.lowWaterBytes', d.sendBuffer.lowWaterBytes],
      ['maxMessageBytes', d.maxMessageBytes], ['tls.verify', d.tls.verify], ['reconnect.enabled', d.reconnect.enabled],
    ];
    for (const [key, value] of rows) {
      const row = new RegExp('^\\| `' + key.replace('.', '\\.') + '` \\| no \\| `?' + String(value) + '`? \\|', 'm');
      assert.match(docs, row, key);
    }
  });
});

describe('project/load messages, over every field', () => {
  // Puts wrong values into every place of a valid project and checks that
  // whatever comes out is a designer's sentence: never a throw, never ajv's
  // own wording, always a code, a scope and (inside a node) the node id.
  const WRONG: unknown[] = [null, true, -1, 0, 1.5, 70000, '', 'x', [], {}, ['a'], { env: 1 }];
  const AJV_WORDING = /must NOT|must match|must be equal to|must pass|must have required|schema/;
  const SCOPE = /^(Project|settings|Scene:.+|Function:.+|scopes\[\d+\])$/;

  function* places(v: unknown, path: Array<string | number> = []): Generator<Array<string | number>> {
    if (path.length > 0) yield path;
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* places(v[i], [...path, i]);
    else if (typeof v === 'object' && v !== null) for (const k of Object.keys(v)) yield* places((v as Loose)[k], [...path, k]);
  }

  it('gives a sentence for every wrong value in every place', () => {
    let loads = 0;
    for (const path of places(validProject())) {
      if (path[0] === 'format') continue;
      for (const wrong of WRONG) {
        const p = validProject();
        let at: Loose = p;
        for (const k of path.slice(0, -1)) at = at[k];
        at[path[path.length - 1]] = wrong;
        const r = loadProject(p);
        loads++;
        const node = path[0] === 'scopes' && path[2] === 'nodes' && path.length >= 4 ? p.scopes[path[1]].nodes[path[3]] : undefined;
        const nodeId = typeof node?.id === 'string' && node.id !== '' ? node.id : undefined;
        for (const d of r.diagnostics) {
          const where = `${path.join('/')} = ${JSON.stringify(wrong)}: ${JSON.stringify(d)}`;
          assert.ok(d.code in LOAD_CODES && d.code !== 'internal', where);
          assert.match(d.scope, SCOPE, where);
          assert.doesNotMatch(d.message, AJV_WORDING, where);
          if (d.code === 'schema' && nodeId !== undefined) assert.equal(d.node, nodeId, where);
        }
      }
    }
    assert.ok(loads > 1000, `${loads} loads`);
  });
});
