// Events, scenes and functions: On Scene Loaded, Load Scene, custom events
// (Event Trigger → Event Listener), and the Function scope (Function Input,
// Function Output, and the Function node that calls one).
//
// Custom events and Function calls are resolved at compile time: a trigger
// compiles to direct calls of its listeners (guarded by the listener's
// scene), a Function node to argument copies and a CALL of the function's
// body. Recursion between functions is a diagnostic (graph.ts).

import type { NodeSpec, PinSpec } from './types.ts';
import { PULSE } from './types.ts';
import { ANYWHERE, LISTENERS } from './scopes.ts';
import type { TypeName } from '../../values.ts';

const family = 'events';
const pulseIn: PinSpec = { name: PULSE, type: 'Pulse' };
const pulseOut: PinSpec = { name: PULSE, type: 'Pulse' };
const params = (a: Record<string, unknown>): PinSpec[] =>
  ((a.Parameters as TypeName[] | undefined) ?? []).map((t, i) => ({ name: `Parameter ${i}`, type: t }));
const eventAttrs = [{ name: 'Event', kind: 'string' }, { name: 'Parameters', kind: 'types', default: [] }] as const;

export const eventNodes: NodeSpec[] = [
  {
    // In a Scene, fires when that scene is loaded; in the Project scope, when the named scene (or any scene) is.
    type: 'On Scene Loaded', family, scopes: LISTENERS, kind: 'event', attributes: [{ name: 'Scene', kind: 'scene', default: '' }],
    event: { kind: 'SceneLoaded' },
    pins: () => ({ inputs: [], outputs: [pulseOut] }),
  },
  {
    // The scene switch happens at the start of the next tick: its variables reset, its timers are dropped,
    // then its On Scene Loaded listeners (and the Project's) fire.
    type: 'Load Scene', family, scopes: ANYWHERE, kind: 'action', attributes: [{ name: 'Scene', kind: 'scene' }],
    pins: () => ({ inputs: [pulseIn], outputs: [pulseOut] }),
    compile: (g) => { g.emit('LOADSCENE', g.scene('Scene')); g.goto(PULSE); },
  },
  {
    // Runs every live Event Listener of the same Event at once, each to completion, then continues.
    type: 'Event Trigger', family, scopes: ANYWHERE, kind: 'action', attributes: eventAttrs, role: 'custom-event-trigger',
    pins: (a) => ({ inputs: [pulseIn, ...params(a)], outputs: [pulseOut] }),
    compile: (g) => {
      const n = (g.attr<TypeName[]>('Parameters') ?? []).length;
      g.project.triggerCustomEvent(g.attr<string>('Event'), Array.from({ length: n }, (_, i) => g.in(`Parameter ${i}`)));
      g.goto(PULSE);
    },
  },
  {
    type: 'Event Listener', family, scopes: LISTENERS, kind: 'event', attributes: eventAttrs, role: 'custom-event-listener',
    pins: (a) => ({ inputs: [], outputs: [pulseOut, ...params(a)] }),
  },
  {
    // The entry of a Function scope: one output per parameter.
    type: 'Function Input', family, scopes: ['Function'], kind: 'event', attributes: [], role: 'function-entry',
    pins: (_a, cx) => ({ inputs: [], outputs: [pulseOut, ...(cx.ownFunction()?.parameters ?? []).map((p) => ({ name: p.name, type: p.type }))] }),
  },
  {
    // Sets the function's results and ends this branch of the function's chain.
    type: 'Function Output', family, scopes: ['Function'], kind: 'action', attributes: [],
    pins: (_a, cx) => ({ inputs: [pulseIn, ...(cx.ownFunction()?.results ?? []).map((p) => ({ name: p.name, type: p.type }))], outputs: [] }),
    compile: (g) => {
      for (const [name, reg] of g.project.ownResults()) g.emit('MOV', reg, g.in(name));
      g.emit('RET');
    },
  },
  {
    // Calls a Function: its chain runs to completion, then ► continues with the results.
    type: 'Function', family, scopes: ANYWHERE, kind: 'action', attributes: [{ name: 'Function', kind: 'function' }], role: 'function-call',
    pins: (a, cx) => {
      const sig = cx.functionSignature(String(a.Function));
      return {
        inputs: [pulseIn, ...(sig?.parameters ?? []).map((p) => ({ name: p.name, type: p.type }))],
        outputs: [pulseOut, ...(sig?.results ?? []).map((p) => ({ name: p.name, type: p.type }))],
      };
    },
    compile: (g) => {
      const results = g.project.callFunction(g.attr<string>('Function'), (param) => g.in(param));
      for (const [name, reg] of results) g.emit('MOV', g.out(name), reg);
      g.goto(PULSE);
    },
  },
];

