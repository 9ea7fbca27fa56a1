// Where the shipped board profiles are, and their names: what `build --help`
// lists, without loading the build itself.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// This module runs from targets/boards/ (source, under tsx) or bundled into
// dist/ (any file directly in it); either way the package root holds
// targets/boards/ and dist/.
export const ROOT = fileURLToPath(new URL(/\/dist\/[^/]+$/.test(import.meta.url) ? '../' : '../../', import.meta.url));
export const BOARDS_DIR = join(ROOT, 'targets', 'boards');

/** The board names in targets/boards/. */
export function boardNames(): string[] {
  try {
    return readdirSync(BOARDS_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  } catch {
    return []; // a package without its profiles still builds for a profile given by path
  }
}
