// Dictionaries: fields of parsed JSON (values of type Any). Set Dictionary
// Element returns a modified copy; values are never changed in place, so a
// register or variable can share one safely.

import type { NodeSpec } from './types.ts';
import { ANYWHERE } from './scopes.ts';

const family = 'dictionary';
const dict = { name: 'Dictionary', type: 'Any' } as const;
const key = { name: 'Key', type: 'Any' } as const;

export const dictionaryNodes: NodeSpec[] = [
  {
    type: 'Get Dictionary Element', family, scopes: ANYWHERE, kind: 'data', attributes: [],
    pins: () => ({ inputs: [dict, key], outputs: [{ name: 'Value', type: 'Any' }, { name: 'Found', type: 'Bool' }] }),
    compile: (g) => g.emit('DGET', g.out('Value'), g.out('Found'), g.in('Dictionary'), g.in('Key')),
  },
  {
    type: 'Set Dictionary Element', family, scopes: ANYWHERE, kind: 'data', attributes: [],
    pins: () => ({ inputs: [dict, key, { name: 'Value', type: 'Any' }], outputs: [{ name: 'Dictionary', type: 'Any' }] }),
    compile: (g) => g.emit('DSET', g.out('Dictionary'), g.in('Dictionary'), g.in('Key'), g.in('Value')),
  },
  {
    type: 'Get Dictionary Keys', family, scopes: ANYWHERE, kind: 'data', attributes: [],
    pins: () => ({ inputs: [dict], outputs: [{ name: 'Keys', type: 'Any' }] }),
    compile: (g) => g.emit('DKEYS', g.out('Keys'), g.in('Dictionary')),
  },
];
