// Finds where and why a JSON text is broken, for the `json-syntax` diagnostic.
//
// JSON.parse says only that the text is broken, and each engine words it
// differently (V8 gives a position, QuickJS often none), so after a failed
// parse the loader runs this small scanner over the text. It follows the
// JSON grammar with an explicit stack (no recursion: a hostile file nested a
// million deep must not overflow the call stack) and stops at the first
// error, naming the mistakes people make when they edit JSON by hand:
// trailing commas, comments, single quotes, unquoted keys, a missing comma.

export interface JsonSyntaxError {
  /** Offset of the offending character in the text (UTF-16 code units). */
  offset: number;
  line: number;
  column: number;
  reason: string;
}

type State = 'value' | 'firstValue' | 'key' | 'firstKey' | 'colon' | 'after';

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/y;
const ESCAPES = '"\\/bfnrtu';

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** The first syntax error in `text`, or undefined when the text is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const fail = (offset: number, reason: string): JsonSyntaxError => ({ offset, ...lineColumn(text, offset), reason });
  const open: Array<{ ch: '{' | '['; at: number }> = [];
  const n = text.length;
  let i = 0;
  let state: State = 'value';

  const where = (at: number) => {
    const p = lineColumn(text, at);
    return `line ${p.line}, column ${p.column}`;
  };
  const shown = (at: number) => JSON.stringify(text[at]);

  for (;;) {
    while (i < n && ' \t\r\n'.includes(text[i])) i++;
    if (i >= n) {
      if (state === 'after' && open.length === 0) return undefined;
      if (open.length === 0) return fail(n, i === 0 || text.trim() === '' ? 'the file is empty' : 'the file ends where a value was expected');
      const top = open[open.length - 1];
      const kind = top.ch === '{' ? 'object' : 'list';
      return fail(n, `the file ends before the ${kind} opened at ${where(top.at)} is closed (missing "${top.ch === '{' ? '}' : ']'}")`);
    }
    const ch = text[i];
    const top = open.length > 0 ? open[open.length - 1] : undefined;

    if (state === 'colon') {
      if (ch !== ':') return fail(i, `expected ":" after the property name, found ${shown(i)}`);
      i++;
      state = 'value';
      continue;
    }

    if (state === 'after') {
      if (!top) return fail(i, 'unexpected text after the end of the JSON value (the file must hold exactly one object)');
      const close = top.ch === '{' ? '}' : ']';
      if (ch === ',') {
        i++;
        state = top.ch === '{' ? 'key' : 'value';
      } else if (ch === close) {
        open.pop();
        i++;
      } else if (ch === '}' || ch === ']') {
        return fail(i, `found "${ch}" but the ${top.ch === '{' ? 'object' : 'list'} opened at ${where(top.at)} is still open (expected "${close}")`);
      } else {
        const what = top.ch === '{' ? 'a property' : 'a list item';
        return fail(i, `expected "," or "${close}" after ${what}, found ${shown(i)} (is a comma missing?)`);
      }
      continue;
    }

    if (state === 'key' || state === 'firstKey') {
      if (ch === '}' && state === 'firstKey') {
        open.pop();
        i++;
        state = 'after';
        continue;
      }
      if (ch === '"') {
        const err = scanString();
        if (err) return err;
        state = 'colon';
        continue;
      }
      if (ch === '}') return fail(prevToken(i), 'a comma before "}": trailing commas are not allowed in JSON');
      return fail(i, common(i) ?? `expected a property name in double quotes, found ${shown(i)}`);
    }

    // state is 'value' or 'firstValue'
    if (ch === ']' && state === 'firstValue') {
      open.pop();
      i++;
      state = 'after';
      continue;
    }
    if (ch === ']' || ch === '}') {
      const p = prevToken(i);
      if (text[p] === ',') return fail(p, `a comma before "${ch}": trailing commas are not allowed in JSON`);
      return fail(i, `expected a value, found ${shown(i)}`);
    }
    if (ch === '{' || ch === '[') {
      open.push({ ch, at: i++ });
      state = ch === '{' ? 'firstKey' : 'firstValue';
      continue;
    }
    if (ch === '"') {
      const err = scanString();
      if (err) return err;
      state = 'after';
      continue;
    }
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) return fail(i, 'invalid number');
      const next = text[i + m[0].length];
      if (/^-?0$/.test(m[0]) && next !== undefined && next >= '0' && next <= '9') return fail(i, 'numbers may not start with 0 (write 7, not 07)');
      if (next === '.' || next === 'e' || next === 'E') return fail(i, 'invalid number');
      i += m[0].length;
      state = 'after';
      continue;
    }
    WORD.lastIndex = i;
    const w = WORD.exec(text);
    if (w && (w[0] === 'true' || w[0] === 'false' || w[0] === 'null')) {
      i += w[0].length;
      state = 'after';
      continue;
    }
    return fail(i, common(i) ?? `expected a value, found ${shown(i)}`);
  }

  /** Offset of the last non-blank character before `at` (-1 if none). */
  function prevToken(at: number): number {
    let p = at - 1;
    while (p >= 0 && ' \t\r\n'.includes(text[p])) p--;
    return p;
  }

  /** Reasons for the usual hand-editing mistakes at `at`, if one applies. */
  function common(at: number): string | undefined {
    const ch = text[at];
    if (ch === '/' && (text[at + 1] === '/' || text[at + 1] === '*')) return 'comments are not allowed in JSON';
    if (ch === "'") return 'strings and names must be in double quotes ("), not single quotes';
    if (ch === '.') return 'a number must start with a digit (write 0.5, not .5)';
    WORD.lastIndex = at;
    const w = WORD.exec(text);
    if (!w) return undefined;
    const lower = w[0].toLowerCase();
    if (lower === 'true' || lower === 'false' || lower === 'null') return `"${w[0]}" must be written ${lower}, in lower case`;
    if (w[0] === 'NaN' || w[0] === 'Infinity' || w[0] === 'undefined') return `${w[0]} is not a JSON value`;
    return `unexpected word ${w[0]}: text must be in double quotes ("${w[0]}")`;
  }

  /** Scans the string starting at text[i] === '"'; advances i past it. */
  function scanString(): JsonSyntaxError | undefined {
    const start = i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return undefined;
      }
      if (c === 92) {
        const e = text[i + 1];
        if (e === undefined || !ESCAPES.includes(e)) return fail(i, `invalid escape "\\${e ?? ''}" in a string (write \\\\ for a backslash)`);
        if (e === 'u' && !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail(i, 'invalid \\u escape: it needs four hex digits');
        i += e === 'u' ? 6 : 2;
        continue;
      }
      if (c === 10 || c === 13) return fail(start, 'a string runs past the end of its line (a closing " is missing)');
      if (c < 0x20) return fail(i, 'a control character (such as a tab) inside a string must be escaped');
      i++;
    }
    return fail(start, 'a string is never closed (a closing " is missing)');
  }
}
