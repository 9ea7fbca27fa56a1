// Diagnostics with positions, all at once (issue 12, Deliver 5): loader,
// schema and compiler problems in one run, each with the line and column
// of the value it is about; a problem the loader finds does not hide what
// the compiler would say about the rest.

import assert from 'node:assert/strict';
import { compile } from '../../runtime/compiler/index.ts';
import { loadProject } from '../../runtime/project/index.ts';
import { positionsOf } from '../../runtime/project/positions.ts';
import type { Diagnostic } from '../../runtime/project/model.ts';

/** A project with ten independent faults; each line that holds one says which, after `//` (stripped before parsing). */
const TEN = [
  '{',
  '  "format": "pulsewire-project/1",',
  '  "name": "ten faults",',
  '  "settings": {',
  '    "tickrate": 30,                                                      // schema: a mistyped setting',
  '    "webSocketConnections": [',
  '      { "Name": "Telemetry", "URL": "ws://127.0.0.1", "Port": 70000 }     // schema: a port out of range',
  '    ]',
  '  },',
  '  "variables": [',
  '    { "name": "speed", "type": "Float", "initial": "fast" }             // bad-initial-value',
  '  ],',
  '  "scopes": [',
  '    {',
  '      "kind": "Project",',
  '      "nodes": [',
  '        { "id": "boot", "type": "On Scene Loaded" },',
  '        { "id": "b", "type": "Brnach" },                                 // unknown-node-type',
  '        { "id": "log", "type": "Console", "attributes": { "Type": "debug" }, "inputs": { "Input": "hi" } },   // bad-attribute',
  '        { "id": "send", "type": "WebSocket Client Send", "attributes": { "Configuration": "Telemetri" }, "inputs": { "Message": "x" } },   // unknown-connection',
  '        { "id": "r", "type": "Randum" },                                 // unknown-node-type',
  '        { "id": "show", "type": "Console" },',
  '        { "id": "boot", "type": "Console", "inputs": { "Input": 1 } }     // duplicate-node-id',
  '      ],',
  '      "links": [',
  '        { "from": ["ghost", "►"], "to": ["log", "►"] },                  // unknown-link-node',
  '        { "from": ["r", "Output"], "to": ["show", "Inptu"] }              // unknown-pin',
  '      ]',
  '    }',
  '  ]',
  '}',
];
const text = TEN.map((l) => l.replace(/\s+\/\/.*$/, '')).join('\n');
const at = (needle: string, from = 0): [number, number] => {
  const line = TEN.findIndex((l, i) => i >= from && l.includes(needle));
  return [line + 1, TEN[line].indexOf(needle) + 1];
};

