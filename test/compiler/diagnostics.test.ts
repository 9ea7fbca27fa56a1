// Compile-time diagnostics: one project per class, checking the stable
// code, the node it names, and that the message names the thing that is
// wrong (so a designer can find it); then several problems at once.

import assert from 'node:assert/strict';
import { project, compileOk, diagnosticsOf, type Link } from '../helpers/project.ts';
import type { Diagnostic, NodeDecl, ProjectSettings, ScopeDecl } from '../../runtime/project/model.ts';

const P = '►';
const boot: NodeDecl = { id: 'boot', type: 'On Scene Loaded' };
const ws = (extra: Partial<ProjectSettings> = {}): ProjectSettings => ({
  webSocketConnections: [{ Name: 'Telemetry', URL: 'ws://127.0.0.1', Port: 8080 }],
  socketIOConnections: [{ Name: 'Backend', URL: 'http://127.0.0.1', Port: 3000 }],
  ...extra,
});

/** The diagnostics of a project that must not compile. */
const diags = (nodes: NodeDecl[], links: Link[] = [], more: { settings?: ProjectSettings; scopes?: ScopeDecl[]; variables?: { name: string; type: 'Int' }[] } = {}) =>
  diagnosticsOf(project({ nodes, links, ...more }));

/** The one diagnostic of a project, checked for code, scope and node; its message must match every pattern. */
function only(ds: Diagnostic[], code: string, node: string | undefined, scope: string, ...patterns: RegExp[]): Diagnostic {
  assert.equal(ds.length, 1, `expected one diagnostic, got:\n${ds.map((d) => `${d.code} ${d.scope}/${d.node}: ${d.message}`).join('\n')}`);
  const d = ds[0];
  assert.equal(d.code, code);
  assert.equal(d.node, node);
  assert.equal(d.scope, scope);
  for (const p of patterns) assert.match(d.message, p);
  return d;
}

