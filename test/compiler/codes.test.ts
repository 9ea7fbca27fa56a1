// The compiler's diagnostic codes are one typed catalogue (COMPILE_CODES),
// listed in docs/NODES.md; and the compiler finds nodes by catalogue
// property, never by comparing a node's type name.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { COMPILE_CODES, CATALOGUE } from '../../runtime/compiler/index.ts';
import { LOAD_CODES } from '../../runtime/project/index.ts';

const docs = readFileSync(new URL('../../docs/NODES.md', import.meta.url), 'utf8');

describe('compiler/codes', () => {
  it('docs/NODES.md lists exactly the compiler\'s codes, in order', () => {
    const section = docs.slice(docs.indexOf('## Compile-time diagnostics'));
    const listed = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(listed, Object.keys(COMPILE_CODES));
  });

  it('no code means one thing for the loader and another for the compiler', () => {
    const shared = Object.keys(COMPILE_CODES).filter((c) => c in LOAD_CODES);
    assert.deepEqual(shared, []);
  });

  it('no compiler module outside the catalogue names a node type (special cases are catalogue properties)', () => {
    const dir = new URL('../../runtime/compiler/', import.meta.url);
    const offenders: string[] = [];
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      // 'Function' is also a scope kind, so that one is caught by the comparison it would appear in.
      for (const name of CATALOGUE.keys()) if (name !== 'Function' && text.includes(`'${name}'`)) offenders.push(`${f}: '${name}'`);
      for (const m of text.matchAll(/decl\.type\s*[!=]==?\s*['"`]/g)) offenders.push(`${f}: ${m[0]}`);
    }
    assert.deepEqual(offenders, []);
  });
});
