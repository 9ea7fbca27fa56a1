// No project ends in "internal error, please report it": each input that
// used to crash the compiler (issue 9, items 6 and 11) gets a clear,
// positioned diagnostic, or compiles and runs.

import assert from 'node:assert/strict';
import { compile } from '../../runtime/compiler/index.ts';
import { closest, MAX_SUGGEST_LENGTH } from '../../runtime/suggest.ts';
import { project, run } from '../helpers/project.ts';
import type { Diagnostic, NodeDecl } from '../../runtime/project/model.ts';

const P = '►';
const boot: NodeDecl = { id: 'boot', type: 'On Scene Loaded' };

/** The diagnostics of a project, as an object and as text; compile() must return (never throw) either way. */
function diagnostics(p: object): Diagnostic[] {
  const fromValue = compile(p);
  const fromText = compile(JSON.stringify(p));
  assert.equal(fromValue.ok, false, 'the project must not compile');
  assert.equal(fromText.ok, false, 'the project (as text) must not compile');
  assert.deepEqual(fromText.diagnostics.map((d) => d.code), fromValue.diagnostics.map((d) => d.code));
  return fromValue.diagnostics;
}

/** The one diagnostic with this code, and its path. */
function one(ds: Diagnostic[], code: string, path: string): Diagnostic {
  const found = ds.filter((d) => d.code === code);
  assert.equal(found.length, 1, `one ${code}, got:\n${ds.map((d) => `${d.code} ${d.path}: ${d.message}`).join('\n')}`);
  assert.equal(found[0].path, path);
  return found[0];
}

const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};
/** A project text whose Console literal is `depth` lists deep, written directly (JSON.stringify would recurse). */
const deepText = (depth: number) =>
  `{"format":"pulsewire-project/1","name":"x","scopes":[{"kind":"Project","nodes":[{"id":"boot","type":"On Scene Loaded"},` +
  `{"id":"c","type":"Console","inputs":{"Input":${'['.repeat(depth)}1${']'.repeat(depth)}}}],"links":[{"from":["boot","►"],"to":["c","►"]}]}]}`;
const consoleOf = (input: unknown) => project({ nodes: [boot, { id: 'c', type: 'Console', inputs: { Input: input } }], links: [['boot', P, 'c', P]] });

