// Communication: WebSocket (plugin "WebSocket"). Start/Stop/Send only begin
// the operation (they become commands to the binding after the tick); the
// On ... nodes fire when the binding reports what really happened.

import type { NodeSpec } from './types.ts';
import { PULSE } from './types.ts';
import { COMMUNICATION, LISTENERS } from './scopes.ts';

const plugin = 'WebSocket' as const;
const family = 'communication/websocket';
const config = { name: 'Configuration', kind: 'connection' } as const;
const isBinary = { name: 'Is Binary', kind: 'bool', default: false } as const;
const through = { inputs: [{ name: PULSE, type: 'Pulse' as const }], outputs: [{ name: PULSE, type: 'Pulse' as const }] };

export const websocketNodes: NodeSpec[] = [
  {
    type: 'WebSocket Client Start', family, plugin, scopes: COMMUNICATION, kind: 'action', attributes: [config],
    pins: () => through,
    compile: (g) => { g.emit('WSSTART', g.connection()); g.goto(PULSE); },
  },
  {
    type: 'WebSocket Client Stop', family, plugin, scopes: COMMUNICATION, kind: 'action', attributes: [config],
    pins: () => through,
    compile: (g) => { g.emit('WSSTOP', g.connection()); g.goto(PULSE); },
  },
  {
    type: 'WebSocket Client Send', family, plugin, scopes: COMMUNICATION, kind: 'action', attributes: [config, isBinary],
    pins: (a) => ({
      inputs: [{ name: PULSE, type: 'Pulse' }, { name: 'Message', type: a['Is Binary'] ? 'Binary' : 'String' }],
      outputs: [{ name: PULSE, type: 'Pulse' }],
    }),
    compile: (g) => { g.emit('WSSEND', g.connection(), g.in('Message'), g.attr('Is Binary') ? 1 : 0); g.goto(PULSE); },
  },
  {
    type: 'On WebSocket Start', family, plugin, scopes: LISTENERS, kind: 'event', attributes: [config],
    event: { kind: 'WsStart' },
    pins: () => ({ inputs: [], outputs: [{ name: PULSE, type: 'Pulse' }] }),
  },
  {
    // Code and Reason are pulsewire additions: who closed the connection and why.
    type: 'On WebSocket Stop', family, plugin, scopes: LISTENERS, kind: 'event', attributes: [config],
    event: { kind: 'WsStop' },
    pins: () => ({ inputs: [], outputs: [{ name: PULSE, type: 'Pulse' }, { name: 'Code', type: 'Int' }, { name: 'Reason', type: 'String' }] }),
  },
  {
    type: 'On WebSocket Receive', family, plugin, scopes: LISTENERS, kind: 'event', attributes: [config, isBinary],
    event: { kind: 'WsReceive', flags: (a) => (a['Is Binary'] ? 1 : 0) },
    pins: (a) => ({ inputs: [], outputs: [{ name: PULSE, type: 'Pulse' }, { name: 'Message', type: a['Is Binary'] ? 'Binary' : 'String' }] }),
  },
  {
    // Code is a pulsewire addition: the stable error code (docs/CONNECTIONS.md), for Branch/Switch.
    type: 'On WebSocket Error', family, plugin, scopes: LISTENERS, kind: 'event', attributes: [config],
    event: { kind: 'WsError' },
    pins: () => ({ inputs: [], outputs: [{ name: PULSE, type: 'Pulse' }, { name: 'Message', type: 'String' }, { name: 'Code', type: 'String' }] }),
  },
];
