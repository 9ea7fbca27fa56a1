#!/usr/bin/env node
// The `pulsewire` command: the bundle build.mjs makes from targets/node/cli.ts.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write("pulsewire: dist/cli.mjs is missing; run 'npm ci' (or 'node build.mjs') first\n");
  process.exit(1);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
