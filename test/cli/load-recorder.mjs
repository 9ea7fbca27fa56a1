// Preloaded into a `pulsewire` process (node --import) by test/cli/lazy.test.ts:
// records the URL of every ES module it resolves into the file named by
// PULSEWIRE_LOADS, one per line, through a resolve hook (node:module register).
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.PULSEWIRE_LOADS, r.url + '\\n');
  return r;
}`));
