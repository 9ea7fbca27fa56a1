// The node catalogue: every node type pulsewire runs, one entry each,
// looked up by the editor's name.

import type { NodeSpec } from './types.ts';
import { websocketNodes } from './communication-websocket.ts';
import { socketioNodes } from './communication-socketio.ts';
import { flowNodes } from './flow.ts';
import { mathNodes } from './math.ts';
import { variableNodes } from './variables.ts';
import { timeNodes } from './time.ts';
import { stringNodes } from './string.ts';
import { dictionaryNodes } from './dictionary.ts';
import { developmentNodes } from './development.ts';
import { eventNodes } from './events.ts';

export const CATALOGUE: ReadonlyMap<string, NodeSpec> = (() => {
  const m = new Map<string, NodeSpec>();
  for (const spec of [
    ...eventNodes, ...flowNodes, ...variableNodes, ...timeNodes, ...stringNodes, ...dictionaryNodes,
    ...mathNodes, ...developmentNodes, ...websocketNodes, ...socketioNodes,
  ]) {
    if (m.has(spec.type)) throw new Error(`node catalogue: ${spec.type} is listed twice`);
    m.set(spec.type, spec);
  }
  return m;
})();

export type { NodeSpec, PinSpec, AttrSpec, NodeGen } from './types.ts';
export { PULSE } from './types.ts';