describe('compiler/robustness', () => {
  describe('values nested deeper than a schedule stores', () => {
    it('an Any literal 256 deep compiles and prints; 257 deep is nested-too-deep at the literal', () => {
      const h = run(consoleOf(nested(256)));
      h.tick(0);
      assert.equal(h.console()[0], '['.repeat(256) + '1' + ']'.repeat(256));
      const d = one(diagnostics(consoleOf(nested(257))), 'nested-too-deep', '/scopes/0/nodes/1/inputs/Input');
      assert.equal(d.node, 'c');
      assert.match(d.message, /node "c": inputs\.Input is nested deeper than 256 levels/);
    });

    it('5,000 and 100,000 deep (a RangeError in resolve before) give the same diagnostic', () => {
      for (const depth of [5_000, 100_000]) {
        const r = compile(deepText(depth));
        assert.equal(r.ok, false);
        assert.deepEqual(r.diagnostics.map((d) => [d.code, d.path]), [['nested-too-deep', '/scopes/0/nodes/1/inputs/Input']]);
      }
    });

    it('an initial value, an attribute and a Socket.IO auth payload are bounded the same way', () => {
      const p = project({
        variables: [{ name: 'v', type: 'Any', initial: nested(300) }],
        settings: { socketIOConnections: [{ Name: 'S', URL: 'http://127.0.0.1', auth: { k: nested(300) } as never }] },
        nodes: [boot, { id: 'sw', type: 'Switch', attributes: { 'Data Type': 'Any', Cases: [nested(300)] } }],
        links: [['boot', P, 'sw', P]],
      });
      const ds = diagnostics(p);
      assert.deepEqual(ds.filter((d) => d.code === 'nested-too-deep').map((d) => d.path).sort(),
        ['/scopes/0/nodes/1/attributes/Cases', '/settings/socketIOConnections/0/auth', '/variables/0/initial']);
    });
  });

  describe('lone UTF-16 surrogates (valid JSON, not storable as UTF-8)', () => {
    it('in the project name', () => {
      const p = { ...project({ nodes: [] }), name: 'dash\ud800' };
      const d = one(diagnostics(p), 'lone-surrogate', '/name');
      assert.match(d.message, /^name holds a lone UTF-16 surrogate \(\\ud800\)/);
    });

    it('in a String literal, and in a String Value attribute', () => {
      one(diagnostics(consoleOf('km/h \udc00')), 'lone-surrogate', '/scopes/0/nodes/1/inputs/Input');
      const p = project({ nodes: [boot, { id: 'v', type: 'String Value', attributes: { Value: '\ud83d' } }] });
      one(diagnostics(p), 'lone-surrogate', '/scopes/0/nodes/1/attributes/Value');
    });

    it('in a node id (named once for the node, once for the link that names it)', () => {
      const p = project({ nodes: [boot, { id: 'c\ud800', type: 'Console', inputs: { Input: 'x' } }], links: [['boot', P, 'c\ud800', P]] });
      const ds = diagnostics(p);
      assert.deepEqual(ds.map((d) => [d.code, d.path]), [['lone-surrogate', '/scopes/0/nodes/1/id'], ['lone-surrogate', '/scopes/0/links/0/to/0']]);
    });

    it('a well-formed pair (an emoji) is fine', () => {
      const h = run(consoleOf('ok \ud83d\ude97'));
      h.tick(0);
      assert.deepEqual(h.console(), ['ok \ud83d\ude97']);
    });
  });

  describe('settings the schedule cannot hold', () => {
    it('randomSeed must fit 32 bits: -1 and 2^32 are schema errors, 0 and 2^32-1 compile', () => {
      for (const seed of [-1, 2 ** 32]) {
        const d = one(diagnostics(project({ nodes: [], settings: { randomSeed: seed } })), 'schema', '/settings/randomSeed');
        assert.match(d.message, /randomSeed must be a whole number from 0 to 4294967295/);
      }
      for (const seed of [0, 2 ** 32 - 1]) assert.ok(compile(project({ nodes: [], settings: { randomSeed: seed } })).ok);
    });
  });

  describe('value nodes with their ► input linked (docs/NODES.md: any data node may be pulsed)', () => {
    for (const [type, attributes, expected] of [
      ['Numerical Value', { Value: 2.5 }, '2.5'],
      ['String Value', { Value: 'hello' }, 'hello'],
      ['Bool Value', { Value: true }, 'true'],
    ] as const) {
      it(`${type}: runs as an action, continues along ►, and its Output reads as its Value`, () => {
        const h = run(project({
          nodes: [boot, { id: 'v', type, attributes }, { id: 'c', type: 'Console' }],
          links: [['boot', P, 'v', P], ['v', P, 'c', P], ['v', 'Output', 'c', 'Input']],
        }));
        h.tick(0);
        assert.deepEqual(h.console(), [expected]);
        assert.deepEqual(h.errors(), []);
      });
    }
  });

  describe('long chains (found by the project fuzzer)', () => {
    /** boot → Console, whose Input is Add(Add(…Add(1, 1)…, 1), 1): `n` Add nodes deep. */
    const addChain = (n: number) => {
      const nodes: NodeDecl[] = [boot, { id: 'c', type: 'Console' }];
      const links: Array<[string, string, string, string]> = [['boot', P, 'c', P]];
      for (let i = 0; i < n; i++) {
        nodes.push({ id: `a${i}`, type: 'Add', inputs: i === 0 ? { 'Input 0': 1, 'Input 1': 1 } : { 'Input 1': 1 } });
        if (i > 0) links.push([`a${i - 1}`, 'Output', `a${i}`, 'Input 0']);
      }
      links.push([`a${n - 1}`, 'Output', 'c', 'Input']);
      return project({ nodes, links });
    };

    it('a chain of 5,000 pure data nodes compiles and computes (a RangeError before)', () => {
      const h = run(addChain(5_000));
      h.tick(0);
      assert.deepEqual(h.console(), ['5001']);
      assert.deepEqual(h.errors(), []);
    });

    it('a chain of 300 (deeper than one step of pre-evaluation) computes the same with its nodes listed in either order', () => {
      const p = addChain(300) as { scopes: Array<{ nodes: NodeDecl[] }> };
      for (const reversed of [false, true]) {
        if (reversed) p.scopes[0].nodes.reverse();
        const h = run(p);
        h.tick(0);
        assert.deepEqual(h.console(), ['301']);
      }
    });

    it('a pure node and a pulsed node that read each other are no data cycle, in either node order', () => {
      for (const order of [['add', 'set'], ['set', 'add']]) {
        const decl: Record<string, NodeDecl> = {
          add: { id: 'add', type: 'Add', inputs: { 'Input 1': 1 } },
          set: { id: 'set', type: 'Variable Setter', attributes: { Variable: 'x' } },
        };
        const h = run(project({
          variables: [{ name: 'x', type: 'Int' }],
          nodes: [{ id: 'tick', type: 'Start Interval', inputs: { Seconds: 0 } }, boot, ...order.map((k) => decl[k])],
          links: [['boot', P, 'tick', P], ['tick', P, 'set', P], ['set', 'Value', 'add', 'Input 0'], ['add', 'Output', 'set', 'Value']],
        }));
        for (let t = 0; t < 4; t++) h.tick(t * 10);
        assert.equal(h.vm.variable('x'), 3, order.join(' before '));
      }
    });
  });

  describe('"did you mean" and echoes are bounded', () => {
    it('a 1 MB node type, attribute and pin name are shown shortened, and get no suggestion', () => {
      const big = 'Consol' + 'e'.repeat(1 << 20);
      const ds = diagnostics(project({ nodes: [{ id: 'n', type: big }, { id: 'c', type: 'Console', attributes: { [big]: 1 }, inputs: { [big]: 2, Input: 'x' } }] }));
      assert.deepEqual(ds.map((d) => d.code), ['unknown-node-type', 'unknown-attribute', 'unknown-pin']);
      for (const d of ds) assert.ok(d.message.length < 200, `${d.code}: ${d.message.length} characters`);
      assert.match(ds[0].message, /^unknown node type "Consoleeee+…"$/);
    });

    it('closest() looks at no word, and no candidate, longer than MAX_SUGGEST_LENGTH', () => {
      const long = 'Branch' + 'x'.repeat(MAX_SUGGEST_LENGTH);
      assert.equal(closest(long, [long + 'y']), undefined);
      assert.equal(closest('Brnach', ['Branch', 'B'.repeat(MAX_SUGGEST_LENGTH + 1)]), 'Branch');
      assert.equal(closest('B'.repeat(MAX_SUGGEST_LENGTH), ['B'.repeat(MAX_SUGGEST_LENGTH + 1)]), undefined);
    });
  });
});
