import assert from 'node:assert/strict';
import Ajv from 'ajv';
import { loadProject, formatDiagnostic } from '../../runtime/project/index.ts';
import { codes, only, validProject } from './fixture.ts';

describe('project/load', () => {
  describe('a valid project', () => {
    it('loads from text with no diagnostics, as the parsed file', () => {
      const p = validProject();
      const r = loadProject(JSON.stringify(p, null, 2));
      assert.deepEqual(r.diagnostics, []);
      assert.deepEqual(r.project, p);
    });

    it('loads from a parsed object (the same object back, no defaults added) and from UTF-8 bytes', () => {
      const p = validProject();
      assert.equal(loadProject(p).project, p);
      const bytes = new TextEncoder().encode(JSON.stringify(p));
      assert.deepEqual(loadProject(bytes).project, p);
    });

    it('accepts a byte-order mark and a $schema key for editors', () => {
      const p = validProject();
      p.$schema = './node_modules/pulsewire/runtime/project/project.schema.json';
      assert.deepEqual(loadProject('\uFEFF' + JSON.stringify(p)).diagnostics, []);
    });

    it('needs only format, name and one Project scope', () => {
      const r = loadProject({ format: 'pulsewire-project/1', name: '', scopes: [{ kind: 'Project', nodes: [] }] });
      assert.deepEqual(r.diagnostics, []);
    });
  });

  describe('JSON syntax', () => {
    it('reports line and column of a trailing comma, as fields and in the message', () => {
      const text = '{\n  "format": "pulsewire-project/1",\n  "name": "x",\n}';
      const d = only(text, 'json-syntax');
      assert.equal(d.line, 3);
      assert.equal(d.column, 14);
      assert.equal(d.scope, 'Project');
      assert.match(d.message, /line 3, column 14/);
      assert.match(d.message, /trailing comma/);
    });

    it('points at a missing comma between two properties', () => {
      const d = only('{"format": "pulsewire-project/1"\n "name": "x"}', 'json-syntax');
      assert.deepEqual([d.line, d.column], [2, 2]);
      assert.match(d.message, /comma missing/);
    });

    it('counts the column after a byte-order mark as the editor shows it', () => {
      const d = only('\uFEFF{"a" 1}', 'json-syntax');
      assert.deepEqual([d.line, d.column], [1, 6]);
    });

    it('reports an empty file', () => {
      assert.match(only('', 'json-syntax').message, /empty/);
    });
  });

  describe('garbage input never throws', () => {
    for (const [what, input] of [
      ['a number', 42],
      ['null', null],
      ['an array', []],
      ['a JSON array', '[1, 2]'],
      ['a JSON string', '"pulsewire"'],
      ['undefined', undefined],
      ['a boolean', true],
    ] as const) {
      it(`gives one diagnostic for ${what}`, () => {
        const d = only(input, 'not-a-project');
        assert.equal(d.scope, 'Project');
        assert.match(d.message, /not a project/);
      });
    }

    it('survives a value nested too deep to print', () => {
      const p = validProject();
      let deep: unknown = [];
      for (let i = 0; i < 100_000; i++) deep = [deep];
      p.variables[0].initial = deep;
      const d = only(p, 'bad-initial-value');
      assert.match(d.message, /is a list, not true or false/);
    });

    it('says ten of 20,000 items wrong the same way, then counts the rest (one diagnostic each took seconds)', () => {
      const p = validProject();
      p.settings.socketIOConnections = [{ Name: 'S', URL: 'http://127.0.0.1', transports: Array.from({ length: 20_000 }, (_, i) => i) as never }];
      const ds = loadProject(p).diagnostics;
      assert.equal(ds.length, 11);
      assert.match(ds[0].message, /^connection "S": transports\[0\] must be one of "websocket", "polling" \(found 0\)$/);
      assert.equal(ds[10].path, '/settings/socketIOConnections/0/transports');
      assert.match(ds[10].message, /^19990 more items of the same list are wrong the same way as "connection "S": transports\[0\]/);
    });

    it('survives a file that opens a million lists', () => {
      const d = only('['.repeat(1_000_000), 'json-syntax');
      assert.match(d.message, /ends before the list/);
    });
  });

  describe('format', () => {
    it('names the version of a file from another pulsewire', () => {
      const p = validProject();
      p.format = 'pulsewire-project/2';
      p.settings.tickRate = 'fast'; // would be a schema error in /1: not reported
      const d = only(p, 'format-version');
      assert.equal(d.message, 'this file is format pulsewire-project/2; this pulsewire reads pulsewire-project/1');
      assert.equal(d.path, '/format');
    });

    it('says so when format is missing or not a pulsewire format', () => {
      const p = validProject();
      delete p.format;
      assert.match(only(p, 'format-version').message, /has no "format".*"pulsewire-project\/1"/);
      p.format = 'incari-project';
      assert.match(only(p, 'format-version').message, /"incari-project", which is not a pulsewire project format/);
      p.format = 1;
      assert.match(only(p, 'format-version').message, /must be the string "pulsewire-project\/1"/);
    });
  });

  describe('schema errors in designer words', () => {
    it('a node without a type', () => {
      const p = validProject();
      delete p.scopes[1].nodes[1].type;
      const d = only(p, 'schema');
      assert.equal(d.scope, 'Scene:Dashboard');
      assert.equal(d.node, 'log');
      assert.equal(d.message, 'node "log" has no "type"');
      assert.equal(d.path, '/scopes/1/nodes/1');
    });

    it('an unknown setting, with a suggestion', () => {
      const p = validProject();
      p.settings.tickrate = 30;
      const d = only(p, 'schema');
      assert.equal(d.scope, 'settings');
      assert.equal(d.node, undefined);
      assert.equal(d.message, 'unknown setting "tickrate" (did you mean "tickRate"?)');
      assert.equal(d.path, '/settings/tickrate');
    });

    it('a connection Port out of range, named by the connection', () => {
      const p = validProject();
      p.settings.webSocketConnections[0].Port = 70000;
      const d = only(p, 'schema');
      assert.equal(d.scope, 'settings');
      assert.equal(d.message, 'connection "Telemetry": Port must be a whole number from 1 to 65535 (found 70000)');
    });

    it('a Port written as text', () => {
      const p = validProject();
      p.settings.socketIOConnections[0].Port = '8080';
      assert.match(only(p, 'schema').message, /^connection "Events": Port must be a whole number from 1 to 65535 \(found "8080"\)$/);
    });

    it('an unknown key in a node, in a link and in a connection option', () => {
      const p = validProject();
      p.scopes[0].nodes[1].attribute = {};
      p.scopes[1].links[0].form = ['rx', '►'];
      p.settings.webSocketConnections[0].reconnect.maxAttempt = 3;
      const r = loadProject(p);
      assert.deepEqual(codes(r.diagnostics), ['schema', 'schema', 'schema']);
      const [conn, node, link] = r.diagnostics;
      assert.equal(conn.message, 'connection "Telemetry": unknown key "maxAttempt" in reconnect (did you mean "maxAttempts"?)');
      assert.deepEqual([node.scope, node.node, node.message], ['Project', 'start', 'node "start": unknown key "attribute" (did you mean "attributes"?)']);
      assert.deepEqual([link.scope, link.node], ['Scene:Dashboard', 'rx']);
      assert.match(link.message, /^link rx\.► → log\.►: unknown key "form" \(did you mean "from"\?\)$/);
    });

    it('a type name in the wrong case', () => {
      const p = validProject();
      p.scopes[1].variables[0].type = 'float';
      const d = only(p, 'schema');
      assert.equal(d.scope, 'Scene:Dashboard');
      assert.match(d.message, /^variable "speed": type must be one of "Any", .*"Binary" \(found "float"\) \(did you mean "Float"\?\)$/);
    });

    it('a malformed link end, as one problem per end', () => {
      const p = validProject();
      p.scopes[1].links[1].to = ['log'];
      const d = only(p, 'schema');
      assert.equal(d.node, 'rx');
      assert.equal(d.path, '/scopes/1/links/1/to');
      assert.match(d.message, /^links\[1\]: to must be \[node id, pin name\]/);
    });

    it('Project variables put inside the Project scope', () => {
      const p = validProject();
      p.scopes[0].variables = [];
      const d = only(p, 'schema');
      assert.equal(d.scope, 'Project');
      assert.match(d.message, /unknown key "variables" in the Project scope; Project variables go in the top-level "variables" list/);
    });

    it('a secret of the wrong shape, without echoing it', () => {
      const p = validProject();
      p.settings.webSocketConnections[0].headers.Authorization = { env: 'TOKEN', value: 's3cret' };
      p.settings.webSocketConnections[0].token = 12345;
      const r = loadProject(p);
      assert.equal(r.diagnostics.length, 2);
      for (const d of r.diagnostics) {
        assert.equal(d.code, 'schema');
        assert.match(d.message, /must be a string, or \{"env": "NAME"\}/);
        assert.doesNotMatch(d.message, /s3cret|12345/);
      }
    });

    it('limits: only the known keys, as positive whole numbers', () => {
      const p = validProject();
      p.settings.limits = { tickBudget: 0, timer: 5 };
      const r = loadProject(p);
      assert.deepEqual(r.diagnostics.map((d) => d.message), [
        'unknown limit "timer" (did you mean "timers"?)',
        'limits.tickBudget must be a whole number, 1 or more (found 0)',
      ]);
    });

    it('a scope of unknown kind is labelled by its place in the file', () => {
      const p = validProject();
      p.scopes[2].kind = 'function';
      const d = only(p, 'schema');
      assert.equal(d.scope, 'scopes[2]');
      assert.match(d.message, /kind must be one of .* \(did you mean "Function"\?\)/);
    });
  });

  describe('structural checks', () => {
    it('missing-project-scope', () => {
      const p = validProject();
      p.scopes.shift();
      const d = only(p, 'missing-project-scope');
      assert.equal(d.scope, 'Project');
      assert.match(d.message, /no Project scope/);
    });

    it('a mistyped Project kind is one problem, not two', () => {
      const p = validProject();
      p.scopes[0].kind = 'project';
      const d = only(p, 'schema');
      assert.match(d.message, /\(did you mean "Project"\?\)$/);
    });

    it('duplicate-project-scope', () => {
      const p = validProject();
      p.scopes.push({ kind: 'Project', nodes: [] });
      const d = only(p, 'duplicate-project-scope');
      assert.equal(d.path, '/scopes/3');
      assert.match(d.message, /2 Project scopes; there must be exactly one/);
    });

    it('duplicate-node-id', () => {
      const p = validProject();
      p.scopes[1].nodes.push({ id: 'rx', type: 'Console' });
      const d = only(p, 'duplicate-node-id');
      assert.deepEqual([d.scope, d.node, d.path], ['Scene:Dashboard', 'rx', '/scopes/1/nodes/2']);
      assert.match(d.message, /2 nodes have the id "rx" in Scene "Dashboard"/);
    });

    it('allows the same node id in two scopes', () => {
      const p = validProject();
      p.scopes[1].nodes[0].id = 'boot';
      p.scopes[1].links = [];
      assert.deepEqual(loadProject(p).diagnostics, []);
    });

    it('duplicate-scene-name', () => {
      const p = validProject();
      p.scopes.push({ kind: 'Scene', name: 'Dashboard', nodes: [] });
      const d = only(p, 'duplicate-scene-name');
      assert.deepEqual([d.scope, d.path], ['Scene:Dashboard', '/scopes/3']);
      assert.match(d.message, /2 scenes are named "Dashboard"/);
    });

    it('duplicate-function-name', () => {
      const p = validProject();
      p.scopes.push({ kind: 'Function', name: 'double', nodes: [] });
      const d = only(p, 'duplicate-function-name');
      assert.equal(d.scope, 'Function:double');
      assert.match(d.message, /2 functions are named "double"/);
    });

    it('a scene and a function may share a name', () => {
      const p = validProject();
      p.scopes[2].name = 'Dashboard';
      assert.deepEqual(loadProject(p).diagnostics, []);
    });

    it('duplicate-connection-name, across WebSocket and Socket.IO', () => {
      const p = validProject();
      p.settings.socketIOConnections[0].Name = 'Telemetry';
      const d = only(p, 'duplicate-connection-name');
      assert.deepEqual([d.scope, d.path], ['settings', '/settings/socketIOConnections/0']);
      assert.match(d.message, /2 connections are named "Telemetry"/);
      assert.match(d.message, /nodes pick a connection by its Name/);
    });

    it('duplicate-variable-name, in the project and in a scene', () => {
      const p = validProject();
      p.variables.push({ name: 'connected', type: 'Int' });
      p.scopes[1].variables.push({ name: 'speed', type: 'Int' });
      const r = loadProject(p);
      assert.deepEqual(codes(r.diagnostics), ['duplicate-variable-name', 'duplicate-variable-name']);
      assert.deepEqual([r.diagnostics[0].scope, r.diagnostics[1].scope], ['Project', 'Scene:Dashboard']);
      assert.match(r.diagnostics[0].message, /2 variables are named "connected"/);
      assert.match(r.diagnostics[1].message, /2 variables are named "speed" in Scene "Dashboard"/);
    });

    it('a scene variable may share a name with a project variable', () => {
      const p = validProject();
      p.scopes[1].variables.push({ name: 'connected', type: 'Bool' });
      assert.deepEqual(loadProject(p).diagnostics, []);
    });

    it('unknown-link-node, attached to the node that exists', () => {
      const p = validProject();
      p.scopes[1].links[1].to = ['logger', 'Input'];
      const d = only(p, 'unknown-link-node');
      assert.deepEqual([d.scope, d.node, d.path], ['Scene:Dashboard', 'rx', '/scopes/1/links/1/to']);
      assert.equal(d.message, 'link rx.Message → logger.Input: there is no node "logger" in Scene "Dashboard"');
    });

    it('unknown-link-node for a node of another scope', () => {
      const p = validProject();
      p.scopes[0].links[0].from = ['rx', '►'];
      const d = only(p, 'unknown-link-node');
      assert.deepEqual([d.scope, d.node], ['Project', 'start']);
      assert.match(d.message, /no node "rx" in the Project scope/);
    });

    it('unknown-start-scene, with a suggestion', () => {
      const p = validProject();
      p.settings.startScene = 'Dashbaord';
      const d = only(p, 'unknown-start-scene');
      assert.deepEqual([d.scope, d.path], ['settings', '/settings/startScene']);
      assert.equal(d.message, 'startScene "Dashbaord" names no scene (did you mean "Dashboard"?)');
    });

    it('bad-initial-value, for each type', () => {
      const cases: Array<[string, unknown, RegExp]> = [
        ['Int', 1.5, /is Int, but its initial value 1\.5 is not a whole number/],
        ['Bool', 'true', /is Bool, but its initial value "true" is not true or false/],
        ['Float', '1.0', /is Float, but its initial value "1\.0" is not a number/],
        ['String', 3, /is String, but its initial value 3 is not a string/],
        ['Binary', 'abc', /is Binary, but its initial value "abc" is not a hex string/],
      ];
      for (const [type, initial, re] of cases) {
        const p = validProject();
        p.scopes[1].variables[0] = { name: 'v', type, initial };
        const d = only(p, 'bad-initial-value');
        assert.deepEqual([d.scope, d.path], ['Scene:Dashboard', '/scopes/1/variables/0/initial']);
        assert.match(d.message, /^variable "v" /);
        assert.match(d.message, re);
      }
    });

    it('accepts any initial value for Any and none at all', () => {
      const p = validProject();
      p.variables.push({ name: 'cfg', type: 'Any', initial: { a: [1, null] } }, { name: 'n', type: 'Int' });
      assert.deepEqual(loadProject(p).diagnostics, []);
    });

    it('duplicate-parameter, for parameters and for results', () => {
      const p = validProject();
      p.scopes[2].parameters.push({ name: 'x', type: 'Float' });
      p.scopes[2].results.push({ name: 'x', type: 'Float' });
      const r = loadProject(p);
      assert.deepEqual(codes(r.diagnostics), ['duplicate-parameter', 'duplicate-parameter']);
      assert.equal(r.diagnostics[0].scope, 'Function:double');
      assert.match(r.diagnostics[0].message, /2 parameters are named "x" in Function "double"/);
      assert.match(r.diagnostics[1].message, /2 results are named "x"/);
    });

    it('reserved-parameter-name', () => {
      const p = validProject();
      p.scopes[2].results[0].name = '►';
      const d = only(p, 'reserved-parameter-name');
      assert.equal(d.scope, 'Function:double');
      assert.match(d.message, /^result "►"/);
    });

    it('send-buffer-watermarks, only when both are given', () => {
      const p = validProject();
      p.settings.webSocketConnections[0].sendBuffer = { highWaterBytes: 1000, lowWaterBytes: 2000 };
      const d = only(p, 'send-buffer-watermarks');
      assert.equal(d.scope, 'settings');
      assert.match(d.message, /^connection "Telemetry": sendBuffer\.lowWaterBytes \(2000\) must not be above highWaterBytes \(1000\)$/);
      p.settings.webSocketConnections[0].sendBuffer = { highWaterBytes: 1000 };
      assert.deepEqual(loadProject(p).diagnostics, []);
    });
  });

  describe('all at once', () => {
    it('reports schema and structural problems together, schema first, in file order', () => {
      const p = validProject();
      p.settings.tickrate = 30;
      p.settings.webSocketConnections[0].Port = 0;
      p.settings.startScene = 'Nowhere';
      delete p.scopes[1].nodes[1].type;
      p.scopes[1].nodes.push({ id: 'rx', type: 'Console' });
      p.scopes[1].links.push({ from: ['rx', '►'], to: ['ghost', '►'] });
      p.variables[0].initial = 1;
      const r = loadProject(p, { file: 'dash.json' });
      assert.equal(r.project, undefined);
      assert.deepEqual(codes(r.diagnostics), [
        'schema', 'schema', 'schema',
        'unknown-start-scene', 'bad-initial-value', 'duplicate-node-id', 'unknown-link-node',
      ]);
      assert.ok(r.diagnostics.every((d) => d.file === 'dash.json'));
      assert.equal(formatDiagnostic('dash.json', r.diagnostics[2]), 'dash.json: Scene:Dashboard/log: node "log" has no "type"');
    });

    it('does not report twice what the schema already rejected', () => {
      const p = validProject();
      p.scopes[1].variables[0] = { name: 'v', type: 'Integer', initial: 1.5 };
      p.scopes[1].nodes[1] = { type: 'Console' };
      p.scopes[1].links[0].from = 'rx';
      p.scopes = { not: 'a list' } as never;
      const r = loadProject(p);
      assert.deepEqual(codes(r.diagnostics), ['schema']);
      assert.match(r.diagnostics[0].message, /^scopes must be a list/);
    });

    it('does not call links dangling when a node they may mean has no usable id', () => {
      const p = validProject();
      p.scopes[1].nodes[0].id = '';
      const r = loadProject(p);
      assert.deepEqual(codes(r.diagnostics), ['schema']);
      assert.match(r.diagnostics[0].message, /^nodes\[0\]: id must be a non-empty string/);
    });

    it('says "settings" when the settings are not an object', () => {
      const p = validProject();
      p.settings = [];
      assert.equal(only(p, 'schema').message, 'settings must be an object { … } (found a list)');
    });

    it('checks the structure of parts the schema rejected elsewhere', () => {
      const p = validProject();
      p.scopes[1].variables[0] = { name: 'v', type: 'Integer', initial: 1.5 };
      p.scopes[1].nodes.push({ id: 'rx', type: 'Console' });
      const r = loadProject(p);
      assert.deepEqual(codes(r.diagnostics), ['schema', 'duplicate-node-id']);
    });
  });

  describe('cost', () => {
    it('compiles the schema at most once however often it loads', () => {
      const original = Ajv.prototype.compile;
      let compiles = 0;
      Ajv.prototype.compile = function (this: Ajv, ...args: Parameters<Ajv['compile']>) {
        compiles++;
        return original.apply(this, args);
      } as Ajv['compile'];
      try {
        for (let i = 0; i < 50; i++) loadProject(validProject());
        const broken = validProject();
        broken.settings.tickRate = 0;
        for (let i = 0; i < 50; i++) loadProject(broken);
      } finally {
        Ajv.prototype.compile = original;
      }
      assert.ok(compiles <= 1, `schema compiled ${compiles} times`);
    });
  });
});
