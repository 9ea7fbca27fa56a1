// Line and column of a JSON Pointer in the file's text, so that every
// diagnostic (loader, schema, compiler) says file:line:column and an editor
// or CI can jump to it.
//
// One pass over text that JSON.parse has already accepted, with an explicit
// stack (a file nested a million deep must not overflow the call stack, and
// the loader reports such files, so their diagnostics need positions too).
// Paths are built only along the pointers asked for, so the pass stays
// linear in the text whatever the nesting. A pointer to a value that is not
// there (a missing key) gets the position of the nearest value above it.

import { parsePointer, pointer } from './locate.ts';
import type { Diagnostic } from './model.ts';

export interface Position {
  line: number;
  column: number;
}

interface Frame {
  array: boolean;
  /** The container's own pointer, or undefined when no wanted pointer goes through it. */
  path: string | undefined;
  index: number;
  key: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Positions (1-based, columns in UTF-16 code units as editors count them) of the values the pointers name. */
export function positionsOf(text: string, pointers: Iterable<string>): Map<string, Position> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // columns count from after a BOM, as editors show them
  const wanted = new Set<string>();
  for (const p of pointers) {
    const segs = parsePointer(p);
    for (let i = 0; i <= segs.length; i++) wanted.add(pointer(segs.slice(0, i)));
  }
  const found = new Map<string, Position>();
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const skipWs = () => {
    while (i < body.length && WS.has(body.charCodeAt(i))) {
      if (body.charCodeAt(i) === 0x0a) {
        line++;
        lineStart = i + 1;
      }
      i++;
    }
  };
  /** Past a string starting at i (a quote); returns its decoded text only when `decode`. */
  const string = (decode: boolean): string => {
    const start = i++;
    while (i < body.length) {
      const c = body.charCodeAt(i);
      if (c === 0x5c) i += 2;
      else if (c === 0x22) break;
      else i++;
    }
    i++;
    return decode ? (JSON.parse(body.slice(start, i)) as string) : '';
  };
  const stack: Frame[] = [];
  /** Where the next value's pointer would be, or undefined when nothing wanted lies under it. */
  const childPath = (f: Frame | undefined): string | undefined => {
    if (!f) return '';
    if (f.path === undefined) return undefined;
    const p = f.path + pointer([f.array ? f.index : f.key]);
    return wanted.has(p) ? p : undefined;
  };
  skipWs();
  for (;;) {
    // A value starts at i.
    const path = childPath(stack[stack.length - 1]);
    if (path !== undefined) found.set(path, { line, column: i - lineStart + 1 });
    const c = body.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      const array = c === 0x5b;
      i++;
      skipWs();
      const close = array ? 0x5d : 0x7d;
      if (body.charCodeAt(i) === close) {
        i++;
      } else {
        const f: Frame = { array, path, index: 0, key: '' };
        stack.push(f);
        if (!array) {
          f.key = string(path !== undefined);
          skipWs();
          i++; // the colon
          skipWs();
        }
        continue;
      }
    } else if (c === 0x22) string(false);
    else while (i < body.length && !WS.has(body.charCodeAt(i)) && body[i] !== ',' && body[i] !== ']' && body[i] !== '}') i++;
    // After a value: a comma and the next one, or the end of containers.
    for (;;) {
      skipWs();
      const f = stack[stack.length - 1];
      if (!f) return found;
      if (body[i] === ',') {
        i++;
        skipWs();
        if (f.array) f.index++;
        else {
          f.key = string(f.path !== undefined);
          skipWs();
          i++;
          skipWs();
        }
        break;
      }
      i++; // the closing bracket
      stack.pop();
    }
  }
}

/** The position of each diagnostic's path in `text`, or of the nearest value above it. */
export function positionAt(positions: Map<string, Position>, path: string): Position | undefined {
  const segs = parsePointer(path);
  for (let n = segs.length; n >= 0; n--) {
    const p = positions.get(pointer(segs.slice(0, n)));
    if (p) return p;
  }
  return undefined;
}

/** Fills in line and column of every diagnostic that has a path and no position yet; `text` must be valid JSON. */
export function placeDiagnostics(text: string, diagnostics: readonly Diagnostic[]): void {
  const need = diagnostics.filter((d) => d.line === undefined && d.path !== undefined);
  if (need.length === 0) return;
  const positions = positionsOf(text, need.map((d) => d.path!));
  for (const d of need) {
    const p = positionAt(positions, d.path!);
    if (p) {
      d.line = p.line;
      d.column = p.column;
    }
  }
}
