// Builds the bundles (see README, "Targets and boards"):
//   dist/cli.mjs                 the Node CLI and library, dependencies external
//   dist/guest.js                the QuickJS guest
//   dist/hil.mjs                 the HIL kit (pulsewire/hil), dependencies external
//   dist/inspector.js            the live inspector's page (run --inspect)
//   dist/board-<engine>/         each engine's board runtime (node, quickjs), self-contained
// Each bundle is one function below.
//   node build.mjs [--quiet]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { GUEST_OPTIONS } from './targets/quickjs/guest-build.mjs';

const quiet = process.argv.includes('--quiet');

// What every bundle that runs on Node shares: one ES module for Node 18 (the
// board stand-in's Node), with a metafile for the size report.
const NODE_ESM = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node18',
  outExtension: { '.js': '.mjs' },
  metafile: true,
  logLevel: 'warning',
};

// The Node CLI and the HIL kit, what `import … from 'pulsewire/hil'` loads in
// a user's tests (package.json "exports"; this repository's own tests take
// the sources, through the "source" condition). Every package stays external
// (node_modules has them); the quickjs target finds dist/guest.js beside them.
// Split at every dynamic import, so that a command loads only what it uses
// (targets/node/cli.ts); the chunks sit flat in dist/, beside guest.js.
function buildCliAndHil() {
  // Chunk names change with their contents: an earlier build's must not linger (nor ship).
  mkdirSync('dist', { recursive: true });
  for (const f of readdirSync('dist', { withFileTypes: true })) {
    if (f.isFile() && /\.mjs(\.map)?$/.test(f.name)) rmSync(`dist/${f.name}`);
  }
  return build({
    ...NODE_ESM,
    entryPoints: { cli: 'targets/node/cli.ts', hil: 'targets/hil/index.ts' },
    outdir: 'dist',
    packages: 'external',
    splitting: true,
    chunkNames: '[name]-[hash]',
    sourcemap: true,
  });
}

// An engine's board runtime: `pulsewire build` copies every file of
// dist/board-<engine>/ into a board folder (docs/BOARDS.md), so the folder
// is emptied first and holds nothing but what a board runs. runner.mjs is
// the same for both engines (config.json picks one) and has everything
// bundled — ws, socket.io-client, the QuickJS host — since a board has
// Node.js (Debian bookworm's is 18) and no node_modules. Engine quickjs adds
// what its host loads from beside runner.mjs: the guest (dist/guest.js,
// built before) and quickjs-emscripten's wasm.
async function buildBoard(engine) {
  const dir = `dist/board-${engine}`;
  rmSync(dir, { recursive: true, force: true });
  const r = await build({
    ...NODE_ESM,
    entryPoints: { runner: 'targets/boards/runner.ts' },
    outdir: dir,
    // ws loads these optional native add-ons with require() inside try/catch:
    // left out of the bundle, they are simply absent on a board.
    external: ['bufferutil', 'utf-8-validate'],
    // The bundled CommonJS (ws, engine.io-client) require()s Node's built-ins;
    // an ES module has no require of its own.
    banner: { js: "import { createRequire as __pulsewireRequire } from 'node:module';\nconst require = __pulsewireRequire(import.meta.url);" },
    minify: true, // a board's flash is small: less than half the size
  });
  writeLicenses(r.metafile, `${dir}/THIRD-PARTY-LICENSES.txt`);
  if (engine === 'quickjs') {
    copyFileSync('dist/guest.js', `${dir}/guest.js`);
    copyFileSync(createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm'), `${dir}/emscripten-module.wasm`);
  }
  return r;
}

// The inspector's page (targets/inspector/page): one script for the browser,
// served by `run --inspect` from the package itself (no CDN, no network).
function buildInspectorPage() {
  return build({
    entryPoints: ['targets/inspector/page/main.ts'],
    outfile: 'dist/inspector.js',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    minify: true,
    metafile: true,
    logLevel: 'warning',
  });
}

// The QuickJS guest: the VM alone, for a sandbox (docs/HOST-ABI.md). The
// options live beside the guest, where its host finds them too.
function buildGuest() {
  return build({ ...GUEST_OPTIONS, outfile: 'dist/guest.js', metafile: true });
}

// A board folder redistributes the bundled libraries: their names, versions
// and license texts go with it, in a stable order.
function writeLicenses(metafile, out) {
  const dirs = new Set();
  for (const f of Object.keys(metafile.inputs)) {
    const m = /^(.*?node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(f);
    if (m) dirs.add(m[1]);
  }
  const parts = [...dirs].sort().map((dir) => {
    const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
    const file = readdirSync(dir).sort().find((n) => /^licen[cs]e/i.test(n));
    const text = file ? readFileSync(`${dir}/${file}`, 'utf8').trim() : `License: ${pkg.license}`;
    return `${pkg.name} ${pkg.version}${pkg.license ? ` (${pkg.license})` : ''}\n\n${text}\n`;
  });
  writeFileSync(out, `Libraries bundled into runner.mjs\n\n${parts.join('\n' + '-'.repeat(72) + '\n\n')}`);
}

try {
  for (const r of [await buildCliAndHil(), await buildGuest(), await buildInspectorPage(), await buildBoard('node'), await buildBoard('quickjs')]) {
    if (!quiet) for (const [f, o] of Object.entries(r.metafile.outputs)) if (!f.endsWith('.map')) console.log(`${f}  ${o.bytes} bytes`);
  }
} catch {
  // esbuild has printed the errors.
  process.exit(1);
}
