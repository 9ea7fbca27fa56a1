// Development and utilities: Console, Assert, Conversion.

import type { NodeSpec } from './types.ts';
import { PULSE } from './types.ts';
import { ANYWHERE } from './scopes.ts';
import { TYPES, type TypeName } from '../../values.ts';

const LEVELS = ['info', 'warning', 'error'] as const;

export const developmentNodes: NodeSpec[] = [
  {
    type: 'Console', family: 'development', scopes: ANYWHERE, kind: 'action',
    attributes: [{ name: 'Type', kind: 'enum', values: LEVELS, default: 'info' }],
    pins: () => ({ inputs: [{ name: PULSE, type: 'Pulse' }, { name: 'Input', type: 'Any' }], outputs: [{ name: PULSE, type: 'Pulse' }] }),
    compile: (g) => {
      g.emit('CONSOLE', LEVELS.indexOf(g.attr<(typeof LEVELS)[number]>('Type')), g.in('Input'));
      g.goto(PULSE);
    },
  },
  {
    // A false Condition stops the chain with the Message as a runtime error.
    type: 'Assert', family: 'development', scopes: ANYWHERE, kind: 'action', attributes: [],
    pins: () => ({
      inputs: [{ name: PULSE, type: 'Pulse' }, { name: 'Condition', type: 'Bool' }, { name: 'Message', type: 'String', default: 'assertion failed' }],
      outputs: [{ name: PULSE, type: 'Pulse' }],
    }),
    compile: (g) => { g.emit('ASSERT', g.in('Condition'), g.in('Message')); g.goto(PULSE); },
  },
  {
    // Impossible input (e.g. "abc" to Int) stops the chain with an error naming this node.
    type: 'Conversion', family: 'utilities', scopes: ANYWHERE, kind: 'data',
    attributes: [{ name: 'Data Type', kind: 'type', default: 'String' }],
    pins: (a) => ({ inputs: [{ name: 'Input', type: 'Any' }], outputs: [{ name: 'Output', type: a['Data Type'] as TypeName }] }),
    compile: (g) => g.emit('CONV', g.out('Output'), g.in('Input'), TYPES[g.attr<TypeName>('Data Type')]),
  },
];