describe('compiler/diagnostics', () => {
  it('unknown-node-type, with a did-you-mean', () => {
    only(diags([boot, { id: 'b', type: 'Brnach' }], [['boot', P, 'b', P]]), 'unknown-node-type', 'b', 'Project', /"Brnach"/, /did you mean "Branch"/);
    only(diags([{ id: 'x', type: 'Teleport' }]), 'unknown-node-type', 'x', 'Project', /"Teleport"/);
  });

  it('a node that did not resolve adds no second diagnostic at the other end of its links', () => {
    only(diags([boot, { id: 'r', type: 'Randum' }, { id: 'c', type: 'Console' }], [['boot', P, 'c', P], ['r', 'Output', 'c', 'Input']]),
      'unknown-node-type', 'r', 'Project', /did you mean "Random"/);
    only(diags([boot, { id: 'r', type: 'Random', attributes: { Integer: 'yes' } }, { id: 'c', type: 'Console' }], [['boot', P, 'c', P], ['r', 'Output', 'c', 'Input']]),
      'bad-attribute', 'r', 'Project', /"Integer" must be true or false/);
  });

  it('node-scope: an event node in a Function', () => {
    only(diags([], [], {
      scopes: [{ kind: 'Function', name: 'F', nodes: [{ id: 'in', type: 'Function Input' }, { id: 'ev', type: 'On Scene Loaded' }] }],
    }), 'node-scope', 'ev', 'Function:F', /On Scene Loaded/, /Function scope/);
  });

  describe('plugins', () => {
    it('plugin-disabled: a WebSocket node with the WebSocket plugin off (and nothing else said about it)', () => {
      only(diags([boot, { id: 'start', type: 'WebSocket Client Start', attributes: { Configuration: 'Telemetry' } }], [['boot', P, 'start', P]],
        { settings: ws({ plugins: { WebSocket: false } }) }), 'plugin-disabled', 'start', 'Project', /WebSocket Client Start/, /WebSocket plugin/, /disabled/);
    });

    it('plugin-disabled: a Socket.IO node with the Socket.IO plugin off', () => {
      only(diags([{ id: 'rx', type: 'On Socket.IO Receive', attributes: { Configuration: 'Backend' } }], [],
        { settings: ws({ plugins: { 'Socket.IO': false } }) }), 'plugin-disabled', 'rx', 'Project', /On Socket.IO Receive/, /Socket.IO plugin/);
    });

    it('both plugins disabled and no communication nodes: the project compiles (connections listed or not)', () => {
      const s = compileOk(project({ settings: ws({ plugins: { WebSocket: false, 'Socket.IO': false } }), nodes: [boot, { id: 'c', type: 'Console', inputs: { Input: 'x' } }], links: [['boot', P, 'c', P]] }));
      assert.deepEqual(s.connections, []);
      compileOk(project({ settings: { plugins: { WebSocket: false, 'Socket.IO': false } }, nodes: [] }));
    });
  });

  describe('connections', () => {
    it('unknown-connection: a Configuration that names nothing lists the connections there are', () => {
      only(diags([{ id: 'rx', type: 'On WebSocket Receive', attributes: { Configuration: 'Telemetri' } }], [], { settings: ws() }),
        'unknown-connection', 'rx', 'Project', /"Telemetri"/, /names no WebSocket connection/, /there are: Telemetry/);
    });

    it('unknown-connection: a Socket.IO connection named on a WebSocket node', () => {
      only(diags([{ id: 'rx', type: 'On WebSocket Receive', attributes: { Configuration: 'Backend' } }], [], { settings: ws() }),
        'unknown-connection', 'rx', 'Project', /"Backend" is a Socket.IO connection/, /needs a WebSocket one/);
    });

    it('port-mismatch: URL ws://h:9000 with Port 9001', () => {
      only(diags([], [], { settings: { webSocketConnections: [{ Name: 'Panel', URL: 'ws://h:9000', Port: 9001 }] } }),
        'port-mismatch', undefined, 'settings', /"Panel"/, /port 9000/, /Port is 9001/);
    });

    it('a URL port equal to Port is fine', () => {
      compileOk(project({ settings: { webSocketConnections: [{ Name: 'Panel', URL: 'ws://h:9000', Port: 9000 }] }, nodes: [] }));
    });

    it('bad-url: not an address, or the wrong scheme', () => {
      only(diags([], [], { settings: { webSocketConnections: [{ Name: 'Panel', URL: 'not a url' }] } }),
        'bad-url', undefined, 'settings', /"Panel"/, /"not a url" is not a valid address/);
      only(diags([], [], { settings: { webSocketConnections: [{ Name: 'Panel', URL: 'http://h' }] } }),
        'bad-url', undefined, 'settings', /"Panel"/, /must start with ws:\/\/ or wss:\/\//);
    });
  });

  describe('attributes', () => {
    it('unknown-attribute, with a did-you-mean', () => {
      only(diags([boot, { id: 'seq', type: 'Sequential', attributes: { 'Pulse Cont': 3 } }], [['boot', P, 'seq', P]]),
        'unknown-attribute', 'seq', 'Project', /Sequential has no attribute "Pulse Cont"/, /did you mean "Pulse Count"/);
    });

    it('bad-attribute: a value the attribute cannot take (and links into the node are not reported again)', () => {
      only(diags([boot, { id: 'c', type: 'Console', attributes: { Type: 'debug' }, inputs: { Input: 'x' } }], [['boot', P, 'c', P]]),
        'bad-attribute', 'c', 'Project', /"Type"/, /info, warning, error/);
      only(diags([boot, { id: 'seq', type: 'Sequential', attributes: { 'Pulse Count': 0 } }], [['boot', P, 'seq', P]]),
        'bad-attribute', 'seq', 'Project', /"Pulse Count"/, /from 1 to 10000/);
    });

    it('bad-attribute: a Switch case that is not a value of its Data Type', () => {
      only(diags([boot, { id: 'sw', type: 'Switch', attributes: { 'Data Type': 'Int', Cases: [1, 'two', 3.5] }, inputs: { Input: 1 } }], [['boot', P, 'sw', P]]),
        'bad-attribute', 'sw', 'Project', /"Cases"/, /"two"/, /Int/);
    });

    it('bad-attribute: a Numerical Value of Data Type Int whose Value is not whole', () => {
      only(diags([{ id: 'n', type: 'Numerical Value', attributes: { Value: 2.5, 'Data Type': 'Int' } }]),
        'bad-attribute', 'n', 'Project', /"Value" 2.5 is not a whole number/, /Int/);
      compileOk(project({ nodes: [{ id: 'n', type: 'Numerical Value', attributes: { Value: 2.5 } }] }));
    });

    it('missing-attribute: a required attribute left out', () => {
      only(diags([boot, { id: 'go', type: 'Load Scene' }], [['boot', P, 'go', P]]), 'missing-attribute', 'go', 'Project', /Load Scene/, /"Scene"/);
    });
  });

  describe('pins and links', () => {
    it('unknown-pin: a literal for an input the node does not have, and a link from an output it does not have', () => {
      only(diags([boot, { id: 'br', type: 'Branch', inputs: { Input: true, Condition: true } }], [['boot', P, 'br', P]]),
        'unknown-pin', 'br', 'Project', /Branch has no data input "Condition" \(it has: Input\)/);
      only(diags([boot, { id: 'c', type: 'Console', inputs: { Input: 1, x: 2 } }], [['boot', P, 'c', P]]),
        'unknown-pin', 'c', 'Project', /Console has no data input "x" \(it has: Input\)/);
      only(diags([boot, { id: 'br', type: 'Branch', inputs: { Input: true } }, { id: 'c', type: 'Console', inputs: { Input: 'x' } }],
        [['boot', P, 'br', P], ['br', 'OnTru', 'c', P]]), 'unknown-pin', 'br', 'Project', /Branch has no output "OnTru"/, /did you mean "OnTrue"/);
    });

    it('link-kind: a data output into a pulse input', () => {
      only(diags([boot, { id: 'n', type: 'Numerical Value' }, { id: 'c', type: 'Console', inputs: { Input: 'x' } }],
        [['boot', P, 'c', P], ['n', 'Output', 'c', P]]), 'link-kind', 'c', 'Project', /data output \("Output" of n\)/, /pulse input/);
    });

    it('link-type: Float → Int, with the nodes that fix it', () => {
      only(diags([boot, { id: 'half', type: 'Divide', inputs: { 'Input 0': 1, 'Input 1': 2 } }, { id: 'set', type: 'Variable Setter', attributes: { Variable: 'gear' } }],
        [['boot', P, 'set', P], ['half', 'Output', 'set', 'Value']], { variables: [{ name: 'gear', type: 'Int' }] }),
      'link-type', 'set', 'Project', /input "Value" \(a Int\) cannot take the Float output "Output" of half/, /Round, Floor, Ceil or Conversion/);
    });

    it('link-type: String → Float', () => {
      only(diags([boot, { id: 's', type: 'String Value', attributes: { Value: '3' } }, { id: 'add', type: 'Add', inputs: { 'Input 1': 1.5 } },
        { id: 'c', type: 'Console' }], [['boot', P, 'c', P], ['s', 'Output', 'add', 'Input 0'], ['add', 'Output', 'c', 'Input']]),
      'link-type', 'add', 'Project', /input "Input 0" \(a number\) cannot take the String output "Output" of s/, /Conversion/);
    });

    it('input-multiple-links', () => {
      only(diags([boot, { id: 'a', type: 'String Value' }, { id: 'b', type: 'String Value' }, { id: 'c', type: 'Console' }],
        [['boot', P, 'c', P], ['a', 'Output', 'c', 'Input'], ['b', 'Output', 'c', 'Input']]), 'input-multiple-links', 'c', 'Project', /"Input"/, /more than one link/);
    });

    it('missing-input: a required input with neither link nor literal', () => {
      only(diags([boot, { id: 'br', type: 'Branch' }], [['boot', P, 'br', P]]), 'missing-input', 'br', 'Project', /"Input" of Branch/);
    });

    it('bad-literal: a literal of the wrong type (reported once, not also as missing)', () => {
      only(diags([boot, { id: 'br', type: 'Branch', inputs: { Input: 'yes' } }], [['boot', P, 'br', P]]),
        'bad-literal', 'br', 'Project', /"Input" expects a Bool, got "yes"/);
      only(diags([boot, { id: 'loop', type: 'For Loop', inputs: { First: 1, Last: 2.5 } }], [['boot', P, 'loop', P]]),
        'bad-literal', 'loop', 'Project', /"Last" expects a Int, got 2.5/);
    });
  });

  describe('cycles', () => {
    it('data-cycle: values that depend on themselves', () => {
      const d = only(diags([boot, { id: 'a', type: 'Add', inputs: { 'Input 1': 1 } }, { id: 'b', type: 'Add', inputs: { 'Input 1': 1 } }, { id: 'c', type: 'Console' }],
        [['boot', P, 'c', P], ['a', 'Output', 'b', 'Input 0'], ['b', 'Output', 'a', 'Input 0'], ['a', 'Output', 'c', 'Input']]), 'data-cycle', 'a', 'Project', /loop/);
      assert.match(d.message, /a → b → a|b → a → b/);
    });

    it('pulse-cycle: A → B → A with no delay', () => {
      const d = only(diags([boot, { id: 'a', type: 'Console', inputs: { Input: 'a' } }, { id: 'b', type: 'Console', inputs: { Input: 'b' } }],
        [['boot', P, 'a', P], ['a', P, 'b', P], ['b', P, 'a', P]]), 'pulse-cycle', 'a', 'Project', /Project\/a → Project\/b → Project\/a/, /Start Timeout/);
      assert.ok(d);
    });

    it('the same loop through a Start Timeout\'s delayed ► is accepted (and runs once per delay)', () => {
      compileOk(project({
        nodes: [boot, { id: 'a', type: 'Console', inputs: { Input: 'a' } }, { id: 'wait', type: 'Start Timeout', inputs: { Seconds: 1 } }],
        links: [['boot', P, 'a', P], ['a', P, 'wait', P], ['wait', P, 'a', P]],
      }));
    });

    it('a loop through a Start Timeout\'s OnStart is still a pulse-cycle', () => {
      only(diags([boot, { id: 'a', type: 'Console', inputs: { Input: 'a' } }, { id: 'wait', type: 'Start Timeout', inputs: { Seconds: 1 } }],
        [['boot', P, 'a', P], ['a', P, 'wait', P], ['wait', 'OnStart', 'a', P]]), 'pulse-cycle', 'a', 'Project');
    });

    it('recursion: a Function calling itself', () => {
      only(diags([], [], {
        scopes: [{
          kind: 'Function', name: 'Loop',
          nodes: [{ id: 'in', type: 'Function Input' }, { id: 'again', type: 'Function', attributes: { Function: 'Loop' } }],
          links: [{ from: ['in', P], to: ['again', P] }],
        }],
      }), 'recursion', 'again', 'Function:Loop', /Function "Loop" ends up calling itself/, /not supported/);
    });
  });

  describe('names', () => {
    it('unknown-variable', () => {
      only(diags([{ id: 'g', type: 'Variable Getter', attributes: { Variable: 'sped' } }], [], { variables: [{ name: 'speed', type: 'Int' }] }),
        'unknown-variable', 'g', 'Project', /"sped"/);
    });

    it('unknown-scene', () => {
      only(diags([boot, { id: 'go', type: 'Load Scene', attributes: { Scene: 'Setings' } }], [['boot', P, 'go', P]], {
        scopes: [{ kind: 'Scene', name: 'Settings', nodes: [] }],
      }), 'unknown-scene', 'go', 'Project', /"Setings" names no scene/, /there are: Settings/);
    });

    it('unknown-function (its parameter and result links are not reported again)', () => {
      only(diags([boot, { id: 'call', type: 'Function', attributes: { Function: 'Nope' }, inputs: { x: 1 } }, { id: 'c', type: 'Console' }],
        [['boot', P, 'call', P], ['call', P, 'c', P], ['call', 'y', 'c', 'Input']]),
      'unknown-function', 'call', 'Project', /"Nope"/);
    });

    it('event-parameters: a trigger and a listener that disagree', () => {
      only(diags([
        boot, { id: 't', type: 'Event Trigger', attributes: { Event: 'alarm', Parameters: ['Int'] }, inputs: { 'Parameter 0': 1 } },
        { id: 'l', type: 'Event Listener', attributes: { Event: 'alarm', Parameters: ['String'] } },
      ], [['boot', P, 't', P]]), 'event-parameters', 'l', 'Project', /event "alarm"/, /\["String"\]/, /\["Int"\]/, /Project\/t/);
    });

    it('function-input: a Function without one, or with two', () => {
      only(diags([], [], { scopes: [{ kind: 'Function', name: 'F', nodes: [] }] }), 'function-input', undefined, 'Function:F', /Function "F" has no Function Input/);
      only(diags([], [], { scopes: [{ kind: 'Function', name: 'F', nodes: [{ id: 'a', type: 'Function Input' }, { id: 'b', type: 'Function Input' }] }] }),
        'function-input', 'b', 'Function:F', /exactly one Function Input/, /"a"/);
    });
  });

  it('reports several problems at once, pulse cycles included', () => {
    const ds = diagnosticsOf(project({
      settings: { webSocketConnections: [{ Name: 'Panel', URL: 'ws://h:9000', Port: 9001 }] },
      variables: [{ name: 'speed', type: 'Int' }],
      nodes: [
        boot, { id: 'typo', type: 'Consol' }, { id: 'br', type: 'Branch' },
        { id: 'g', type: 'Variable Getter', attributes: { Variable: 'spead' } },
        { id: 'half', type: 'Divide', inputs: { 'Input 0': 1, 'Input 1': 2 } }, { id: 'set', type: 'Variable Setter', attributes: { Variable: 'speed' } },
      ],
      links: [['boot', P, 'br', P], ['br', 'OnTrue', 'set', P], ['half', 'Output', 'set', 'Value']],
      scopes: [{
        kind: 'Scene', name: 'Main',
        nodes: [{ id: 'go', type: 'Load Scene', attributes: { Scene: 'Elsewhere' } }, { id: 'ping', type: 'Console', inputs: { Input: 1 } },
          { id: 'pong', type: 'Console', inputs: { Input: 2 } }],
        links: [{ from: ['ping', P], to: ['pong', P] }, { from: ['pong', P], to: ['ping', P] }],
      }],
    }));
    assert.deepEqual(ds.map((d) => [d.code, d.scope, d.node]), [
      ['port-mismatch', 'settings', undefined],
      ['unknown-node-type', 'Project', 'typo'],
      ['unknown-variable', 'Project', 'g'],
      ['unknown-scene', 'Scene:Main', 'go'],
      ['missing-input', 'Project', 'br'],
      ['link-type', 'Project', 'set'],
      ['pulse-cycle', 'Scene:Main', 'ping'],
    ]);
  });
});
