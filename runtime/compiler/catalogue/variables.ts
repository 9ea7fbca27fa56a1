// Variables: typed, in the Project or a Scene scope; what the host HMI
// reads and observes. A Variable Setter whose value differs from the
// current one outputs a variable change and runs the On Variable Change
// listeners at once (statically known, so compiled as direct calls).

import type { NodeSpec } from './types.ts';
import { PULSE } from './types.ts';
import { ANYWHERE, LISTENERS } from './scopes.ts';
import type { TypeName } from '../../values.ts';

const family = 'variables';
const variable = { name: 'Variable', kind: 'variable' } as const;
const typeOf = (cx: { variableType(n: string): TypeName | undefined }, a: Record<string, unknown>): TypeName =>
  cx.variableType(String(a.Variable)) ?? 'Any';

export const variableNodes: NodeSpec[] = [
  {
    type: 'Variable Getter', family, scopes: ANYWHERE, kind: 'data', attributes: [variable],
    pins: (a, cx) => ({ inputs: [], outputs: [{ name: 'Value', type: typeOf(cx, a) }] }),
    compile: (g) => g.emit('VGET', g.out('Value'), g.variable()),
  },
  {
    type: 'Variable Setter', family, scopes: ANYWHERE, kind: 'action', attributes: [variable],
    pins: (a, cx) => ({
      inputs: [{ name: PULSE, type: 'Pulse' }, { name: 'Value', type: typeOf(cx, a) }],
      outputs: [{ name: PULSE, type: 'Pulse' }, { name: 'Value', type: typeOf(cx, a) }],
    }),
    compile: (g) => {
      const v = g.variable();
      if (g.read('Value') || g.project.listensTo(v)) {
        // The Value output holds the value for its links and for the listeners, which must all see the
        // value that was set even if a listener's chain re-evaluates the data node it came from.
        const out = g.out('Value');
        g.inputTo('Value', out);
        g.emit('VSET', v, out);
        g.project.notifyVariableChange(v, out);
      } else {
        g.emit('VSET', v, g.in('Value')); // nothing reads the output: no copy
      }
      g.goto(PULSE);
    },
  },
  {
    type: 'On Variable Change', family, scopes: LISTENERS, kind: 'event', attributes: [variable], role: 'variable-change-listener',
    pins: (a, cx) => ({ inputs: [], outputs: [{ name: PULSE, type: 'Pulse' }, { name: 'Value', type: typeOf(cx, a) }] }),
  },
];
