// String nodes, JSON Parse and JSON Stringify.

import assert from 'node:assert/strict';
import { P, boot, evaluate, value1, numberType, project, run, oneError, compileOk, diagnosticsOf } from './kit.ts';
import type { NodeDecl } from '../../runtime/project/model.ts';

const str = (id: string, type: string, inputs: Record<string, unknown>, attributes?: Record<string, unknown>): NodeDecl =>
  ({ id, type, inputs, ...(attributes ? { attributes } : {}) });

function outputs(nodes: NodeDecl[], pin = 'Output'): unknown[] {
  const r = evaluate(nodes, [], nodes.map((n) => [n.id, pin]));
  assert.deepEqual(r.errors, []);
  return r.values;
}

describe('nodes/string', () => {
  it('String Value outputs its Value (default empty)', () => {
    assert.deepEqual(outputs([{ id: 's', type: 'String Value', attributes: { Value: 'héllo' } }, { id: 'e', type: 'String Value' }]), ['héllo', '']);
  });

  describe('Format', () => {
    it('replaces {0}, {1} by the inputs, in any order and repeated', () => {
      assert.deepEqual(outputs([
        str('f', 'Format', { Format: '{0} + {1} = {2}', 'Input 0': 2, 'Input 1': 2.5, 'Input 2': 'four and a half' }, { 'Input Count': 3 }),
        str('g', 'Format', { Format: '{1}{0}{1}', 'Input 0': 'a', 'Input 1': 'b' }),
      ]), ['2 + 2.5 = four and a half', 'bab']);
    });

    it('{{ and }} stand for literal braces; an index past Input Count stays as written', () => {
      assert.deepEqual(outputs([
        str('f', 'Format', { Format: '{{{0}}} {{0}} {5}', 'Input 0': 'x' }, { 'Input Count': 1 }),
      ]), ['{x} {0} {5}']);
    });

    it('shows Bools, numbers, null and parsed JSON as text', () => {
      const r = evaluate([
        { id: 'j', type: 'JSON Parse', inputs: { Input: '{"a":[1,true]}' } },
        str('f', 'Format', { Format: '{0}|{1}|{2}|{3}', 'Input 0': true, 'Input 1': -1.25, 'Input 2': null }, { 'Input Count': 4 }),
      ], [['j', 'Output', 'f', 'Input 3']], [['f', 'Output']]);
      assert.deepEqual(r.values, ['true|-1.25|null|{"a":[1,true]}']);
    });

    it('feeds a Console with the formatted line', () => {
      const h = run(project({
        variables: [{ name: 'speed', type: 'Float', initial: 88.5 }],
        nodes: [
          boot(), { id: 'v', type: 'Variable Getter', attributes: { Variable: 'speed' } },
          str('f', 'Format', { Format: 'speed: {0} km/h' }, { 'Input Count': 1 }), { id: 'c', type: 'Console' },
        ],
        links: [['boot', P, 'c', P], ['v', 'Value', 'f', 'Input 0'], ['f', 'Output', 'c', 'Input']],
      }));
      h.tick(0);
      assert.deepEqual(h.console(), ['speed: 88.5 km/h']);
    });
  });

  it('Concat Strings joins its inputs; Int, Float and Bool links become text', () => {
    const r = evaluate([
      { id: 'i', type: 'Numerical Value', attributes: { Value: 42, 'Data Type': 'Int' } },
      { id: 'f', type: 'Numerical Value', attributes: { Value: 0.5 } },
      { id: 'b', type: 'Bool Value', attributes: { Value: true } },
      str('c', 'Concat Strings', { 'Input 0': 'n=' }, { 'Input Count': 4 }),
      str('c2', 'Concat Strings', { 'Input 0': 'a', 'Input 1': '' }),
    ], [['i', 'Output', 'c', 'Input 1'], ['f', 'Output', 'c', 'Input 2'], ['b', 'Output', 'c', 'Input 3']], [['c', 'Output'], ['c2', 'Output']]);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.values, ['n=420.5true', 'a']);
  });

  it('Contains is case-sensitive; the empty Substring is always contained', () => {
    assert.deepEqual(outputs([
      str('a', 'Contains', { Input: 'speed limit', Substring: 'limit' }), str('b', 'Contains', { Input: 'speed limit', Substring: 'Limit' }),
      str('c', 'Contains', { Input: 'abc', Substring: '' }), str('d', 'Contains', { Input: '', Substring: 'a' }),
    ]), [true, false, true, false]);
  });

  it('Length counts characters (an Int)', () => {
    assert.deepEqual(outputs([str('a', 'Length', { Input: 'hello' }), str('b', 'Length', { Input: '' }), str('c', 'Length', { Input: 'grüß' })]), [5, 0, 4]);
    assert.equal(numberType([str('a', 'Length', { Input: 'x' })], [], ['a', 'Output']), 'Int');
  });

  it('Length of a parsed JSON array or object counts its items, not its text (regression)', () => {
    const r = evaluate([
      { id: 'arr', type: 'JSON Parse', inputs: { Input: '[10, 20, 30]' } }, { id: 'obj', type: 'JSON Parse', inputs: { Input: '{"a":1,"b":2}' } },
      { id: 'la', type: 'Length' }, { id: 'lo', type: 'Length' },
    ], [['arr', 'Output', 'la', 'Input'], ['obj', 'Output', 'lo', 'Input']], [['la', 'Output'], ['lo', 'Output']]);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.values, [3, 2]);
  });

  it('Split gives a JSON array of the parts (default separator ",")', () => {
    const r = evaluate([
      str('a', 'Split', { Input: 'a,b,,c' }), str('b', 'Split', { Input: '1 - 2 - 3', Separator: ' - ' }),
      str('c', 'Split', { Input: 'abc', Separator: '' }), str('d', 'Split', { Input: '', Separator: ';' }),
      { id: 'js', type: 'JSON Stringify' },
    ], [['b', 'Output', 'js', 'Input']], [['a', 'Output'], ['b', 'Output'], ['c', 'Output'], ['d', 'Output'], ['js', 'Output']]);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.values, [['a', 'b', '', 'c'], ['1', '2', '3'], ['a', 'b', 'c'], [''], '["1","2","3"]']);
  });

  it('Replace replaces every occurrence; an empty Search changes nothing', () => {
    assert.deepEqual(outputs([
      str('a', 'Replace', { Input: 'a-b-c', Search: '-', Replacement: '+' }), str('b', 'Replace', { Input: 'aaa', Search: 'aa', Replacement: 'b' }),
      str('c', 'Replace', { Input: 'abc', Search: 'b' }), str('d', 'Replace', { Input: 'abc', Search: '', Replacement: 'x' }),
      str('e', 'Replace', { Input: '$1 & $&', Search: '&', Replacement: '$&$&' }),
    ]), ['a+b+c', 'ba', 'ac', 'abc', '$1 $&$& $$&$&']);
  });

  it('Substring takes Length characters from Start (Length -1, the default, to the end)', () => {
    assert.deepEqual(outputs([
      str('a', 'Substring', { Input: 'dashboard', Start: 4, Length: 5 }), str('b', 'Substring', { Input: 'dashboard', Start: 4 }),
      str('c', 'Substring', { Input: 'dashboard' }), str('d', 'Substring', { Input: 'abc', Start: 2, Length: 10 }),
      str('e', 'Substring', { Input: 'abc', Start: 5 }), str('f', 'Substring', { Input: 'abc', Start: -2, Length: 1 }),
      str('g', 'Substring', { Input: 'abc', Start: 1, Length: 0 }),
    ]), ['board', 'board', 'dashboard', 'c', '', 'a', '']);
  });

  it('Lower, Upper, Trim', () => {
    assert.deepEqual(outputs([
      str('a', 'Lower', { Input: 'MiXeD Ä' }), str('b', 'Upper', { Input: 'MiXeD ä' }), str('c', 'Trim', { Input: ' \t padded \n ' }),
    ]), ['mixed ä', 'MIXED Ä', 'padded']);
  });

  describe('JSON Parse', () => {
    it('outputs the value as Any, and IsArray', () => {
      const nodes = [
        str('o', 'JSON Parse', { Input: '{"speed": 88.5, "tags": ["a"]}' }), str('a', 'JSON Parse', { Input: '[1, 2]' }),
        str('n', 'JSON Parse', { Input: ' 42 ' }), str('s', 'JSON Parse', { Input: '"text"' }), str('z', 'JSON Parse', { Input: 'null' }),
      ];
      assert.deepEqual(outputs(nodes), [{ speed: 88.5, tags: ['a'] }, [1, 2], 42, 'text', null]);
      assert.deepEqual(outputs(nodes, 'IsArray'), [false, true, false, false, false]);
    });

    it('bad JSON stops the chain with an error naming the node and showing the text', () => {
      const r = evaluate([str('bad', 'JSON Parse', { Input: '{"speed": 88.5,' })], [], [['bad', 'Output']]);
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0].code, 'json');
      assert.equal(r.errors[0].node, 'Project/bad');
      assert.match(r.errors[0].message, /^Project\/bad: invalid JSON .*"\{\\"speed\\": 88\.5,"/);
      assert.deepEqual(r.values, ['<unset>'], 'the chain stopped before the setter');
    });

    it('pulsed, it runs as an action and keeps its outputs for later readers', () => {
      // parse runs once (pulsed); the interval reads its kept Output every second.
      const h = run(project({
        nodes: [
          boot(), { id: 'parse', type: 'JSON Parse', inputs: { Input: '{"n": 1}' } }, { id: 'iv', type: 'Start Interval', inputs: { Seconds: 1 } },
          { id: 'get', type: 'Get Dictionary Element', inputs: { Key: 'n' } }, { id: 'c', type: 'Console' },
        ],
        links: [
          ['boot', P, 'parse', P], ['parse', P, 'iv', P], ['iv', P, 'c', P],
          ['parse', 'Output', 'get', 'Dictionary'], ['get', 'Value', 'c', 'Input'],
        ],
      }));
      for (const t of [0, 1000, 2000]) h.tick(t);
      assert.deepEqual(h.console(), ['1', '1']);
      assert.deepEqual(h.errors(), []);
    });

    it('an Any output feeding a typed input is checked at run time', () => {
      const ok = value1([str('p', 'JSON Parse', { Input: '"12"' }), { id: 'add', type: 'Add', inputs: { 'Input 1': 1 } }],
        [['p', 'Output', 'add', 'Input 0']], ['add', 'Output']);
      // An Any link into a Number input is read as Float; "12" converts.
      assert.equal(ok, 13);
      const r = evaluate([str('p', 'JSON Parse', { Input: '{"a":1}' }), { id: 'add', type: 'Add', inputs: { 'Input 1': 1 } }],
        [['p', 'Output', 'add', 'Input 0']], [['add', 'Output']]);
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0].code, 'conversion');
      assert.equal(r.errors[0].node, 'Project/add');
      assert.match(r.errors[0].message, /cannot convert an object to Float/);
    });
  });

  it('JSON Stringify writes compact JSON text', () => {
    const r = evaluate([
      str('p', 'JSON Parse', { Input: '{ "a" : [1, 2.5, "x"], "b": { "c": null } }' }), { id: 's', type: 'JSON Stringify' },
      str('t', 'JSON Stringify', { Input: 'quote " here' }), str('n', 'JSON Stringify', { Input: 3 }),
    ], [['p', 'Output', 's', 'Input']], [['s', 'Output'], ['t', 'Output'], ['n', 'Output']]);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.values, ['{"a":[1,2.5,"x"],"b":{"c":null}}', '"quote \\" here"', '3']);
  });

  it('String inputs refuse a literal of another type at compile time (one diagnostic, not also missing-input)', () => {
    const d = diagnosticsOf(project({ nodes: [str('u', 'Upper', { Input: 5 })] }));
    assert.deepEqual(d.map((x) => [x.code, x.node]), [['bad-literal', 'u']]);
    compileOk(project({ nodes: [str('u', 'Upper', { Input: '5' })] }));
  });

  it('runtime errors of string nodes name the node even deep in a chain', () => {
    const h = run(project({
      nodes: [
        boot(), { id: 'ok', type: 'Console', inputs: { Input: 'first' } },
        str('p', 'JSON Parse', { Input: 'nope' }), { id: 'len', type: 'Length' }, { id: 'c', type: 'Console' },
      ],
      links: [['boot', P, 'ok', P], ['ok', P, 'c', P], ['p', 'Output', 'len', 'Input'], ['len', 'Output', 'c', 'Input']],
    }));
    h.tick(0);
    assert.deepEqual(h.console(), ['first']);
    oneError(h, 'Project/p', 'json');
  });
});
