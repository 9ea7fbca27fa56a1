// Math: value nodes, arithmetic with Int/Float result typing, division by
// zero as a runtime error, rounding, Clamp, Range Mapper, Min/Max,
// Absolute, and the seeded Random.

import assert from 'node:assert/strict';
import { P, boot, log, evaluate, value1, numberType, project, run, oneError } from './kit.ts';
import type { NodeDecl } from '../../runtime/project/model.ts';

const node = (id: string, type: string, inputs: Record<string, unknown>, attributes?: Record<string, unknown>): NodeDecl =>
  ({ id, type, inputs, ...(attributes ? { attributes } : {}) });
const int = (id: string, v: number): NodeDecl => ({ id, type: 'Numerical Value', attributes: { Value: v, 'Data Type': 'Int' } });
const float = (id: string, v: number): NodeDecl => ({ id, type: 'Numerical Value', attributes: { Value: v, 'Data Type': 'Float' } });

/** One value per node, each node's Output. */
function outputs(nodes: NodeDecl[]): unknown[] {
  const r = evaluate(nodes, [], nodes.map((n) => [n.id, 'Output']));
  assert.deepEqual(r.errors, []);
  return r.values;
}

describe('nodes/math', () => {
  describe('value nodes', () => {
    it('Numerical Value outputs its Value as an Int or a Float (default Float); Bool Value a Bool', () => {
      const nodes = [int('i', 7), float('f', 2.5), { id: 'd', type: 'Numerical Value', attributes: { Value: 3 } }, { id: 'b', type: 'Bool Value', attributes: { Value: true } }];
      assert.deepEqual(outputs(nodes), [7, 2.5, 3, true]);
      assert.equal(numberType([int('i', 7)], [], ['i', 'Output']), 'Int');
      assert.equal(numberType([float('f', 7)], [], ['f', 'Output']), 'Float');
      assert.equal(numberType([{ id: 'd', type: 'Numerical Value', attributes: { Value: 3 } }], [], ['d', 'Output']), 'Float');
    });
  });

  describe('arithmetic', () => {
    it('Add, Subtract, Multiply fold their inputs left to right (Input Count 3)', () => {
      const three = { 'Input Count': 3 };
      assert.deepEqual(outputs([
        node('add', 'Add', { 'Input 0': 2, 'Input 1': 3 }),
        node('add3', 'Add', { 'Input 0': 1, 'Input 1': 2.5, 'Input 2': -4 }, three),
        node('sub3', 'Subtract', { 'Input 0': 10, 'Input 1': 3, 'Input 2': 2 }, three),
        node('mul3', 'Multiply', { 'Input 0': 2, 'Input 1': 3, 'Input 2': 4 }, three),
        node('div3', 'Divide', { 'Input 0': 100, 'Input 1': 2, 'Input 2': 8 }, three),
      ]), [5, -0.5, 5, 24, 6.25]);
    });

    it('Divide always gives a Float: 7 / 2 is 3.5', () => {
      assert.deepEqual(outputs([node('d', 'Divide', { 'Input 0': 7, 'Input 1': 2 }), node('e', 'Divide', { 'Input 0': 1, 'Input 1': 3 })]), [3.5, 1 / 3]);
    });

    it('Modulo keeps the sign of the dividend, and works on Floats', () => {
      assert.deepEqual(outputs([
        node('a', 'Modulo', { 'Input 0': 7, 'Input 1': 3 }), node('b', 'Modulo', { 'Input 0': -7, 'Input 1': 3 }),
        node('c', 'Modulo', { 'Input 0': 7, 'Input 1': -3 }), node('d', 'Modulo', { 'Input 0': 7.5, 'Input 1': 2 }),
      ]), [1, -1, 1, 1.5]);
    });

    describe('result typing', () => {
      const typed = (type: string, a: NodeDecl, b: NodeDecl) =>
        numberType([a, b, { id: 'op', type }], [[a.id, 'Output', 'op', 'Input 0'], [b.id, 'Output', 'op', 'Input 1']], ['op', 'Output']);

      it('Add, Subtract, Multiply, Modulo, Minimum, Maximum of two Ints stay an Int', () => {
        for (const t of ['Add', 'Subtract', 'Multiply', 'Modulo', 'Minimum', 'Maximum']) assert.equal(typed(t, int('a', 2), int('b', 3)), 'Int', t);
      });

      it('one Float input makes them a Float', () => {
        for (const t of ['Add', 'Subtract', 'Multiply', 'Modulo', 'Minimum', 'Maximum']) {
          assert.equal(typed(t, int('a', 2), float('b', 3)), 'Float', t);
          assert.equal(typed(t, float('a', 2), int('b', 3)), 'Float', t);
        }
      });

      it('Divide of two Ints is a Float, so it cannot feed an Int input', () => {
        assert.equal(typed('Divide', int('a', 6), int('b', 3)), 'Float');
      });

      it('literal inputs count by their value: 2 is an Int, 2.5 a Float', () => {
        assert.equal(numberType([node('a', 'Add', { 'Input 0': 2, 'Input 1': 3 })], [], ['a', 'Output']), 'Int');
        assert.equal(numberType([node('a', 'Add', { 'Input 0': 2, 'Input 1': 3.5 })], [], ['a', 'Output']), 'Float');
      });

      it('typing flows through chains: (Int + Int) * Int is an Int, Absolute and Clamp follow their inputs', () => {
        assert.equal(numberType([int('a', 2), int('b', 3), { id: 'sum', type: 'Add' }, { id: 'm', type: 'Multiply', inputs: { 'Input 1': 4 } }],
          [['a', 'Output', 'sum', 'Input 0'], ['b', 'Output', 'sum', 'Input 1'], ['sum', 'Output', 'm', 'Input 0']], ['m', 'Output']), 'Int');
        assert.equal(numberType([int('a', -2), { id: 'abs', type: 'Absolute' }], [['a', 'Output', 'abs', 'Input']], ['abs', 'Output']), 'Int');
        assert.equal(numberType([float('a', -2), { id: 'abs', type: 'Absolute' }], [['a', 'Output', 'abs', 'Input']], ['abs', 'Output']), 'Float');
        assert.equal(numberType([node('c', 'Clamp', { Input: 5, Min: 0, Max: 10 })], [], ['c', 'Output']), 'Int');
        assert.equal(numberType([node('c', 'Clamp', { Input: 5, Min: 0, Max: 9.5 })], [], ['c', 'Output']), 'Float');
      });

      it('Round, Floor and Ceil give an Int; Range Mapper a Float', () => {
        for (const t of ['Round', 'Floor', 'Ceil']) assert.equal(numberType([node('r', t, { Input: 2.5 })], [], ['r', 'Output']), 'Int', t);
        assert.equal(numberType([node('m', 'Range Mapper', { Input: 1, 'In Min': 0, 'In Max': 2, 'Out Min': 0, 'Out Max': 4 })], [], ['m', 'Output']), 'Float');
      });
    });

    for (const [type, msg] of [['Divide', /Divide by zero/], ['Modulo', /Modulo by zero/]] as const) {
      it(`${type} by zero stops the chain with an error naming the node; the next tick runs`, () => {
        const h = run(project({
          variables: [{ name: 'zero', type: 'Int', initial: 0 }],
          nodes: [
            boot(), log('before', 'before'), { id: 'z', type: 'Variable Getter', attributes: { Variable: 'zero' } },
            { id: 'op', type, inputs: { 'Input 0': 1 } }, { id: 'show', type: 'Console' }, log('after', 'after'),
            { id: 'later', type: 'Start Timeout', inputs: { Seconds: 0 } }, log('next', 'next tick'),
          ],
          links: [
            ['boot', P, 'before', P], ['before', P, 'later', P], ['later', 'OnStart', 'show', P], ['z', 'Value', 'op', 'Input 1'],
            ['op', 'Output', 'show', 'Input'], ['show', P, 'after', P], ['later', P, 'next', P],
          ],
        }));
        h.tick(0);
        assert.deepEqual(h.console(), ['before']);
        const e = oneError(h, 'Project/op', 'division_by_zero');
        assert.match(e.message, msg);
        h.tick(16);
        assert.deepEqual(h.console(), ['before', 'next tick']);
      });
    }
  });

  describe('rounding', () => {
    it('Round takes halves away from zero', () => {
      const xs = [2.5, -2.5, 0.5, -0.5, 1.4999, 1.5, -1.5, 2.4, -2.6, 7];
      assert.deepEqual(outputs(xs.map((x, i) => node(`r${i}`, 'Round', { Input: x }))), [3, -3, 1, -1, 1, 2, -2, 2, -3, 7]);
    });

    it('Floor rounds down, Ceil up (also for negatives)', () => {
      const xs = [1.5, -1.5, 2, -2.0001];
      assert.deepEqual(outputs(xs.map((x, i) => node(`f${i}`, 'Floor', { Input: x }))), [1, -2, 2, -3]);
      assert.deepEqual(outputs(xs.map((x, i) => node(`c${i}`, 'Ceil', { Input: x }))), [2, -1, 2, -2]);
    });

    it('Absolute', () => {
      assert.deepEqual(outputs([node('a', 'Absolute', { Input: -5 }), node('b', 'Absolute', { Input: 2.25 }), node('c', 'Absolute', { Input: -0.5 })]), [5, 2.25, 0.5]);
    });
  });

  describe('Clamp, Range Mapper, Minimum, Maximum', () => {
    it('Clamp limits Input to [Min, Max]', () => {
      assert.deepEqual(outputs([
        node('a', 'Clamp', { Input: 15, Min: 0, Max: 10 }), node('b', 'Clamp', { Input: -5, Min: 0, Max: 10 }),
        node('c', 'Clamp', { Input: 5, Min: 0, Max: 10 }), node('d', 'Clamp', { Input: 0.25, Min: 0.5, Max: 1.5 }),
      ]), [10, 0, 5, 0.5]);
    });

    it('Range Mapper maps linearly, extrapolates outside the input range, and may reverse', () => {
      const m = (x: number, a: number, b: number, c: number, d: number, id: string) =>
        node(id, 'Range Mapper', { Input: x, 'In Min': a, 'In Max': b, 'Out Min': c, 'Out Max': d });
      assert.deepEqual(outputs([
        m(5, 0, 10, 0, 100, 'a'), m(15, 0, 10, 0, 100, 'b'), m(2.5, 0, 10, 100, 0, 'c'), m(0, -1, 1, 0, 1, 'd'),
      ]), [50, 150, 75, 0.5]);
    });

    it('Range Mapper with In Min = In Max is a runtime error naming the node', () => {
      const r = evaluate([node('m', 'Range Mapper', { Input: 1, 'In Min': 2, 'In Max': 2, 'Out Min': 0, 'Out Max': 1 })], [], [['m', 'Output']]);
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0].node, 'Project/m');
      assert.match(r.errors[0].message, /In Min equals In Max/);
      assert.deepEqual(r.values, ['<unset>']);
    });

    it('Minimum / Maximum over Input Count inputs', () => {
      assert.deepEqual(outputs([
        node('min', 'Minimum', { 'Input 0': 4, 'Input 1': -2, 'Input 2': 3 }, { 'Input Count': 3 }),
        node('max', 'Maximum', { 'Input 0': 4, 'Input 1': -2, 'Input 2': 4.5 }, { 'Input Count': 3 }),
        node('min2', 'Minimum', { 'Input 0': 1.5, 'Input 1': 1 }),
      ]), [-2, 4.5, 1]);
    });
  });

  describe('Random', () => {
    const draws = (opts: { seed?: number; integer?: boolean; min?: number; max?: number; n?: number }) => {
      const h = run(project({
        ...(opts.seed !== undefined ? { settings: { randomSeed: opts.seed } } : {}),
        nodes: [
          boot(), { id: 'loop', type: 'For Loop', inputs: { First: 1, Last: opts.n ?? 8 } },
          { id: 'r', type: 'Random', attributes: { Integer: opts.integer ?? false }, inputs: { Min: opts.min ?? 0, Max: opts.max ?? 1 } },
          { id: 'show', type: 'Console' },
        ],
        links: [['boot', P, 'loop', P], ['loop', 'Loop Body', 'show', P], ['r', 'Output', 'show', 'Input']],
      }));
      h.tick(0);
      return h.console().map(Number);
    };

    it('is seeded: the same seed gives the same sequence in two VMs, another seed another sequence', () => {
      const a = draws({ seed: 42 });
      assert.deepEqual(draws({ seed: 42 }), a);
      assert.equal(new Set(a).size, a.length, 'a sequence, not one number repeated');
      const b = draws({ seed: 43 });
      assert.notDeepEqual(b, a);
      assert.deepEqual(draws({}), draws({ seed: 1 }), 'the default seed is 1');
    });

    it('the sequence continues across ticks', () => {
      const h = run(project({
        settings: { randomSeed: 7 },
        nodes: [boot(), { id: 'iv', type: 'Start Interval', inputs: { Seconds: 1 } }, { id: 'r', type: 'Random' }, { id: 'show', type: 'Console' }],
        links: [['boot', P, 'iv', P], ['iv', P, 'show', P], ['r', 'Output', 'show', 'Input']],
      }));
      for (const t of [0, 1000, 2000, 3000, 4000]) h.tick(t);
      assert.deepEqual(h.console().map(Number), draws({ seed: 7, n: 4 }));
    });

    it('Float draws lie in [Min, Max)', () => {
      const xs = draws({ seed: 3, min: -2, max: 3, n: 200 });
      assert.ok(xs.every((x) => x >= -2 && x < 3), String(xs));
      assert.ok(xs.some((x) => !Number.isInteger(x)));
    });

    it('Integer draws are whole numbers in [Min, Max], every one of them reached', () => {
      const xs = draws({ seed: 5, integer: true, min: 1, max: 6, n: 300 });
      assert.ok(xs.every((x) => Number.isInteger(x) && x >= 1 && x <= 6), String(xs));
      assert.deepEqual([...new Set(xs)].sort(), [1, 2, 3, 4, 5, 6]);
      assert.equal(numberType([{ id: 'r', type: 'Random', attributes: { Integer: true } }], [], ['r', 'Output']), 'Int');
      assert.equal(numberType([{ id: 'r', type: 'Random' }], [], ['r', 'Output']), 'Float');
    });

    it('Integer draws stay in [Min, Max] when Min and Max are not whole (regression)', () => {
      const xs = draws({ seed: 11, integer: true, min: 0.5, max: 3.5, n: 300 });
      assert.deepEqual([...new Set(xs)].sort(), [1, 2, 3]);
    });

    it('is drawn once per reading node: one node needing it twice (or through two paths) sees one draw, two nodes two draws', () => {
      const same = value1([{ id: 'r', type: 'Random' }, { id: 'eq', type: 'Is Equal' }],
        [['r', 'Output', 'eq', 'Input 0'], ['r', 'Output', 'eq', 'Input 1']], ['eq', 'Output']);
      assert.equal(same, true);
      const paths = value1([{ id: 'r', type: 'Random' }, { id: 'plus0', type: 'Add', inputs: { 'Input 1': 0 } }, { id: 'eq', type: 'Is Equal' }],
        [['r', 'Output', 'eq', 'Input 0'], ['r', 'Output', 'plus0', 'Input 0'], ['plus0', 'Output', 'eq', 'Input 1']], ['eq', 'Output']);
      assert.equal(paths, true, 'also through two paths');
      const two = evaluate([{ id: 'r', type: 'Random' }], [], [['r', 'Output'], ['r', 'Output']], { settings: { randomSeed: 9 } });
      assert.notEqual(two.values[0], two.values[1]);
    });
  });
});
