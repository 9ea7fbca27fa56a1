// Flow control: Branch, Sequential, Switch, Toggle, For Loop, Select Data,
// the comparisons, AND / OR / Negate, and the tick budget a runaway loop
// runs into.

import assert from 'node:assert/strict';
import { P, boot, log, boot1, evaluate, project, run, oneError, type Link } from './kit.ts';
import type { NodeDecl } from '../../runtime/project/model.ts';

describe('nodes/flow', () => {
  describe('Branch', () => {
    for (const input of [true, false]) {
      it(`Input ${input} runs only ${input ? 'OnTrue' : 'OnFalse'}, then the chain after it`, () => {
        const { lines, h } = boot1({
          nodes: [boot(), { id: 'br', type: 'Branch', inputs: { Input: input } }, log('yes', 'true'), log('no', 'false'), log('after', 'after')],
          links: [['boot', P, 'br', P], ['br', 'OnTrue', 'yes', P], ['br', 'OnFalse', 'no', P], ['yes', P, 'after', P], ['no', P, 'after', P]],
        });
        assert.deepEqual(lines, [String(input), 'after']);
        assert.deepEqual(h.errors(), []);
      });
    }

    it('reads a linked condition, and an unlinked branch simply ends the chain', () => {
      const { lines } = boot1({
        nodes: [
          boot(), { id: 'cmp', type: 'Is Equal', inputs: { 'Input 0': 'a', 'Input 1': 'b' } },
          { id: 'br', type: 'Branch' }, log('yes', 'equal'),
        ],
        links: [['boot', P, 'br', P], ['cmp', 'Output', 'br', 'Input'], ['br', 'OnTrue', 'yes', P]],
      });
      assert.deepEqual(lines, []);
    });
  });

  describe('Sequential', () => {
    it('runs Pulse 0..n-1 in order, each chain to completion (nested Sequentials included)', () => {
      const { lines } = boot1({
        nodes: [
          boot(), { id: 'seq', type: 'Sequential', attributes: { 'Pulse Count': 3 } },
          { id: 'inner', type: 'Sequential' }, log('a', '0.0'), log('a2', '0.0 then'), log('b', '0.1'),
          log('c', '1'), log('d', '2'), log('e', '2 then'),
        ],
        links: [
          ['boot', P, 'seq', P],
          ['seq', 'Pulse 0', 'inner', P], ['inner', 'Pulse 0', 'a', P], ['a', P, 'a2', P], ['inner', 'Pulse 1', 'b', P],
          ['seq', 'Pulse 1', 'c', P],
          ['seq', 'Pulse 2', 'd', P], ['d', P, 'e', P],
        ],
      });
      assert.deepEqual(lines, ['0.0', '0.0 then', '0.1', '1', '2', '2 then']);
    });

    it('an output pulse linked to several nodes runs them in link order, each to completion', () => {
      const { lines } = boot1({
        nodes: [boot(), log('x', 'x'), log('x2', 'x2'), log('y', 'y'), log('z', 'z')],
        links: [['boot', P, 'x', P], ['x', P, 'x2', P], ['boot', P, 'y', P], ['boot', P, 'z', P]],
      });
      assert.deepEqual(lines, ['x', 'x2', 'y', 'z']);
    });

    it('skips unlinked pulses', () => {
      const { lines } = boot1({
        nodes: [boot(), { id: 'seq', type: 'Sequential', attributes: { 'Pulse Count': 4 } }, log('b', 'one'), log('d', 'three')],
        links: [['boot', P, 'seq', P], ['seq', 'Pulse 1', 'b', P], ['seq', 'Pulse 3', 'd', P]],
      });
      assert.deepEqual(lines, ['one', 'three']);
    });
  });

  describe('Switch', () => {
    const sw = (dataType: string, cases: unknown[], input: unknown) => boot1({
      nodes: [
        boot(), { id: 'sw', type: 'Switch', attributes: { 'Data Type': dataType, Cases: cases }, inputs: { Input: input } },
        ...cases.map((_c, i) => log(`c${i}`, `case ${i}`)), log('dflt', 'default'), log('after', 'after'),
      ],
      links: [
        ['boot', P, 'sw', P], ['sw', 'Default', 'dflt', P],
        ...cases.map((_c, i) => ['sw', `Case ${i}`, `c${i}`, P] as [string, string, string, string]),
        ...cases.map((_c, i) => [`c${i}`, P, 'after', P] as [string, string, string, string]), ['dflt', P, 'after', P],
      ],
    }).lines;

    it('on Int: the matching case fires, else Default', () => {
      assert.deepEqual(sw('Int', [1, 2, 3], 2), ['case 1', 'after']);
      assert.deepEqual(sw('Int', [1, 2, 3], 1), ['case 0', 'after']);
      assert.deepEqual(sw('Int', [1, 2, 3], 4), ['default', 'after']);
    });

    it('on String: exact, case-sensitive matches, else Default', () => {
      assert.deepEqual(sw('String', ['red', 'green'], 'green'), ['case 1', 'after']);
      assert.deepEqual(sw('String', ['red', 'green'], 'Green'), ['default', 'after']);
      assert.deepEqual(sw('String', ['red', 'green'], ''), ['default', 'after']);
    });

    it('a matching case that is unlinked does nothing (no fall-through to Default)', () => {
      const { lines } = boot1({
        nodes: [boot(), { id: 'sw', type: 'Switch', attributes: { Cases: [1, 2] }, inputs: { Input: 1 } }, log('d', 'default'), log('c1', 'case 1')],
        links: [['boot', P, 'sw', P], ['sw', 'Default', 'd', P], ['sw', 'Case 1', 'c1', P]],
      });
      assert.deepEqual(lines, []);
    });

    it('with equal cases the first one wins', () => {
      assert.deepEqual(sw('Int', [5, 5], 5), ['case 0', 'after']);
    });

    it('with no cases always takes Default (the default Data Type is Int)', () => {
      const { lines } = boot1({
        nodes: [boot(), { id: 'sw', type: 'Switch', inputs: { Input: 3 } }, log('d', 'default')],
        links: [['boot', P, 'sw', P], ['sw', 'Default', 'd', P]],
      });
      assert.deepEqual(lines, ['default']);
    });

    it('a String Switch fed by an Int compares its text', () => {
      const { lines } = boot1({
        nodes: [
          boot(), { id: 'n', type: 'Numerical Value', attributes: { Value: 7, 'Data Type': 'Int' } },
          { id: 'sw', type: 'Switch', attributes: { 'Data Type': 'String', Cases: ['6', '7'] } }, log('c1', 'seven'), log('d', 'default'),
        ],
        links: [['boot', P, 'sw', P], ['n', 'Output', 'sw', 'Input'], ['sw', 'Case 1', 'c1', P], ['sw', 'Default', 'd', P]],
      });
      assert.deepEqual(lines, ['seven']);
    });
  });

  describe('Toggle', () => {
    const toggles = (attrs: Record<string, unknown>, times: number) => {
      const h = run(project({
        nodes: [
          boot(), { id: 'loop', type: 'For Loop', inputs: { First: 1, Last: times } },
          { id: 't', type: 'Toggle', attributes: attrs }, { id: 'show', type: 'Console' },
        ],
        links: [['boot', P, 'loop', P], ['loop', 'Loop Body', 't', P], ['t', P, 'show', P], ['t', 'Is On', 'show', 'Input']],
      }));
      h.tick(0);
      return h.console();
    };

    it('alternates Is On, starting from the opposite of Value (default false)', () => {
      assert.deepEqual(toggles({}, 4), ['true', 'false', 'true', 'false']);
      assert.deepEqual(toggles({ Value: true }, 3), ['false', 'true', 'false']);
    });

    it('keeps its state across ticks', () => {
      const h = run(project({
        nodes: [
          boot(), { id: 'iv', type: 'Start Interval', inputs: { Seconds: 1 } },
          { id: 't', type: 'Toggle' }, { id: 'show', type: 'Console' },
        ],
        links: [['boot', P, 'iv', P], ['iv', P, 't', P], ['t', P, 'show', P], ['t', 'Is On', 'show', 'Input']],
      }));
      for (const t of [0, 1000, 2000, 3000]) h.tick(t);
      assert.deepEqual(h.console(), ['true', 'false', 'true']);
    });
  });

  describe('For Loop', () => {
    const loop = (first: number, last: number) => boot1({
      nodes: [
        boot(), { id: 'loop', type: 'For Loop', inputs: { First: first, Last: last } },
        { id: 'body', type: 'Console' }, log('done', 'completed'),
      ],
      links: [['boot', P, 'loop', P], ['loop', 'Loop Body', 'body', P], ['loop', 'Index', 'body', 'Input'], ['loop', 'Completed', 'done', P]],
    }).lines;

    it('runs Loop Body for First..Last inclusive, then Completed', () => {
      assert.deepEqual(loop(1, 5), ['1', '2', '3', '4', '5', 'completed']);
      assert.deepEqual(loop(-2, 0), ['-2', '-1', '0', 'completed']);
      assert.deepEqual(loop(3, 3), ['3', 'completed']);
    });

    it('First > Last runs no body, only Completed', () => {
      assert.deepEqual(loop(5, 1), ['completed']);
    });

    it('after the loop Index holds Last + 1 (First when no body ran)', () => {
      const after = (first: number, last: number) => boot1({
        nodes: [boot(), { id: 'loop', type: 'For Loop', inputs: { First: first, Last: last } }, { id: 'done', type: 'Console' }],
        links: [['boot', P, 'loop', P], ['loop', 'Completed', 'done', P], ['loop', 'Index', 'done', 'Input']],
      }).lines;
      assert.deepEqual(after(1, 3), ['4']);
      assert.deepEqual(after(5, 1), ['5']);
    });

    it('each body chain runs to completion before the next index; nested loops restart', () => {
      const { lines } = boot1({
        nodes: [
          boot(), { id: 'outer', type: 'For Loop', inputs: { First: 1, Last: 2 } },
          { id: 'inner', type: 'For Loop', inputs: { First: 1, Last: 2 } },
          { id: 'fmt', type: 'Format', attributes: { 'Input Count': 2 }, inputs: { Format: '{0}.{1}' } },
          { id: 'show', type: 'Console' }, log('innerDone', 'inner done'), log('outerDone', 'outer done'),
        ],
        links: [
          ['boot', P, 'outer', P], ['outer', 'Loop Body', 'inner', P], ['inner', 'Loop Body', 'show', P],
          ['outer', 'Index', 'fmt', 'Input 0'], ['inner', 'Index', 'fmt', 'Input 1'], ['fmt', 'Output', 'show', 'Input'],
          ['inner', 'Completed', 'innerDone', P], ['outer', 'Completed', 'outerDone', P],
        ],
      });
      assert.deepEqual(lines, ['1.1', '1.2', 'inner done', '2.1', '2.2', 'inner done', 'outer done']);
    });

    it('reads First and Last once, when pulsed', () => {
      // The body raises the variable that Last reads; the loop still stops at 3.
      const { lines } = boot1({
        variables: [{ name: 'last', type: 'Int', initial: 3 }],
        nodes: [
          boot(), { id: 'get', type: 'Variable Getter', attributes: { Variable: 'last' } },
          { id: 'loop', type: 'For Loop', inputs: { First: 1 } },
          { id: 'set', type: 'Variable Setter', attributes: { Variable: 'last' }, inputs: { Value: 10 } },
          { id: 'body', type: 'Console' },
        ],
        links: [
          ['boot', P, 'loop', P], ['get', 'Value', 'loop', 'Last'], ['loop', 'Loop Body', 'set', P], ['set', P, 'body', P],
          ['loop', 'Index', 'body', 'Input'],
        ],
      });
      assert.deepEqual(lines, ['1', '2', '3']);
    });

    describe('the tick budget', () => {
      // A loop over 1..10^9 cannot finish in a tick of 1000 instructions.
      const runaway = (extra: NodeDecl[] = [], extraLinks: Link[] = []) => project({
        settings: {
          limits: { tickBudget: 1000 },
          webSocketConnections: [{ Name: 'Link', URL: 'ws://127.0.0.1:9' }],
        },
        nodes: [
          boot(), { id: 'seq', type: 'Sequential' },
          { id: 'iv', type: 'Start Interval', inputs: { Seconds: 0.1 } }, log('tock', 'interval'),
          { id: 'loop', type: 'For Loop', inputs: { First: 1, Last: 1_000_000_000 } }, log('never', 'loop completed'),
          { id: 'rx', type: 'On WebSocket Receive', attributes: { Configuration: 'Link' } }, { id: 'echo', type: 'Console' },
          ...extra,
        ],
        links: [
          ['boot', P, 'seq', P], ['seq', 'Pulse 0', 'iv', P], ['iv', P, 'tock', P], ['seq', 'Pulse 1', 'loop', P],
          ['loop', 'Completed', 'never', P], ['rx', P, 'echo', P], ['rx', 'Message', 'echo', 'Input'], ...extraLinks,
        ],
      });

      it('stops the chain with an error naming the loop; the next tick runs normally', () => {
        const h = run(runaway());
        h.tick(0);
        const e = oneError(h, 'Project/loop', 'budget');
        assert.match(e.message, /budget of 1000 instructions/);
        h.tick(100);
        assert.deepEqual(h.console(), ['interval']);
        assert.equal(h.errors().length, 1);
      });

      it('events queued for the tick that ran out are delivered the next tick, in order, none lost', () => {
        const h = run(runaway());
        h.post({ kind: 'ws.message', conn: 0, data: 'first' });
        h.post({ kind: 'ws.message', conn: 0, data: 'second' });
        h.tick(0);
        assert.deepEqual(h.console(), []);
        h.tick(50);
        assert.deepEqual(h.console(), ['first', 'second']);
        oneError(h, 'Project/loop', 'budget');
      });

      it('listeners of the same event after the stopped one run at the start of the next tick', () => {
        const h = run(runaway([boot('boot2'), log('late', 'second listener')], [['boot2', P, 'late', P]]));
        h.tick(0);
        assert.deepEqual(h.console(), []);
        h.tick(10);
        assert.deepEqual(h.console(), ['second listener']);
        oneError(h, 'Project/loop', 'budget');
      });
    });
  });

  describe('Select Data', () => {
    it('outputs A when Condition is true, else B', () => {
      const r = evaluate([
        { id: 's1', type: 'Select Data', attributes: { 'Data Type': 'String' }, inputs: { Condition: true, A: 'a', B: 'b' } },
        { id: 's2', type: 'Select Data', attributes: { 'Data Type': 'String' }, inputs: { Condition: false, A: 'a', B: 'b' } },
        { id: 's3', type: 'Select Data', inputs: { Condition: true, A: { x: [1] }, B: null } },
        { id: 's4', type: 'Select Data', attributes: { 'Data Type': 'Int' }, inputs: { Condition: false, A: 1, B: 2 } },
      ], [], [['s1', 'Output'], ['s2', 'Output'], ['s3', 'Output'], ['s4', 'Output']]);
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.values, ['a', 'b', { x: [1] }, 2]);
    });
  });

  describe('comparisons', () => {
    const cmp = (type: string, pairs: [unknown, unknown][]) => {
      const r = evaluate(pairs.map(([a, b], i) => ({ id: `c${i}`, type, inputs: { 'Input 0': a, 'Input 1': b } })), [],
        pairs.map((_p, i) => [`c${i}`, 'Output']));
      assert.deepEqual(r.errors, []);
      return r.values;
    };

    it('Is Equal compares numbers by value (Int 2 equals Float 2.0)', () => {
      assert.deepEqual(cmp('Is Equal', [[2, 2], [2, 2.0], [2, 2.5], [-0.5, -0.5]]), [true, true, false, true]);
    });

    it('Is Equal compares strings exactly, and never equates a string with a number', () => {
      assert.deepEqual(cmp('Is Equal', [['abc', 'abc'], ['abc', 'ABC'], ['', ''], ['2', 2]]), [true, false, true, false]);
    });

    it('Is Equal compares parsed objects and arrays structurally (key order does not matter)', () => {
      const parse = (id: string, json: string): NodeDecl => ({ id, type: 'JSON Parse', inputs: { Input: json } });
      const r = evaluate(
        [
          parse('a', '{"a":1,"b":[1,{"c":true}]}'), parse('b', '{"b":[1,{"c":true}],"a":1}'), parse('c', '{"a":1,"b":[1,{"c":false}]}'),
          parse('d', '[1,2]'), parse('e', '[2,1]'),
          { id: 'ab', type: 'Is Equal' }, { id: 'ac', type: 'Is Equal' }, { id: 'de', type: 'Is Equal' }, { id: 'dd', type: 'Is Equal' },
        ],
        [
          ['a', 'Output', 'ab', 'Input 0'], ['b', 'Output', 'ab', 'Input 1'], ['a', 'Output', 'ac', 'Input 0'], ['c', 'Output', 'ac', 'Input 1'],
          ['d', 'Output', 'de', 'Input 0'], ['e', 'Output', 'de', 'Input 1'], ['d', 'Output', 'dd', 'Input 0'], ['d', 'Output', 'dd', 'Input 1'],
        ],
        [['ab', 'Output'], ['ac', 'Output'], ['de', 'Output'], ['dd', 'Output']],
      );
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.values, [true, false, false, true]);
    });

    it('Is Greater Equal / Is Less Equal on Ints and Floats', () => {
      assert.deepEqual(cmp('Is Greater Equal', [[3, 3], [4, 3], [2, 3], [2.5, 2], [-1, -0.5]]), [true, true, false, true, false]);
      assert.deepEqual(cmp('Is Less Equal', [[3, 3], [4, 3], [2, 3], [2.5, 2], [-1, -0.5]]), [true, false, true, false, true]);
    });
  });

  describe('AND / OR / Negate', () => {
    const bools = [[false, false, false], [true, false, true], [true, true, false], [true, true, true], [false, false, true]];
    const fold = (type: string) => {
      const r = evaluate(bools.map((b, i) => ({
        id: `n${i}`, type, attributes: { 'Input Count': 3 }, inputs: { 'Input 0': b[0], 'Input 1': b[1], 'Input 2': b[2] },
      })), [], bools.map((_b, i) => [`n${i}`, 'Output']));
      assert.deepEqual(r.errors, []);
      return r.values;
    };

    it('AND with Input Count 3 is true only when all three are', () => {
      assert.deepEqual(fold('AND'), [false, false, false, true, false]);
    });

    it('OR with Input Count 3 is true when any of the three is', () => {
      assert.deepEqual(fold('OR'), [false, true, true, true, true]);
    });

    it('Negate inverts, and composes with AND (NAND)', () => {
      const r = evaluate([
        { id: 'n1', type: 'Negate', inputs: { Input: true } }, { id: 'n2', type: 'Negate', inputs: { Input: false } },
        { id: 'and', type: 'AND', inputs: { 'Input 0': true, 'Input 1': true } }, { id: 'nand', type: 'Negate' },
      ], [['and', 'Output', 'nand', 'Input']], [['n1', 'Output'], ['n2', 'Output'], ['nand', 'Output']]);
      assert.deepEqual(r.values, [false, true, false]);
    });
  });
});
