// The layers, read off the source's own import graph (docs/ARCHITECTURE.md):
//
//   runtime/   platform-neutral: imports nothing from bindings/ or targets/,
//              no `node:` module, no transport library, no wall clock or
//              unseeded randomness;
//   bindings/  may import runtime/, never targets/;
//   targets/   may import both.
//
// Besides: the VM never reaches the compiler (a board runs verified
// schedules, it never compiles), nor does anything a board bundle contains;
// and there is no import cycle anywhere in the source. Tests, benchmarks and
// examples are not checked: they may reach across layers to observe them.

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LAYERS = ['runtime', 'bindings', 'targets'] as const;
/** The entry points of what a board runs (build.mjs): the board runner and the QuickJS guest. */
const BOARD_ENTRIES = ['targets/boards/runner.ts', 'targets/quickjs/guest.ts'];
const TRANSPORT_LIBRARIES = ['ws', 'socket.io-client', 'engine.io-client', 'quickjs-emscripten-core', '@jitl/quickjs-wasmfile-release-sync'];

interface SourceFile {
  file: string; // relative to the root, with forward slashes
  text: string;
  /** Relative imports resolved to source files. */
  local: string[];
  /** Package and `node:` imports, as written. */
  external: string[];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir)).sort()) {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...walk(rel));
    else if (/\.(ts|mts|mjs)$/.test(name) && !/\.d\.m?ts$/.test(name) && !/\.test\.ts$/.test(name)) out.push(rel);
  }
  return out;
}

function readGraph(): Map<string, SourceFile> {
  const graph = new Map<string, SourceFile>();
  for (const layer of LAYERS) {
    for (const file of walk(layer)) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      // TypeScript's own scanner: static imports, re-exports and import() with a literal.
      const info = ts.preProcessFile(text, true, true);
      const local: string[] = [];
      const external: string[] = [];
      for (const { fileName: spec } of info.importedFiles) {
        if (spec.startsWith('.')) {
          const target = relative(ROOT, resolve(ROOT, dirname(file), spec)).split('\\').join('/');
          if (/\.(ts|mts|mjs|js)$/.test(target)) local.push(target);
          // JSON and other assets are leaves: they import nothing.
        } else external.push(spec);
      }
      graph.set(file, { file, text, local, external });
    }
  }
  return graph;
}

const graph = readGraph();
const layerOf = (f: string) => f.split('/')[0];

/** Every source file reachable from `entry`, entry included. */
function reach(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const g of graph.get(f)?.local ?? []) todo.push(g);
  }
  return seen;
}

/** The import cycles, each as the list of files on it (Tarjan's strongly connected components, iteratively). */
function cycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { f: string; i: number }[] = [{ f: root, i: 0 }];
    index.set(root, next); low.set(root, next); next++;
    stack.push(root); onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      const edges = (graph.get(top.f)?.local ?? []).filter((g) => graph.has(g));
      if (top.i < edges.length) {
        const g = edges[top.i++];
        if (!index.has(g)) {
          index.set(g, next); low.set(g, next); next++;
          stack.push(g); onStack.add(g);
          work.push({ f: g, i: 0 });
        } else if (onStack.has(g)) low.set(top.f, Math.min(low.get(top.f)!, index.get(g)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].f;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.f)!));
      }
      if (low.get(top.f) === index.get(top.f)) {
        const scc: string[] = [];
        let g: string;
        do {
          g = stack.pop()!;
          onStack.delete(g);
          scc.push(g);
        } while (g !== top.f);
        if (scc.length > 1 || graph.get(top.f)!.local.includes(top.f)) out.push(scc.sort());
      }
    }
  }
  return out;
}

describe('architecture: the layers, from the import graph of the source', () => {
  it('reads the whole source tree (the check is not vacuous)', () => {
    for (const layer of LAYERS) assert.ok([...graph.keys()].filter((f) => layerOf(f) === layer).length >= 5, `few files under ${layer}/`);
    assert.ok(graph.get('targets/node/cli.ts')!.local.length > 5, 'the CLI imports local modules');
  });

  it('runtime/ imports nothing from bindings/ or targets/, no node: module and no transport library', () => {
    const bad: string[] = [];
    for (const s of graph.values()) {
      if (layerOf(s.file) !== 'runtime') continue;
      for (const g of s.local) if (layerOf(g) !== 'runtime') bad.push(`${s.file} → ${g}`);
      for (const e of s.external) {
        if (e.startsWith('node:') || TRANSPORT_LIBRARIES.includes(e)) bad.push(`${s.file} → ${e}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('runtime/ reads no wall clock and no unseeded randomness', () => {
    const bad: string[] = [];
    for (const s of graph.values()) {
      if (layerOf(s.file) !== 'runtime') continue;
      // Comments may name them (to say why not); code may not.
      const code = s.text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      for (const word of ['Date.now', 'new Date', 'Math.random', 'performance.now', 'setTimeout', 'setInterval', 'process.']) {
        if (code.includes(word)) bad.push(`${s.file}: ${word}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('bindings/ never imports targets/', () => {
    const bad: string[] = [];
    for (const s of graph.values()) {
      if (layerOf(s.file) !== 'bindings') continue;
      for (const g of s.local) if (layerOf(g) === 'targets') bad.push(`${s.file} → ${g}`);
    }
    assert.deepEqual(bad, []);
  });

  it('the VM and everything a board bundle contains never reach the compiler or the project loader', () => {
    const bad: string[] = [];
    for (const entry of ['runtime/vm/index.ts', ...BOARD_ENTRIES]) {
      assert.ok(graph.has(entry), `${entry} is missing`);
      for (const f of reach(entry)) if (f.startsWith('runtime/compiler/') || f.startsWith('runtime/project/')) bad.push(`${entry} reaches ${f}`);
    }
    assert.deepEqual(bad, []);
  });

  it('has no import cycle', () => {
    assert.deepEqual(cycles(), []);
  });
});
