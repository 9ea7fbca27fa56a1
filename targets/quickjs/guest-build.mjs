// The esbuild options of the QuickJS guest bundle, in one place: build.mjs
// writes dist/guest.js with them, and the QuickJS host, when it runs from
// the sources (tests), builds the same bundle in memory so that it never
// runs a stale dist/guest.js. Plain JS: build.mjs runs without tsx.
import { fileURLToPath } from 'node:url';

export const GUEST_ENTRY = fileURLToPath(new URL('./guest.ts', import.meta.url));

/** @type {import('esbuild').BuildOptions} */
export const GUEST_OPTIONS = {
  entryPoints: [GUEST_ENTRY],
  bundle: true,
  // No Node, no browser: a bare ECMAScript engine. An IIFE evaluates as a
  // plain script (QuickJS's global eval), and ES2020 is what the board's
  // QuickJS is sure to parse.
  platform: 'neutral',
  format: 'iife',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};
