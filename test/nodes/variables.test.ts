// Variables: Variable Getter / Setter, the variable-change outputs the host
// observes, On Variable Change, and scene variables.

import assert from 'node:assert/strict';
import { P, boot, log, chain, project, run } from './kit.ts';
import type { Output } from '../../runtime/vm/io.ts';
import type { NodeDecl } from '../../runtime/project/model.ts';
import type { VmHarness } from './kit.ts';

const setter = (id: string, variable: string, value?: unknown): NodeDecl =>
  ({ id, type: 'Variable Setter', attributes: { Variable: variable }, ...(value !== undefined ? { inputs: { Value: value } } : {}) });
const getter = (id: string, variable: string): NodeDecl => ({ id, type: 'Variable Getter', attributes: { Variable: variable } });
const varOutputs = (h: VmHarness) =>
  h.outputs.flatMap((o) => (o.output.kind === 'var' ? [[o.tick, o.output.name, o.output.value] as const] : []));

describe('nodes/variables', () => {
  it('start at their initial value (or the type default) and the host reads them by name', () => {
    const h = run(project({
      variables: [
        { name: 'speed', type: 'Float', initial: 12.5 }, { name: 'count', type: 'Int' }, { name: 'name', type: 'String' },
        { name: 'on', type: 'Bool' }, { name: 'data', type: 'Any', initial: { a: [1] } },
      ],
      nodes: [],
    }));
    h.tick(0);
    assert.deepEqual(h.vm.variables(), { speed: 12.5, count: 0, name: '', on: false, data: { a: [1] } });
    assert.deepEqual(h.outputs, [], 'initial values are not changes');
  });

  it('Variable Setter stores its Value, outputs it on its Value pin, and Variable Getter reads it', () => {
    const h = run(project({
      variables: [{ name: 'gear', type: 'Int', initial: 1 }],
      nodes: [
        boot(), log('before'), getter('g', 'gear'), setter('set', 'gear', 4), { id: 'echo', type: 'Console' }, log('after'),
      ],
      links: [
        ['boot', P, 'before', P], ['g', 'Value', 'before', 'Input'], ['before', P, 'set', P], ['set', P, 'echo', P],
        ['set', 'Value', 'echo', 'Input'], ['echo', P, 'after', P], ['g', 'Value', 'after', 'Input'],
      ],
    }));
    h.tick(0);
    assert.deepEqual(h.console(), ['1', '4', '4']);
    assert.equal(h.vm.variable('gear'), 4);
    assert.deepEqual(varOutputs(h), [[0, 'gear', 4]]);
  });

  it('outputs a variable change only when the value really changes (structurally, for Any)', () => {
    const h = run(project({
      variables: [{ name: 'n', type: 'Int', initial: 0 }, { name: 'obj', type: 'Any', initial: { a: 1 } }],
      nodes: [
        boot(), setter('s0', 'n', 0), setter('s1', 'n', 5), setter('s2', 'n', 5), setter('s3', 'n', 6), setter('s4', 'n', 5),
        { id: 'p', type: 'JSON Parse', inputs: { Input: '{"a":1}' } }, setter('o1', 'obj'),
        { id: 'p2', type: 'JSON Parse', inputs: { Input: '{"a":2}' } }, setter('o2', 'obj'),
      ],
      links: [...chain('boot', 's0', 's1', 's2', 's3', 's4', 'o1', 'o2'), ['p', 'Output', 'o1', 'Value'], ['p2', 'Output', 'o2', 'Value']],
    }));
    h.tick(0);
    assert.deepEqual(varOutputs(h), [[0, 'n', 5], [0, 'n', 6], [0, 'n', 5], [0, 'obj', { a: 2 }]]);
  });

  describe('On Variable Change', () => {
    const watcher = () => project({
      variables: [{ name: 'level', type: 'Int', initial: 0 }],
      nodes: [
        boot(), setter('a', 'level', 1), setter('b', 'level', 1), setter('c', 'level', 2), log('done', 'done'),
        { id: 'changed', type: 'On Variable Change', attributes: { Variable: 'level' } },
        { id: 'fmt', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: 'level is now {0}' } }, { id: 'show', type: 'Console' },
        { id: 'changed2', type: 'On Variable Change', attributes: { Variable: 'level' } }, log('second', 'second listener'),
      ],
      links: [
        ...chain('boot', 'a', 'b', 'c', 'done'), ['changed', P, 'show', P], ['changed', 'Value', 'fmt', 'Input 0'], ['fmt', 'Output', 'show', 'Input'],
        ['changed2', P, 'second', P],
      ],
    });

    it('fires at once, with the new value, only on a real change, every listener in node order', () => {
      const h = run(watcher());
      h.tick(0);
      assert.deepEqual(h.console(), ['level is now 1', 'second listener', 'level is now 2', 'second listener', 'done']);
    });

    it('listens to a Project variable from a Scene, while that scene is loaded', () => {
      const h = run(project({
        settings: { startScene: 'Main' },
        variables: [{ name: 'x', type: 'Int' }],
        nodes: [
          { id: 'boot', type: 'On Scene Loaded', attributes: { Scene: 'Main' } }, { id: 'iv', type: 'Start Interval', inputs: { Seconds: 1 } }, getter('g', 'x'), { id: 'inc', type: 'Add', inputs: { 'Input 1': 1 } },
          setter('set', 'x'),
        ],
        links: [['boot', P, 'iv', P], ['iv', P, 'set', P], ['g', 'Value', 'inc', 'Input 0'], ['inc', 'Output', 'set', 'Value']],
        scopes: [
          {
            kind: 'Scene', name: 'Main',
            nodes: [
              { id: 'w', type: 'On Variable Change', attributes: { Variable: 'x' } }, { id: 'show', type: 'Console' },
              { id: 'is2', type: 'Is Equal', inputs: { 'Input 1': 2 } }, { id: 'br', type: 'Branch' },
              { id: 'go', type: 'Load Scene', attributes: { Scene: 'Other' } },
            ],
            links: [
              { from: ['w', P], to: ['show', P] }, { from: ['w', 'Value'], to: ['show', 'Input'] }, { from: ['show', P], to: ['br', P] },
              { from: ['w', 'Value'], to: ['is2', 'Input 0'] }, { from: ['is2', 'Output'], to: ['br', 'Input'] },
              { from: ['br', 'OnTrue'], to: ['go', P] },
            ],
          },
          { kind: 'Scene', name: 'Other', nodes: [] },
        ],
      }));
      for (const t of [0, 1000, 2000, 3000, 4000]) h.tick(t);
      assert.deepEqual(h.console(), ['1', '2']);
      assert.equal(h.vm.variable('x'), 4);
    });

    it('a listener that sets its own variable again is bounded (call depth), not a crash', () => {
      const h = run(project({
        variables: [{ name: 'n', type: 'Int' }],
        nodes: [
          boot(), setter('start', 'n', 1),
          { id: 'w', type: 'On Variable Change', attributes: { Variable: 'n' } }, { id: 'inc', type: 'Add', inputs: { 'Input 1': 1 } }, setter('again', 'n'),
        ],
        links: [['boot', P, 'start', P], ['w', P, 'again', P], ['w', 'Value', 'inc', 'Input 0'], ['inc', 'Output', 'again', 'Value']],
      }), { callDepth: 16 });
      h.tick(0);
      assert.equal(h.errors().length, 1);
      assert.equal(h.errors()[0].code, 'call_depth');
      assert.equal(h.vm.variable('n'), 17);
    });
  });

  describe('scene variables', () => {
    const scenes = () => project({
      settings: { startScene: 'A' },
      variables: [{ name: 'visits', type: 'Int' }],
      nodes: [],
      scopes: [
        {
          kind: 'Scene', name: 'A',
          variables: [{ name: 'count', type: 'Int', initial: 10 }, { name: 'visits', type: 'String', initial: 'shadow' }],
          nodes: [
            { id: 'loaded', type: 'On Scene Loaded' }, getter('g', 'count'), { id: 'inc', type: 'Add', inputs: { 'Input 1': 1 } }, setter('set', 'count'),
            { id: 'show', type: 'Console' }, getter('vis', 'visits'), { id: 'showVis', type: 'Console' },
            { id: 'wait', type: 'Start Timeout', inputs: { Seconds: 1 } }, { id: 'go', type: 'Load Scene', attributes: { Scene: 'B' } },
          ],
          links: [
            { from: ['loaded', P], to: ['set', P] }, { from: ['g', 'Value'], to: ['inc', 'Input 0'] }, { from: ['inc', 'Output'], to: ['set', 'Value'] },
            { from: ['set', P], to: ['show', P] }, { from: ['set', 'Value'], to: ['show', 'Input'] },
            { from: ['show', P], to: ['showVis', P] }, { from: ['vis', 'Value'], to: ['showVis', 'Input'] },
            { from: ['showVis', P], to: ['wait', P] }, { from: ['wait', P], to: ['go', P] },
          ],
        },
        {
          kind: 'Scene', name: 'B',
          nodes: [
            { id: 'loaded', type: 'On Scene Loaded' }, { id: 'wait', type: 'Start Timeout', inputs: { Seconds: 1 } },
            { id: 'back', type: 'Load Scene', attributes: { Scene: 'A' } },
          ],
          links: [{ from: ['loaded', P], to: ['wait', P] }, { from: ['wait', P], to: ['back', P] }],
        },
      ],
    });

    it('are reset to their initial values each time their scene is loaded, and the reset is output', () => {
      const h = run(scenes());
      // t=0 A loads (count 10 → 11); t=1000 Load Scene B; t=1016 B loads; t=2016 Load A; t=2032 A loads again.
      for (const t of [0, 1000, 1016, 2016, 2032]) h.tick(t);
      assert.deepEqual(h.console(), ['11', 'shadow', '11', 'shadow']);
      assert.deepEqual(varOutputs(h), [[0, 'A/count', 11], [4, 'A/count', 10], [4, 'A/count', 11]]);
      assert.equal(h.vm.variable('A/count'), 11);
    });

    it('a scene variable shadows a Project variable of the same name inside its scene', () => {
      const h = run(scenes());
      h.tick(0);
      assert.equal(h.vm.variable('visits'), 0);
      assert.equal(h.vm.variable('A/visits'), 'shadow');
    });
  });

  it('past limits.outputsPerTick a setter stops with outputs_full, its variable unchanged; scene resets still come out (regression)', () => {
    const setters = ['a', 'b', 'c'].map((v) => setter(`s${v}`, v, 1));
    const h = run(project({
      settings: { startScene: 'A' },
      nodes: [],
      scopes: [{
        kind: 'Scene', name: 'A', variables: ['a', 'b', 'c'].map((name) => ({ name, type: 'Int' as const })),
        nodes: [
          { id: 'l', type: 'On Scene Loaded' }, { id: 'w', type: 'Start Timeout', inputs: { Seconds: 1 } }, ...setters,
          { id: 'again', type: 'Load Scene', attributes: { Scene: 'A' } }, log('hello', 'A loaded'),
        ],
        links: [
          { from: ['l', P], to: ['hello', P] }, { from: ['hello', P], to: ['w', P] }, { from: ['w', 'OnStart'], to: ['sa', P] },
          { from: ['sa', P], to: ['sb', P] }, { from: ['sb', P], to: ['sc', P] }, { from: ['w', P], to: ['again', P] },
        ],
      }],
    }), { outputsPerTick: 3 });
    h.tick(0);
    assert.deepEqual(varOutputs(h), [[0, 'A/a', 1], [0, 'A/b', 1]]);
    assert.deepEqual(h.vm.variables(), { 'A/a': 1, 'A/b': 1, 'A/c': 0 }, 'c keeps the value the host saw');
    assert.equal(h.errors().length, 1);
    assert.equal(h.errors()[0].code, 'outputs_full');
    assert.equal(h.errors()[0].node, 'Scene:A/sc');
    h.tick(1000);
    // The reload: two resets, then On Scene Loaded runs again (no exception out of tick()); its console
    // line is the third output, so its first setter is stopped.
    h.tick(1016);
    assert.deepEqual(varOutputs(h).filter(([t]) => t === 2), [[2, 'A/a', 0], [2, 'A/b', 0]]);
    assert.deepEqual(h.console(), ['A loaded', 'A loaded']);
    assert.deepEqual(h.errors().map((e) => e.node), ['Scene:A/sc', 'Scene:A/sa']);
  });

  it('an Any value set into an Int variable is converted at run time', () => {
    const h = run(project({
      variables: [{ name: 'n', type: 'Int', initial: 0 }],
      nodes: [
        boot(), { id: 'p', type: 'JSON Parse', inputs: { Input: '"42"' } }, setter('ok', 'n'),
        { id: 'q', type: 'JSON Parse', inputs: { Input: '"forty-two"' } }, setter('bad', 'n'), log('never', 'never'),
      ],
      links: [...chain('boot', 'ok', 'bad', 'never'), ['p', 'Output', 'ok', 'Value'], ['q', 'Output', 'bad', 'Value']],
    }));
    h.tick(0);
    assert.equal(h.vm.variable('n'), 42);
    const errs = h.errors();
    assert.equal(errs.length, 1);
    assert.equal(errs[0].node, 'Project/bad');
    assert.match(errs[0].message, /cannot convert "forty-two" to Int/);
    assert.deepEqual(h.console(), []);
    const kinds = h.outputs.map((o) => (o.output as Output).kind);
    assert.deepEqual(kinds, ['var', 'error']);
  });
});
