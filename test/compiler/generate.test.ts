// Code generation choices that keep ticks short and schedules small
// (docs/PERFORMANCE.md), each with the behaviour it must not change.

import { strict as assert } from 'node:assert';
import { project, compileOk, run } from '../helpers/project.ts';
import { disassemble } from '../../runtime/schedule/index.ts';
import type { Schedule } from '../../runtime/schedule/schedule.ts';

const P = '►';
/** The instructions of a schedule's listing, without operands: ['RET', 'VGET', …]. */
const ops = (s: Schedule): string[] =>
  disassemble(s).split('\ncode\n')[1].split('\n').filter((l) => /^\s+\d{4}\s/.test(l)).map((l) => l.trim().split(/\s+/)[1]);
const count = (s: Schedule, op: string) => ops(s).filter((o) => o === op).length;

describe('compiler/generate', () => {
  describe('Variable Setter', () => {
    const setter = (extra: { nodes?: object[]; links?: [string, string, string, string][] } = {}) =>
      project({
        variables: [{ name: 'n', type: 'Int', initial: 0 }, { name: 'seen', type: 'Any', initial: null }],
        nodes: [
          { id: 'boot', type: 'On Scene Loaded' },
          { id: 'parse', type: 'JSON Parse', inputs: { Input: '{"n": 5}' } },
          { id: 'get', type: 'Get Dictionary Element', inputs: { Key: 'n' } },
          { id: 'set', type: 'Variable Setter', attributes: { Variable: 'n' } },
          ...((extra.nodes ?? []) as never[]),
        ],
        links: [['boot', P, 'set', P], ['parse', 'Output', 'get', 'Dictionary'], ['get', 'Value', 'set', 'Value'], ...(extra.links ?? [])],
      });

    it('sets straight from its input when nothing reads its Value output: no copy, no starting value', () => {
      const s = compileOk(setter());
      assert.equal(count(s, 'MOV'), 0);
      assert.deepEqual(ops(s).slice(-4), ['DGET', 'CONV', 'VSET', 'RET']);
      const h = run(setter());
      h.tick(0);
      assert.equal(h.vm.variable('n'), 5);
    });

    it('converts straight into its Value output when a link reads it (no CONV then MOV)', () => {
      const p = setter({
        nodes: [{ id: 'fmt', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: 'n={0}' } }, { id: 'say', type: 'Console' }],
        links: [['set', P, 'say', P], ['set', 'Value', 'fmt', 'Input 0'], ['fmt', 'Output', 'say', 'Input']],
      });
      const s = compileOk(p);
      assert.equal(count(s, 'MOV'), 0);
      assert.equal(count(s, 'CONV'), 1);
      const h = run(p);
      h.tick(0);
      assert.deepEqual(h.console(), ['n=5']);
    });

    it('keeps its Value output for On Variable Change listeners, who see the value that was set', () => {
      // The first listener changes `src` and re-evaluates the getter the setter read from (into that
      // getter's register); the second listener's parameter must still be the value that was set.
      const p = project({
        variables: [{ name: 'n', type: 'Any', initial: 0 }, { name: 'src', type: 'Any', initial: 1 }],
        nodes: [
          { id: 'boot', type: 'On Scene Loaded' },
          { id: 'src', type: 'Variable Getter', attributes: { Variable: 'src' } },
          { id: 'set', type: 'Variable Setter', attributes: { Variable: 'n' } },
          { id: 'on1', type: 'On Variable Change', attributes: { Variable: 'n' } },
          { id: 'bump', type: 'Variable Setter', attributes: { Variable: 'src' }, inputs: { Value: 99 } },
          { id: 'f1', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: 'first re-reads {0}' } },
          { id: 'say1', type: 'Console' },
          { id: 'on2', type: 'On Variable Change', attributes: { Variable: 'n' } },
          { id: 'f2', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: 'second sees {0}' } },
          { id: 'say2', type: 'Console' },
        ],
        links: [
          ['boot', P, 'set', P], ['src', 'Value', 'set', 'Value'],
          ['on1', P, 'bump', P], ['bump', P, 'say1', P], ['src', 'Value', 'f1', 'Input 0'], ['f1', 'Output', 'say1', 'Input'],
          ['on2', P, 'say2', P], ['on2', 'Value', 'f2', 'Input 0'], ['f2', 'Output', 'say2', 'Input'],
        ],
      });
      assert.equal(count(compileOk(p), 'MOV') >= 1, true);
      const h = run(p);
      h.tick(0);
      assert.deepEqual(h.console(), ['first re-reads 99', 'second sees 1']);
    });
  });

  describe('Branch', () => {
    const branch = (cond: boolean, linkTrue = true) =>
      project({
        nodes: [
          { id: 'boot', type: 'On Scene Loaded' },
          { id: 'b', type: 'Bool Value', attributes: { Value: cond } },
          { id: 'br', type: 'Branch' },
          { id: 'yes', type: 'Console', inputs: { Input: 'yes' } },
          { id: 'no', type: 'Console', inputs: { Input: 'no' } },
          { id: 'after', type: 'Console', inputs: { Input: 'after' } },
        ],
        links: [['boot', P, 'br', P], ['b', 'Output', 'br', 'Input'], ...(linkTrue ? [['br', 'OnTrue', 'yes', P] as [string, string, string, string]] : []), ['br', 'OnFalse', 'no', P], ['no', P, 'after', P]],
      });

    it('is one conditional jump (JT into OnTrue, OnFalse falls through)', () => {
      const o = ops(compileOk(branch(true)));
      assert.equal(o.filter((x) => x === 'JT').length, 1);
      assert.equal(o.filter((x) => x === 'JF' || x === 'JMP').length, 0);
    });

    for (const [cond, linkTrue, lines] of [[true, true, ['yes']], [false, true, ['no', 'after']], [true, false, []], [false, false, ['no', 'after']]] as const) {
      it(`Input ${cond}, OnTrue ${linkTrue ? 'linked' : 'unlinked'}: ${JSON.stringify(lines)}`, () => {
        const h = run(branch(cond, linkTrue));
        h.tick(0);
        assert.deepEqual(h.console(), lines);
      });
    }
  });

  it('an action output that no link reads gets no starting value', () => {
    const s = compileOk(project({
      nodes: [{ id: 'boot', type: 'On Scene Loaded' }, { id: 't', type: 'Toggle' }, { id: 'on', type: 'On WebSocket Receive', attributes: { Configuration: 'L' } }],
      settings: { webSocketConnections: [{ Name: 'L', URL: 'ws://127.0.0.1', Port: 1 }] },
      links: [['boot', P, 't', P]],
    }));
    // Only the Toggle's state (its initial Value) starts with a value: not Is On, not the unread Message.
    assert.equal(s.regInit.length, 2);
  });
});
