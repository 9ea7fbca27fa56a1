// What every QuickJS engine of a process shares: the wasm module (loading a
// second one costs ~96 ms and its own memory; a runtime + context in it
// costs under 1 ms) and the guest bundle's source. Loading is asynchronous
// and happens once; createRuntime() is synchronous, so loadRuntime() in
// targets/runtime.ts awaits loadQuickJs() first, for the quickjs target only.
//
// Where the guest comes from:
//   - run from the built CLI (dist/cli.mjs and its chunks): dist/guest.js beside it;
//   - run from the sources (tsx: tests, benchmarks): built in memory from
//     targets/quickjs/guest.ts with the options build.mjs uses, so a stale
//     dist/guest.js is never what a test runs.

import { readFile } from 'node:fs/promises';
import type { QuickJSWASMModule } from 'quickjs-emscripten-core';

/** What an engine needs of a module: the real one, or quickjs-emscripten's TestQuickJSWASMModule (leak checks). */
export type QuickJsModule = Pick<QuickJSWASMModule, 'newRuntime' | 'getWasmMemory'>;

export interface QuickJsShared {
  module: QuickJSWASMModule;
  /** The guest bundle (dist/guest.js), to evaluate in each new context. */
  guestSource: string;
}

let shared: QuickJsShared | undefined;
let loading: Promise<QuickJsShared> | undefined;

/** Loads the shared module and guest once per process; later calls return the same promise. */
export function loadQuickJs(): Promise<QuickJsShared> {
  loading ??= (async () => {
    // Imported here, not at the top: a Node-only install need not have them.
    const [{ newQuickJSWASMModuleFromVariant }, variant, guestSource] = await Promise.all([
      import('quickjs-emscripten-core'),
      import('@jitl/quickjs-wasmfile-release-sync'),
      loadGuestSource(),
    ]);
    shared = { module: await newQuickJSWASMModuleFromVariant(variant.default), guestSource };
    return shared;
  })();
  return loading;
}

/** The shared module and guest, if loadQuickJs() has finished. */
export function quickJsLoaded(): QuickJsShared | undefined {
  return shared;
}

async function loadGuestSource(): Promise<string> {
  const fromSources = import.meta.url.endsWith('.ts');
  if (fromSources) {
    // Specifiers in variables: esbuild must not pull esbuild into dist/cli.mjs.
    const esbuildName = 'esbuild';
    const optionsUrl = new URL('../../targets/quickjs/guest-build.mjs', import.meta.url).href;
    const [{ build }, { GUEST_OPTIONS }] = await Promise.all([import(esbuildName), import(optionsUrl)]);
    const r = await build({ ...GUEST_OPTIONS, write: false });
    return r.outputFiles[0].text as string;
  }
  const file = new URL('./guest.js', import.meta.url);
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`the QuickJS guest bundle ${file.pathname} cannot be read (${(e as NodeJS.ErrnoException).code ?? e}); run 'node build.mjs'`);
  }
}