describe('compiler: every problem at once, with positions', () => {
  it('a project with ten independent faults gives ten diagnostics, each at its line and column, in one run', () => {
    const r = compile(text, { file: 'ten.json' });
    assert.equal(r.ok, false);
    const got = (r.ok ? [] : r.diagnostics).map((d: Diagnostic) => [d.code, d.line, d.column, d.node ?? '', d.file]);
    assert.deepEqual(got, [
      ['schema', ...at('30'), '', 'ten.json'],
      ['schema', ...at('70000'), '', 'ten.json'],
      ['bad-initial-value', ...at('"fast"'), '', 'ten.json'],
      ['duplicate-node-id', ...at('{ "id": "boot", "type": "Console"'), 'boot', 'ten.json'],
      ['unknown-link-node', ...at('["ghost"'), 'log', 'ten.json'],
      ['unknown-node-type', ...at('"Brnach"'), 'b', 'ten.json'],
      ['bad-attribute', ...at('"debug"'), 'log', 'ten.json'],
      ['unknown-connection', ...at('"Telemetri"'), 'send', 'ten.json'],
      ['unknown-node-type', ...at('"Randum"'), 'r', 'ten.json'],
      ['unknown-pin', ...at('"Inptu"'), 'show', 'ten.json'],
    ]);
    const messages = r.ok ? [] : r.diagnostics.map((d) => d.message);
    assert.match(messages[7], /Configuration "Telemetri" names no WebSocket connection in the project settings \(there are: Telemetry\)/);
    assert.match(messages[9], /Console has no input "Inptu" \(did you mean "Input"\?\)/);
  });

  it('the loader alone already gives its diagnostics positions (and none when given a parsed value)', () => {
    const ds = loadProject(text).diagnostics;
    assert.deepEqual(ds.map((d) => [d.code, d.line, d.column]).slice(0, 2), [['schema', ...at('30')], ['schema', ...at('70000')]]);
    assert.ok(loadProject(JSON.parse(text)).diagnostics.every((d) => d.line === undefined));
  });

  it('a link whose other end is an unknown node type still has its own end checked', () => {
    const p = (to: string) => ({
      format: 'pulsewire-project/1', name: 'x',
      scopes: [{ kind: 'Project', nodes: [{ id: 'r', type: 'Randum' }, { id: 'c', type: 'Console', inputs: { Input: 1 } }, { id: 'g', type: 'Get Dictionary Element', inputs: { Dictionary: {}, Key: 'k' } }],
        links: [{ from: ['r', 'Output'], to: ['c', to] }, { from: ['g', 'Vlaue'], to: ['r', 'Min'] }] }],
    });
    const r = compile(p('Inptu'));
    assert.deepEqual(r.ok ? [] : r.diagnostics.map((d) => [d.code, d.node, d.path]), [
      ['unknown-node-type', 'r', '/scopes/0/nodes/0/type'],
      ['unknown-pin', 'c', '/scopes/0/links/0/to/1'],
      ['unknown-pin', 'g', '/scopes/0/links/1/from/1'],
    ]);
  });

  it('a node naming something the loader refused is not told it names nothing', () => {
    const r = compile({
      format: 'pulsewire-project/1', name: 'x',
      settings: { webSocketConnections: [{ Name: 'Telemetry', URL: 'ws://127.0.0.1', Port: 0 }] },
      variables: [{ name: 'speed', type: 'Flaot' }],
      scopes: [
        { kind: 'Project', nodes: [
          { id: 'start', type: 'WebSocket Client Start', attributes: { Configuration: 'Telemetry' } },
          { id: 'get', type: 'Variable Getter', attributes: { Variable: 'speed' } },
          { id: 'go', type: 'Load Scene', attributes: { Scene: 'Main' } },
          { id: 'call', type: 'Function', attributes: { Function: 'Twice' } },
          { id: 'oops', type: 'Consol' },
        ] },
        { kind: 'Scene', name: 'Main', nodes: 'none' },
        { kind: 'Function', name: 'Twice', parameters: [], nodes: [], extra: 1 },
      ],
    });
    assert.deepEqual(r.ok ? [] : r.diagnostics.map((d) => d.code), ['schema', 'schema', 'schema', 'schema', 'unknown-node-type']);
  });

  it('a file that is not JSON, or not a project of this format, gets its one diagnostic and no more', () => {
    for (const input of ['{"format": "pulsewire-project/1",', '[1]', '{"format": "pulsewire-project/2", "name": "x", "scopes": [{"kind": "Project", "nodes": [{"id": "a", "type": "Brnach"}]}]}']) {
      const r = compile(input);
      assert.equal(r.ok ? 0 : r.diagnostics.length, 1, input);
    }
  });
});

describe('project/positions', () => {
  it('finds values by JSON Pointer in one pass, whatever the nesting, keys escaped, a BOM not counted', () => {
    const t = '\ufeff{\n  "a/b": [1, {"x~y": "v"}],\n  "deep": ' + '['.repeat(100_000) + ']'.repeat(100_000) + '\n}';
    const found = positionsOf(t, ['/a~1b/1/x~0y', '/deep', '/nope/7']);
    assert.deepEqual(found.get('/a~1b/1/x~0y'), { line: 2, column: 22 });
    assert.deepEqual(found.get('/deep'), { line: 3, column: 11 });
    assert.deepEqual(found.get(''), { line: 1, column: 1 });
    assert.equal(found.get('/nope/7'), undefined);
  });
});
