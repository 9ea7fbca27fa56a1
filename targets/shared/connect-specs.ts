// `--connect NAME=URL` (repeatable), as `pulsewire run` and a board's
// `./start` take it. Kept apart from load.ts so the board runner does not
// pull in the compiler.

/** NAME → URL; throws an Error saying which spec is malformed. */
export function parseConnectSpecs(specs: readonly string[] | undefined): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const spec of specs ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new Error(`--connect takes NAME=URL, not "${spec}"`);
    urls[spec.slice(0, eq)] = spec.slice(eq + 1);
  }
  return urls;
}
