import assert from 'node:assert/strict';
import { findJsonSyntaxError, lineColumn } from '../../runtime/project/json-syntax.ts';

/** Checks the scanner against JSON.parse and returns its verdict as "line:column reason". */
function verdict(text: string): string | undefined {
  const e = findJsonSyntaxError(text);
  let parses = true;
  try {
    JSON.parse(text);
  } catch {
    parses = false;
  }
  assert.equal(e === undefined, parses, `scanner and JSON.parse disagree on ${JSON.stringify(text)}`);
  return e && `${e.line}:${e.column} ${e.reason}`;
}

describe('project/json-syntax', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const t of ['{}', '[]', ' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"], "b": {}} ', '0', '"s"', '[[]]', '{"": 0}']) {
      assert.equal(verdict(t), undefined, t);
    }
  });

  it('names the usual hand-editing mistakes, at the right place', () => {
    const cases: Array<[string, string]> = [
      ['{"a": 1,\n}', '1:8 a comma before "}": trailing commas are not allowed in JSON'],
      ['[1, 2, ]', '1:6 a comma before "]": trailing commas are not allowed in JSON'],
      ['{\n  // note\n  "a": 1}', '2:3 comments are not allowed in JSON'],
      ["{'a': 1}", '1:2 strings and names must be in double quotes ("), not single quotes'],
      ['{a: 1}', '1:2 unexpected word a: text must be in double quotes ("a")'],
      ['{"a": 1\n "b": 2}', '2:2 expected "," or "}" after a property, found "\\"" (is a comma missing?)'],
      ['[1 2]', '1:4 expected "," or "]" after a list item, found "2" (is a comma missing?)'],
      ['{"a" 1}', '1:6 expected ":" after the property name, found "1"'],
      ['{"a": True}', '1:7 "True" must be written true, in lower case'],
      ['{"a": NaN}', '1:7 NaN is not a JSON value'],
      ['{"a": .5}', '1:7 a number must start with a digit (write 0.5, not .5)'],
      ['{"a": 007}', '1:7 numbers may not start with 0 (write 7, not 07)'],
      ['{"a": "x\n"}', '1:7 a string runs past the end of its line (a closing " is missing)'],
      ['{"a": "x', '1:7 a string is never closed (a closing " is missing)'],
      ['{"a": "\\q"}', '1:8 invalid escape "\\q" in a string (write \\\\ for a backslash)'],
      ['{"a": [1}', '1:9 found "}" but the list opened at line 1, column 7 is still open (expected "]")'],
      ['{"a": 1}}', '1:9 unexpected text after the end of the JSON value (the file must hold exactly one object)'],
      ['{"a": {"b": 1}', '1:15 the file ends before the object opened at line 1, column 1 is closed (missing "}")'],
      ['{"a": }', '1:7 expected a value, found "}"'],
      ['', '1:1 the file is empty'],
      ['  \n ', '2:2 the file is empty'],
    ];
    for (const [text, want] of cases) assert.equal(verdict(text), want, JSON.stringify(text));
  });

  it('counts lines by \\n, also in CRLF files', () => {
    assert.deepEqual(lineColumn('a\r\nbc\r\nd', 7), { line: 3, column: 1 });
    assert.equal(verdict('{\r\n"a": 1,\r\n}'), '2:7 a comma before "}": trailing commas are not allowed in JSON');
  });
});
