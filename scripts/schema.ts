// `npm run schema`: writes the generated definitions of the project file's
// JSON Schema (runtime/compiler/schema.ts) into
// runtime/project/project.schema.json, keeping the hand-written rest.
// test/project/schema-generated.test.ts fails while the file is stale.

import { readFileSync, writeFileSync } from 'node:fs';
import { withGeneratedParts, formatSchema } from '../runtime/compiler/schema.ts';

const file = new URL('../runtime/project/project.schema.json', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = formatSchema(withGeneratedParts(JSON.parse(before)));
if (after === before) process.stdout.write('runtime/project/project.schema.json is up to date\n');
else {
  writeFileSync(file, after);
  process.stdout.write('runtime/project/project.schema.json written\n');
}
