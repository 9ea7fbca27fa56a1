// String nodes, JSON Parse / Stringify. Inputs typed String also take Bool,
// Int and Float links (converted to text), so Format and Concat need no
// Conversion node in front of numbers.

import type { NodeSpec, PinSpec } from './types.ts';
import { numbered } from './types.ts';
import { ANYWHERE } from './scopes.ts';
import { foldInputs } from './flow.ts';
import type { OpName } from '../../schedule/opcodes.ts';

const family = 'string';
const text = (name: string, dflt?: string): PinSpec => (dflt === undefined ? { name, type: 'String' } : { name, type: 'String', default: dflt });
const output = (type: PinSpec['type'] = 'String'): PinSpec[] => [{ name: 'Output', type }];
const inputCount = { name: 'Input Count', kind: 'int', default: 2, min: 1 } as const;

const simple = (type: string, op: OpName, inputs: PinSpec[], out: PinSpec['type'] = 'String'): NodeSpec => ({
  type, family, scopes: ANYWHERE, kind: 'data', attributes: [],
  pins: () => ({ inputs, outputs: output(out) }),
  compile: (g) => g.emit(op, g.out('Output'), ...inputs.map((p) => g.in(p.name))),
});

export const stringNodes: NodeSpec[] = [
  {
    type: 'String Value', family, scopes: ANYWHERE, kind: 'data', attributes: [{ name: 'Value', kind: 'string', default: '' }],
    pins: () => ({ inputs: [], outputs: output() }),
    constant: (a) => String(a.Value),
  },
  {
    type: 'Concat Strings', family, scopes: ANYWHERE, kind: 'data', attributes: [{ ...inputCount, min: 2 }],
    pins: (a) => ({ inputs: numbered('Input', a['Input Count'] as number, 'String'), outputs: output() }),
    compile: (g) => foldInputs(g, 'CONCAT', g.attr<number>('Input Count')),
  },
  {
    // Placeholders {0}, {1}, … are replaced by Input 0, Input 1, …; {{ and }} stand for braces.
    type: 'Format', family, scopes: ANYWHERE, kind: 'data', attributes: [inputCount],
    pins: (a) => ({ inputs: [text('Format'), ...numbered('Input', a['Input Count'] as number, 'Any')], outputs: output() }),
    compile: (g) => {
      const n = g.attr<number>('Input Count');
      const args = Array.from({ length: n }, (_, i) => g.in(`Input ${i}`));
      g.emit('FORMAT', g.out('Output'), g.in('Format'), n, ...args);
    },
  },
  simple('Contains', 'CONTAINS', [text('Input'), text('Substring')], 'Bool'),
  // Input is Any, not String: a String input would turn a parsed array or object into its JSON text
  // first, so Length counted characters of the text instead of items (LEN counts items itself).
  // Strings, numbers and Bools still count characters; Binary counts bytes.
  simple('Length', 'LEN', [{ name: 'Input', type: 'Any' }], 'Int'),
  simple('Split', 'SPLIT', [text('Input'), text('Separator', ',')], 'Any'),
  simple('Replace', 'REPLACE', [text('Input'), text('Search'), text('Replacement', '')]),
  simple('Substring', 'SUBSTR', [text('Input'), { name: 'Start', type: 'Int', default: 0 }, { name: 'Length', type: 'Int', default: -1 }]),
  simple('Lower', 'LOWER', [text('Input')]),
  simple('Upper', 'UPPER', [text('Input')]),
  simple('Trim', 'TRIM', [text('Input')]),
  {
    // Invalid JSON stops the chain with an error naming this node.
    type: 'JSON Parse', family, scopes: ANYWHERE, kind: 'data', attributes: [],
    pins: () => ({ inputs: [text('Input')], outputs: [{ name: 'Output', type: 'Any' }, { name: 'IsArray', type: 'Bool' }] }),
    compile: (g) => g.emit('JPARSE', g.out('Output'), g.out('IsArray'), g.in('Input')),
  },
  simple('JSON Stringify', 'JSTR', [{ name: 'Input', type: 'Any' }]),
];
