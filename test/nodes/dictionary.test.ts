// Dictionaries: Get / Set Dictionary Element and Get Dictionary Keys on
// parsed JSON (values of type Any).

import assert from 'node:assert/strict';
import { P, boot, evaluate, project, run } from './kit.ts';
import type { NodeDecl } from '../../runtime/project/model.ts';

const parse = (id: string, json: string): NodeDecl => ({ id, type: 'JSON Parse', inputs: { Input: json } });
const get = (id: string, key: unknown): NodeDecl => ({ id, type: 'Get Dictionary Element', inputs: { Key: key } });

describe('nodes/dictionary', () => {
  describe('Get Dictionary Element', () => {
    it('gives the value of a key and Found true; a missing key gives null and Found false', () => {
      const r = evaluate(
        [parse('p', '{"speed": 88.5, "gear": 3, "info": {"vin": "X1"}, "nothing": null}'), get('g1', 'speed'), get('g2', 'info'), get('g3', 'rpm'), get('g4', 'nothing')],
        [['p', 'Output', 'g1', 'Dictionary'], ['p', 'Output', 'g2', 'Dictionary'], ['p', 'Output', 'g3', 'Dictionary'], ['p', 'Output', 'g4', 'Dictionary']],
        [['g1', 'Value'], ['g1', 'Found'], ['g2', 'Value'], ['g2', 'Found'], ['g3', 'Value'], ['g3', 'Found'], ['g4', 'Value'], ['g4', 'Found']],
      );
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.values, [88.5, true, { vin: 'X1' }, true, null, false, null, true]);
    });

    it('indexes arrays by position (an Int or its text); out of range is not found', () => {
      const r = evaluate(
        [parse('p', '["a", "b", "c"]'), get('g0', 0), get('g2', 2), get('gs', '1'), get('g3', 3), get('gn', -1), get('gf', 1.5)],
        ['g0', 'g2', 'gs', 'g3', 'gn', 'gf'].map((g) => ['p', 'Output', g, 'Dictionary'] as [string, string, string, string]),
        [['g0', 'Value'], ['g2', 'Value'], ['gs', 'Value'], ['g3', 'Found'], ['gn', 'Found'], ['gf', 'Found']],
      );
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.values, ['a', 'c', 'b', false, false, false]);
    });

    it('a Key that is not an index ("", null, true, "x", " 1") finds nothing in an array (regression: "" and null found item 0)', () => {
      const keys = ['', null, true, 'x', ' 1'];
      const r = evaluate(
        [parse('p', '["a", "b"]'), ...keys.map((k, i) => get(`k${i}`, k))],
        keys.map((_k, i) => ['p', 'Output', `k${i}`, 'Dictionary'] as [string, string, string, string]),
        keys.map((_k, i) => [`k${i}`, 'Found'] as [string, string]),
      );
      assert.deepEqual(r.values, [false, false, false, false, false]);
    });

    it('reads nested fields by chaining, and a non-dictionary gives Found false', () => {
      const r = evaluate(
        [parse('p', '{"car": {"doors": [{"open": true}]}}'), get('car', 'car'), get('doors', 'doors'), get('d0', 0), get('open', 'open'),
          parse('n', '42'), get('onNumber', 'x')],
        [['p', 'Output', 'car', 'Dictionary'], ['car', 'Value', 'doors', 'Dictionary'], ['doors', 'Value', 'd0', 'Dictionary'],
          ['d0', 'Value', 'open', 'Dictionary'], ['n', 'Output', 'onNumber', 'Dictionary']],
        [['open', 'Value'], ['onNumber', 'Found']],
      );
      assert.deepEqual(r.values, [true, false]);
    });

    it('a not-found null feeding a Float variable is a conversion error naming the reader', () => {
      const h = run(project({
        variables: [{ name: 'speed', type: 'Float', initial: 1 }],
        nodes: [boot(), parse('p', '{}'), get('g', 'speed'), { id: 'set', type: 'Variable Setter', attributes: { Variable: 'speed' } }],
        links: [['boot', P, 'set', P], ['p', 'Output', 'g', 'Dictionary'], ['g', 'Value', 'set', 'Value']],
      }));
      h.tick(0);
      assert.equal(h.errors().length, 1);
      assert.equal(h.errors()[0].node, 'Project/set');
      assert.equal(h.errors()[0].code, 'conversion');
      assert.match(h.errors()[0].message, /cannot convert null to Float/);
      assert.equal(h.vm.variable('speed'), 1);
    });
  });

  describe('Set Dictionary Element', () => {
    it('returns a modified copy: the original is unchanged', () => {
      const r = evaluate(
        [parse('p', '{"a": 1, "b": {"c": 2}}'), { id: 's', type: 'Set Dictionary Element', inputs: { Key: 'a', Value: 10 } },
          { id: 's2', type: 'Set Dictionary Element', inputs: { Key: 'new', Value: [true] } }, get('orig', 'a')],
        [['p', 'Output', 's', 'Dictionary'], ['s', 'Dictionary', 's2', 'Dictionary'], ['p', 'Output', 'orig', 'Dictionary']],
        [['s2', 'Dictionary'], ['p', 'Output'], ['orig', 'Value']],
      );
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.values, [{ a: 10, b: { c: 2 }, new: [true] }, { a: 1, b: { c: 2 } }, 1]);
    });

    it('a copy stored in a variable is not changed by a later Set on the same source', () => {
      const h = run(project({
        variables: [{ name: 'first', type: 'Any' }, { name: 'second', type: 'Any' }],
        nodes: [
          boot(), { id: 'p', type: 'JSON Parse', inputs: { Input: '{"n": 0}' } },
          { id: 's1', type: 'Set Dictionary Element', inputs: { Key: 'n', Value: 1 } },
          { id: 'v1', type: 'Variable Setter', attributes: { Variable: 'first' } },
          { id: 'g', type: 'Variable Getter', attributes: { Variable: 'first' } },
          { id: 's2', type: 'Set Dictionary Element', inputs: { Key: 'n', Value: 2 } },
          { id: 'v2', type: 'Variable Setter', attributes: { Variable: 'second' } },
        ],
        links: [
          ['boot', P, 'p', P], ['p', P, 'v1', P], ['v1', P, 'v2', P], ['p', 'Output', 's1', 'Dictionary'], ['s1', 'Dictionary', 'v1', 'Value'],
          ['g', 'Value', 's2', 'Dictionary'], ['s2', 'Dictionary', 'v2', 'Value'],
        ],
      }));
      h.tick(0);
      assert.deepEqual(h.errors(), []);
      assert.deepEqual(h.vm.variable('first'), { n: 1 });
      assert.deepEqual(h.vm.variable('second'), { n: 2 });
    });

    it('on an array sets an index or appends at the end; on a non-dictionary starts a new one', () => {
      const r = evaluate(
        [parse('p', '[1, 2]'), { id: 'set1', type: 'Set Dictionary Element', inputs: { Key: 1, Value: 'x' } },
          { id: 'app', type: 'Set Dictionary Element', inputs: { Key: 2, Value: 3 } },
          { id: 'fresh', type: 'Set Dictionary Element', inputs: { Dictionary: null, Key: 'k', Value: 'v' } }],
        [['p', 'Output', 'set1', 'Dictionary'], ['p', 'Output', 'app', 'Dictionary']],
        [['set1', 'Dictionary'], ['app', 'Dictionary'], ['fresh', 'Dictionary']],
      );
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.values, [[1, 'x'], [1, 2, 3], { k: 'v' }]);
    });

    it('an array index past the end, or a Key that is no index, is an error naming the node', () => {
      const r2 = evaluate(
        [parse('p', '[1]'), { id: 'empty', type: 'Set Dictionary Element', inputs: { Key: '', Value: 0 } }],
        [['p', 'Output', 'empty', 'Dictionary']], [['empty', 'Dictionary']],
      );
      assert.equal(r2.errors.length, 1);
      assert.equal(r2.errors[0].node, 'Project/empty');
      assert.match(r2.errors[0].message, /index "" is outside the array \(length 1\)/);
      const r = evaluate(
        [parse('p', '[1]'), { id: 'far', type: 'Set Dictionary Element', inputs: { Key: 5, Value: 0 } }],
        [['p', 'Output', 'far', 'Dictionary']], [['far', 'Dictionary']],
      );
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0].node, 'Project/far');
      assert.match(r.errors[0].message, /index 5 is outside the array \(length 1\)/);
    });

    it('a "__proto__" key is an ordinary key', () => {
      const r = evaluate(
        [parse('p', '{}'), { id: 's', type: 'Set Dictionary Element', inputs: { Key: '__proto__', Value: 1 } }, { id: 'k', type: 'Get Dictionary Keys' },
          { id: 'j', type: 'JSON Stringify' }],
        [['p', 'Output', 's', 'Dictionary'], ['s', 'Dictionary', 'k', 'Dictionary'], ['s', 'Dictionary', 'j', 'Input']],
        [['k', 'Keys'], ['j', 'Output']],
      );
      assert.deepEqual(r.values, [['__proto__'], '{"__proto__":1}']);
    });
  });

  it('Get Dictionary Keys lists keys in insertion order; of an array its indexes; of anything else none', () => {
    const r = evaluate(
      [parse('o', '{"z": 1, "a": 2, "m": 3}'), parse('a', '["x", "y"]'), parse('n', '"text"'),
        { id: 'ko', type: 'Get Dictionary Keys' }, { id: 'ka', type: 'Get Dictionary Keys' }, { id: 'kn', type: 'Get Dictionary Keys' }],
      [['o', 'Output', 'ko', 'Dictionary'], ['a', 'Output', 'ka', 'Dictionary'], ['n', 'Output', 'kn', 'Dictionary']],
      [['ko', 'Keys'], ['ka', 'Keys'], ['kn', 'Keys']],
    );
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.values, [['z', 'a', 'm'], [0, 1], []]);
  });

  it('Get Dictionary Keys: keys that are whole numbers come first, ascending (as JSON objects keep them)', () => {
    const r = evaluate([parse('o', '{"b": 1, "10": 2, "a": 3, "2": 4}'), { id: 'k', type: 'Get Dictionary Keys' }], [['o', 'Output', 'k', 'Dictionary']], [['k', 'Keys']]);
    assert.deepEqual(r.values, [['2', '10', 'b', 'a']]);
  });
});
