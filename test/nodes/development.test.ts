// Development and utilities: Console, Assert, Conversion.

import assert from 'node:assert/strict';
import { P, boot, log, chain, evaluate, numberType, project, run, oneError } from './kit.ts';
import type { NodeDecl } from '../../runtime/project/model.ts';

const conv = (id: string, to: string, input?: unknown): NodeDecl =>
  ({ id, type: 'Conversion', attributes: { 'Data Type': to }, ...(input !== undefined ? { inputs: { Input: input } } : {}) });

describe('nodes/development', () => {
  describe('Console', () => {
    it('writes one line per pulse at its Type level (default info), in order', () => {
      const h = run(project({
        nodes: [boot(), log('a', 'plain'), log('b', 'careful', 'warning'), log('c', 'broken', 'error'), log('d', 'fine', 'info')],
        links: chain('boot', 'a', 'b', 'c', 'd'),
      }));
      h.tick(0);
      assert.deepEqual(h.outputs.map((o) => o.output), [
        { kind: 'console', level: 'info', text: 'plain' }, { kind: 'console', level: 'warning', text: 'careful' },
        { kind: 'console', level: 'error', text: 'broken' }, { kind: 'console', level: 'info', text: 'fine' },
      ]);
    });

    it('shows any value as text: numbers, Bools, null, JSON', () => {
      const h = run(project({
        nodes: [
          boot(), { id: 'n', type: 'Console', inputs: { Input: 1.5 } }, { id: 'b', type: 'Console', inputs: { Input: false } },
          { id: 'z', type: 'Console', inputs: { Input: null } }, { id: 'o', type: 'Console', inputs: { Input: { a: [1, 'x'] } } },
        ],
        links: chain('boot', 'n', 'b', 'z', 'o'),
      }));
      h.tick(0);
      assert.deepEqual(h.console(), ['1.5', 'false', 'null', '{"a":[1,"x"]}']);
    });
  });

  describe('Assert', () => {
    it('a true Condition continues', () => {
      const h = run(project({ nodes: [boot(), { id: 'ok', type: 'Assert', inputs: { Condition: true } }, log('next', 'next')], links: chain('boot', 'ok', 'next') }));
      h.tick(0);
      assert.deepEqual(h.console(), ['next']);
      assert.deepEqual(h.errors(), []);
    });

    it('a false Condition stops the chain with an error carrying the Message and naming the node', () => {
      const h = run(project({
        variables: [{ name: 'speed', type: 'Int', initial: 250 }],
        nodes: [
          boot(), log('before', 'before'), { id: 'v', type: 'Variable Getter', attributes: { Variable: 'speed' } },
          { id: 'le', type: 'Is Less Equal', inputs: { 'Input 1': 200 } },
          { id: 'check', type: 'Assert', inputs: { Message: 'speed out of range' } }, log('after', 'after'),
          boot('boot2'), { id: 'next', type: 'Start Timeout', inputs: { Seconds: 0 } }, log('later', 'next tick runs'),
        ],
        links: [...chain('boot', 'before', 'check', 'after'), ['v', 'Value', 'le', 'Input 0'], ['le', 'Output', 'check', 'Condition'], ...chain('boot2', 'next', 'later')],
      }));
      h.tick(0);
      assert.deepEqual(h.console(), ['before']);
      const e = oneError(h, 'Project/check', 'assert');
      assert.equal(e.message, 'Project/check: Assert failed: speed out of range');
      h.tick(16);
      assert.deepEqual(h.console(), ['before', 'next tick runs']);
    });

    it('stops the whole chain: the rest of a Sequential, the caller of a Function, the trigger of an event', () => {
      const h = run(project({
        nodes: [
          boot(), { id: 'seq', type: 'Sequential', attributes: { 'Pulse Count': 3 } },
          { id: 'fail', type: 'Assert', inputs: { Condition: false, Message: 'in Pulse 0' } }, log('p1', 'Pulse 1'), log('p2', 'Pulse 2'),
          boot('boot2'), { id: 'call', type: 'Function', attributes: { Function: 'Fails' } }, log('afterCall', 'after the call'),
          boot('boot3'), { id: 'trig', type: 'Event Trigger', attributes: { Event: 'e' } }, log('afterTrig', 'after the trigger'),
          { id: 'listen', type: 'Event Listener', attributes: { Event: 'e' } }, { id: 'failL', type: 'Assert', inputs: { Condition: false, Message: 'in a listener' } },
          { id: 'listen2', type: 'Event Listener', attributes: { Event: 'e' } }, log('l2', 'second listener'),
          boot('boot4'), log('last', 'other listeners of the boot still run'),
        ],
        links: [
          ['boot', P, 'seq', P], ['seq', 'Pulse 0', 'fail', P], ['seq', 'Pulse 1', 'p1', P], ['seq', 'Pulse 2', 'p2', P],
          ...chain('boot2', 'call', 'afterCall'), ...chain('boot3', 'trig', 'afterTrig'), ['listen', P, 'failL', P], ['listen2', P, 'l2', P],
          ['boot4', P, 'last', P],
        ],
        scopes: [{
          kind: 'Function', name: 'Fails',
          nodes: [{ id: 'in', type: 'Function Input' }, { id: 'a', type: 'Assert', inputs: { Condition: false, Message: 'in a function' } }],
          links: [{ from: ['in', P], to: ['a', P] }],
        }],
      }));
      h.tick(0);
      assert.deepEqual(h.console(), ['other listeners of the boot still run']);
      assert.deepEqual(h.errors().map((e) => e.message), [
        'Project/fail: Assert failed: in Pulse 0', 'Function:Fails/a: Assert failed: in a function', 'Project/failL: Assert failed: in a listener',
      ]);
    });

    it('without a Message says "assertion failed"', () => {
      const h = run(project({ nodes: [boot(), { id: 'a', type: 'Assert', inputs: { Condition: false } }], links: chain('boot', 'a') }));
      h.tick(0);
      assert.equal(oneError(h, 'Project/a', 'assert').message, 'Project/a: Assert failed: assertion failed');
    });
  });

  describe('Conversion', () => {
    const converted = (nodes: NodeDecl[]) => {
      const r = evaluate(nodes, [], nodes.map((n) => [n.id, 'Output']));
      assert.deepEqual(r.errors, []);
      return r.values;
    };

    it('String → Int and Float parses numbers (surrounding blanks allowed); Int drops the fraction', () => {
      assert.deepEqual(converted([
        conv('a', 'Int', '42'), conv('b', 'Int', ' -7 '), conv('c', 'Int', '3.9'), conv('d', 'Float', '2.5'), conv('e', 'Float', '1e3'),
        conv('f', 'Int', '0x1f'),
      ]), [42, -7, 3, 2.5, 1000, 31]);
    });

    for (const [to, input, why] of [
      ['Int', 'abc', /cannot convert "abc" to Int/], ['Float', '', /cannot convert "" to Float/], ['Int', '12px', /cannot convert "12px" to Int/],
      ['Bool', 'maybe', /cannot convert "maybe" to Bool/], ['Bool', { on: true }, /cannot convert an object to Bool/],
    ] as const) {
      it(`${JSON.stringify(input)} → ${to} is a runtime error naming the node; the chain stops`, () => {
        const r = evaluate([conv('conv', to, input)], [], [['conv', 'Output']]);
        assert.equal(r.errors.length, 1);
        assert.equal(r.errors[0].code, 'conversion');
        assert.equal(r.errors[0].node, 'Project/conv');
        assert.match(r.errors[0].message, why);
        assert.deepEqual(r.values, ['<unset>']);
      });
    }

    it('Bool, Int, Float → String and back again give the same value', () => {
      const there = [conv('b', 'String', true), conv('i', 'String', -12), conv('f', 'String', 0.1), conv('f2', 'String', 1e21)];
      const back = [conv('b2', 'Bool'), conv('i2', 'Int'), conv('f3', 'Float'), conv('f4', 'Float')];
      const r = evaluate([...there, ...back], [['b', 'Output', 'b2', 'Input'], ['i', 'Output', 'i2', 'Input'], ['f', 'Output', 'f3', 'Input'], ['f2', 'Output', 'f4', 'Input']],
        [...there, ...back].map((n) => [n.id, 'Output']));
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.values, ['true', '-12', '0.1', '1e+21', true, -12, 0.1, 1e21]);
    });

    it('to Bool: "true"/"false"/"1"/"0" (any case), numbers by non-zero; from Bool to numbers 1 and 0', () => {
      assert.deepEqual(converted([
        conv('a', 'Bool', 'TRUE'), conv('b', 'Bool', 'false'), conv('c', 'Bool', '1'), conv('d', 'Bool', '0'), conv('e', 'Bool', 0),
        conv('f', 'Bool', -2.5), conv('g', 'Int', true), conv('h', 'Float', false),
      ]), [true, false, true, false, false, true, 1, 0]);
    });

    it('Float → Int truncates toward zero', () => {
      assert.deepEqual(converted([conv('a', 'Int', 2.7), conv('b', 'Int', -2.7)]), [2, -2]);
    });

    it('to String: JSON values as JSON text; to Any: unchanged; to Binary: UTF-8 bytes of text', () => {
      const r = evaluate([
        { id: 'p', type: 'JSON Parse', inputs: { Input: '{"a": [1, null]}' } }, conv('s', 'String'), conv('any', 'Any', 'x'),
        conv('bin', 'Binary', 'hé'), conv('binArr', 'Binary'), { id: 'arr', type: 'JSON Parse', inputs: { Input: '[104, 105]' } },
        conv('back', 'String'),
      ], [['p', 'Output', 's', 'Input'], ['arr', 'Output', 'binArr', 'Input'], ['binArr', 'Output', 'back', 'Input']],
      [['s', 'Output'], ['any', 'Output'], ['bin', 'Output'], ['back', 'Output']]);
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.values, ['{"a":[1,null]}', 'x', new Uint8Array([0x68, 0xc3, 0xa9]), 'hi']);
    });

    it('its Output has the type chosen by Data Type (an Int output feeds Int inputs)', () => {
      assert.equal(numberType([conv('c', 'Int', '5')], [], ['c', 'Output']), 'Int');
      assert.equal(numberType([conv('c', 'Float', '5')], [], ['c', 'Output']), 'Float');
      assert.equal(numberType([conv('c', 'String', 5)], [], ['c', 'Output']), 'neither');
    });
  });
});
