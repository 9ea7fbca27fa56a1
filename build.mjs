// Builds the bundles: dist/cli.mjs (the Node CLI and library). Board bundles
// and the QuickJS guest come from here too (see README, "Targets").
//   node build.mjs [--quiet]
import { build } from 'esbuild';

const quiet = process.argv.includes('--quiet');
const external = ['ws', 'socket.io-client', 'socket.io', 'quickjs-emscripten-core', '@jitl/quickjs-wasmfile-release-sync', 'ajv', 'bufferutil', 'utf-8-validate'];

try {
  const r = await build({
    entryPoints: { cli: 'targets/node/cli.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    external,
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  if (!quiet) for (const [f, o] of Object.entries(r.metafile.outputs)) if (!f.endsWith('.map')) console.log(`${f}  ${o.bytes} bytes`);
} catch {
  // esbuild has printed the errors.
  process.exit(1);
}
