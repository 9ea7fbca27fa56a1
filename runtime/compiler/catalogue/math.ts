// Math: value nodes, arithmetic, rounding, Random (seeded, deterministic).
// Number pins take Int or Float; an output typed Number is Int when every
// Number input is Int (so 2 + 3 stays an Int), else Float.

import type { NodeSpec } from './types.ts';
import { numbered } from './types.ts';
import { ANYWHERE } from './scopes.ts';
import { foldInputs } from './flow.ts';
import type { Value } from '../../values.ts';

const family = 'math';
const inputCount = { name: 'Input Count', kind: 'int', default: 2, min: 2 } as const;

const variadic = (type: string, op: 'ADD' | 'SUB' | 'MUL' | 'DIV' | 'MIN' | 'MAX', out: 'Number' | 'Float'): NodeSpec => ({
  type, family, scopes: ANYWHERE, kind: 'data', attributes: [inputCount],
  pins: (a) => ({ inputs: numbered('Input', a['Input Count'] as number, 'Number'), outputs: [{ name: 'Output', type: out }] }),
  compile: (g) => foldInputs(g, op, g.attr<number>('Input Count')),
});

const unary = (type: string, op: 'ROUND' | 'FLOOR' | 'CEIL' | 'ABS', out: 'Number' | 'Int'): NodeSpec => ({
  type, family, scopes: ANYWHERE, kind: 'data', attributes: [],
  pins: () => ({ inputs: [{ name: 'Input', type: 'Number' }], outputs: [{ name: 'Output', type: out }] }),
  compile: (g) => g.emit(op, g.out('Output'), g.in('Input')),
});

const value = (type: string, attrs: NodeSpec['attributes'], outType: (a: Record<string, unknown>) => 'Int' | 'Float' | 'Bool' | 'String'): NodeSpec => ({
  type, family, scopes: ANYWHERE, kind: 'data', attributes: attrs,
  pins: (a) => ({ inputs: [], outputs: [{ name: 'Output', type: outType(a) }] }),
  constant: (a) => a.Value as Value,
});

export const mathNodes: NodeSpec[] = [
  {
    ...value('Numerical Value', [{ name: 'Value', kind: 'number', default: 0 }, { name: 'Data Type', kind: 'enum', values: ['Int', 'Float'], default: 'Float' }],
      (a) => (a['Data Type'] === 'Int' ? 'Int' : 'Float')),
    // An Int output must hold a whole number: Value 2.5 with Data Type Int would pass 2.5 on as an Int.
    checkAttributes: (a) => (a['Data Type'] === 'Int' && !Number.isInteger(a.Value)
      ? { attribute: 'Value', problem: `${a.Value} is not a whole number, but the Data Type is Int` } : undefined),
  },
  value('Bool Value', [{ name: 'Value', kind: 'bool', default: false }], () => 'Bool'),
  variadic('Add', 'ADD', 'Number'),
  variadic('Subtract', 'SUB', 'Number'),
  variadic('Multiply', 'MUL', 'Number'),
  variadic('Divide', 'DIV', 'Float'),
  variadic('Minimum', 'MIN', 'Number'),
  variadic('Maximum', 'MAX', 'Number'),
  {
    type: 'Modulo', family, scopes: ANYWHERE, kind: 'data', attributes: [],
    pins: () => ({ inputs: numbered('Input', 2, 'Number'), outputs: [{ name: 'Output', type: 'Number' }] }),
    compile: (g) => g.emit('MOD', g.out('Output'), g.in('Input 0'), g.in('Input 1')),
  },
  {
    type: 'Clamp', family, scopes: ANYWHERE, kind: 'data', attributes: [],
    pins: () => ({ inputs: [{ name: 'Input', type: 'Number' }, { name: 'Min', type: 'Number' }, { name: 'Max', type: 'Number' }], outputs: [{ name: 'Output', type: 'Number' }] }),
    compile: (g) => g.emit('CLAMP', g.out('Output'), g.in('Input'), g.in('Min'), g.in('Max')),
  },
  {
    type: 'Range Mapper', family, scopes: ANYWHERE, kind: 'data', attributes: [],
    pins: () => ({
      inputs: [
        { name: 'Input', type: 'Float' }, { name: 'In Min', type: 'Float' }, { name: 'In Max', type: 'Float' },
        { name: 'Out Min', type: 'Float' }, { name: 'Out Max', type: 'Float' },
      ],
      outputs: [{ name: 'Output', type: 'Float' }],
    }),
    compile: (g) => g.emit('RMAP', g.out('Output'), g.in('Input'), g.in('In Min'), g.in('In Max'), g.in('Out Min'), g.in('Out Max')),
  },
  unary('Round', 'ROUND', 'Int'),
  unary('Floor', 'FLOOR', 'Int'),
  unary('Ceil', 'CEIL', 'Int'),
  unary('Absolute', 'ABS', 'Number'),
  {
    // Seeded by settings.randomSeed: the same run gives the same numbers on every target.
    type: 'Random', family, scopes: ANYWHERE, kind: 'data', attributes: [{ name: 'Integer', kind: 'bool', default: false }],
    pins: (a) => ({
      inputs: [{ name: 'Min', type: 'Number', default: 0 }, { name: 'Max', type: 'Number', default: 1 }],
      outputs: [{ name: 'Output', type: a.Integer ? 'Int' : 'Float' }],
    }),
    compile: (g) => g.emit('RAND', g.out('Output'), g.in('Min'), g.in('Max'), g.attr('Integer') ? 1 : 0),
  },
];
