// Flow control: Branch, Sequential, Switch, Toggle, For Loop, and the
// comparisons and boolean operators that feed them.

import type { NodeSpec, PinSpec, Attrs, NodeGen } from './types.ts';
import { PULSE, numbered } from './types.ts';
import { ANYWHERE } from './scopes.ts';
import { literalFits, literalValue, type TypeName } from '../../values.ts';

const family = 'flow';
const pulseIn: PinSpec = { name: PULSE, type: 'Pulse' };
const pulseOut: PinSpec = { name: PULSE, type: 'Pulse' };
const inputCount = { name: 'Input Count', kind: 'int', default: 2, min: 2 } as const;
const dataType = { name: 'Data Type', kind: 'type', default: 'Any' } as const;

/** A pure two-input node with a Bool output. */
const compare = (type: string, op: 'EQ' | 'GE' | 'LE', t: PinSpec['type']): NodeSpec => ({
  type, family, scopes: ANYWHERE, kind: 'data', attributes: [],
  pins: () => ({ inputs: numbered('Input', 2, t), outputs: [{ name: 'Output', type: 'Bool' }] }),
  compile: (g) => g.emit(op, g.out('Output'), g.in('Input 0'), g.in('Input 1')),
});

/** AND / OR over `Input Count` inputs, folded left to right. */
const fold = (type: string, op: 'AND' | 'OR'): NodeSpec => ({
  type, family, scopes: ANYWHERE, kind: 'data', attributes: [inputCount],
  pins: (a) => ({ inputs: numbered('Input', a['Input Count'] as number, 'Bool'), outputs: [{ name: 'Output', type: 'Bool' }] }),
  compile: (g) => foldInputs(g, op, g.attr<number>('Input Count')),
});

/** Output := Input 0 op Input 1 op …, one instruction per extra input. */
export function foldInputs(g: NodeGen, op: 'AND' | 'OR' | 'ADD' | 'SUB' | 'MUL' | 'DIV' | 'MIN' | 'MAX' | 'CONCAT', n: number): void {
  const out = g.out('Output');
  g.emit(op, out, g.in('Input 0'), g.in('Input 1'));
  for (let i = 2; i < n; i++) g.emit(op, out, out, g.in(`Input ${i}`));
}

const caseCount = (a: Attrs) => (Array.isArray(a.Cases) ? a.Cases.length : 0);

export const flowNodes: NodeSpec[] = [
  {
    type: 'Branch', family, scopes: ANYWHERE, kind: 'action', attributes: [],
    pins: () => ({ inputs: [pulseIn, { name: 'Input', type: 'Bool' }], outputs: [{ name: 'OnTrue', type: 'Pulse' }, { name: 'OnFalse', type: 'Pulse' }] }),
    compile: (g) => {
      // One instruction either way: JT into the OnTrue chain, else on along OnFalse (JF + JMP took two).
      g.emit('JT', g.in('Input'), g.pulse('OnTrue'));
      g.goto('OnFalse');
    },
  },
  {
    // Each Pulse i runs to completion before Pulse i+1 starts.
    type: 'Sequential', family, scopes: ANYWHERE, kind: 'action', attributes: [{ name: 'Pulse Count', kind: 'int', default: 2, min: 1 }],
    pins: (a) => ({ inputs: [pulseIn], outputs: numbered('Pulse', a['Pulse Count'] as number, 'Pulse') }),
    compile: (g) => {
      const n = g.attr<number>('Pulse Count');
      for (let i = 0; i < n - 1; i++) g.call(`Pulse ${i}`);
      g.goto(`Pulse ${n - 1}`);
    },
  },
  {
    // Cases are compared top to bottom; the first equal one fires, else Default.
    type: 'Switch', family, scopes: ANYWHERE, kind: 'action',
    attributes: [{ name: 'Data Type', kind: 'type', default: 'Int' }, { name: 'Cases', kind: 'list', default: [] }],
    // A case that is not a value of the Data Type could never match (or, for Binary, not even load): say so.
    checkAttributes: (a) => {
      const t = a['Data Type'] as TypeName;
      const i = (a.Cases as unknown[]).findIndex((c) => !literalFits(c, t));
      return i < 0 ? undefined : { attribute: 'Cases', problem: `item ${i} (${JSON.stringify((a.Cases as unknown[])[i])}) is not a value of the Data Type ${t}` };
    },
    pins: (a) => ({
      inputs: [pulseIn, { name: 'Input', type: a['Data Type'] as TypeName }],
      outputs: [...numbered('Case', caseCount(a), 'Pulse'), { name: 'Default', type: 'Pulse' }],
    }),
    compile: (g) => {
      const cases = g.attr<unknown[]>('Cases');
      const t = g.attr<TypeName>('Data Type');
      const input = g.in('Input');
      cases.forEach((c, i) => g.emit('JEQ', input, g.constant(literalValue(c, t)), g.pulse(`Case ${i}`)));
      g.goto('Default');
    },
  },
  {
    // Holds a Bool that flips every time the node is pulsed; Is On is the new state.
    type: 'Toggle', family, scopes: ANYWHERE, kind: 'action', attributes: [{ name: 'Value', kind: 'bool', default: false }],
    pins: () => ({ inputs: [pulseIn], outputs: [pulseOut, { name: 'Is On', type: 'Bool' }] }),
    compile: (g) => {
      const on = g.out('Is On');
      const state = g.state(g.attr<boolean>('Value'));
      g.emit('NOT', state, state);
      g.emit('MOV', on, state);
      g.goto(PULSE);
    },
  },
  {
    type: 'Select Data', family, scopes: ANYWHERE, kind: 'data', attributes: [dataType],
    pins: (a) => {
      const t = a['Data Type'] as TypeName;
      return { inputs: [{ name: 'Condition', type: 'Bool' }, { name: 'A', type: t }, { name: 'B', type: t }], outputs: [{ name: 'Output', type: t }] };
    },
    compile: (g) => g.emit('SELECT', g.out('Output'), g.in('Condition'), g.in('A'), g.in('B')),
  },
  compare('Is Equal', 'EQ', 'Any'),
  compare('Is Greater Equal', 'GE', 'Number'),
  compare('Is Less Equal', 'LE', 'Number'),
  fold('AND', 'AND'),
  fold('OR', 'OR'),
  {
    type: 'Negate', family, scopes: ANYWHERE, kind: 'data', attributes: [],
    pins: () => ({ inputs: [{ name: 'Input', type: 'Bool' }], outputs: [{ name: 'Output', type: 'Bool' }] }),
    compile: (g) => g.emit('NOT', g.out('Output'), g.in('Input')),
  },
  {
    // Loop Body runs for Index = First..Last (inclusive), each to completion; then Completed.
    type: 'For Loop', family, scopes: ANYWHERE, kind: 'action', attributes: [],
    pins: () => ({
      inputs: [pulseIn, { name: 'First', type: 'Int' }, { name: 'Last', type: 'Int' }],
      outputs: [{ name: 'Loop Body', type: 'Pulse' }, { name: 'Index', type: 'Int' }, { name: 'Completed', type: 'Pulse' }],
    }),
    compile: (g) => {
      const index = g.out('Index');
      const last = g.temp();
      const top = g.label();
      const done = g.label();
      g.emit('MOV', index, g.in('First'));
      g.emit('MOV', last, g.in('Last'));
      g.mark(top);
      g.emit('JGT', index, last, done);
      g.call('Loop Body');
      g.emit('INC', index);
      g.emit('JMP', top);
      g.mark(done);
      g.goto('Completed');
    },
  },
];
