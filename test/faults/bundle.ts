// The fault suite's child processes (the back end and the clients) run as
// plain-node bundles, as a board runs runner.mjs: bundled by esbuild like
// dist/board-* (every package inside, the QuickJS guest and wasm beside), so
// a client starts in a fraction of what tsx takes and its memory is what a
// board's process would use, not a TypeScript loader's.

import { build } from 'esbuild';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GUEST_OPTIONS } from '../../targets/quickjs/guest-build.mjs';

export interface Bundles {
  dir: string;
  server: string;
  agent: string;
  remove(): void;
}

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

export async function bundleChildren(): Promise<Bundles> {
  const dir = mkdtempSync(join(tmpdir(), 'pulsewire-faults-'));
  await Promise.all([
    build({
      entryPoints: { server: here('./server.ts'), agent: here('./agent.ts') },
      outdir: dir,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node18',
      outExtension: { '.js': '.mjs' },
      splitting: false,
      external: ['bufferutil', 'utf-8-validate'],
      // The bundled CommonJS (ws, engine.io) require()s Node's built-ins; an ES module has no require of its own.
      banner: { js: "import { createRequire as __pwRequire } from 'node:module';\nconst require = __pwRequire(import.meta.url);" },
      logLevel: 'error',
    }),
    build({ ...GUEST_OPTIONS, outfile: join(dir, 'guest.js'), write: true }),
  ]);
  copyFileSync(createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm'), join(dir, 'emscripten-module.wasm'));
  return {
    dir,
    server: join(dir, 'server.mjs'),
    agent: join(dir, 'agent.mjs'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
