// Communication: Socket.IO (plugin "Socket.IO"). Namespace '' means '/'.
// Message is a String; a payload that is not a string arrives as JSON text.

import type { NodeSpec, PinSpec } from './types.ts';
import { PULSE } from './types.ts';
import { COMMUNICATION, LISTENERS } from './scopes.ts';

const plugin = 'Socket.IO' as const;
const family = 'communication/socketio';
const config = { name: 'Configuration', kind: 'connection' } as const;
const pulseIn: PinSpec = { name: PULSE, type: 'Pulse' };
const pulseOut: PinSpec = { name: PULSE, type: 'Pulse' };
const ns: PinSpec = { name: 'Namespace', type: 'String', default: '' };
const ev: PinSpec = { name: 'Event Name', type: 'String' };

const listener = (type: string, kind: NonNullable<NodeSpec['event']>['kind'], outputs: PinSpec[]): NodeSpec => ({
  type, family, plugin, scopes: LISTENERS, kind: 'event', attributes: [config], event: { kind },
  pins: () => ({ inputs: [], outputs: [pulseOut, ...outputs] }),
});

export const socketioNodes: NodeSpec[] = [
  {
    type: 'Socket.IO Start', family, plugin, scopes: COMMUNICATION, kind: 'action', attributes: [config],
    pins: () => ({ inputs: [pulseIn], outputs: [pulseOut] }),
    compile: (g) => { g.emit('SIOSTART', g.connection()); g.goto(PULSE); },
  },
  {
    type: 'Socket.IO Stop', family, plugin, scopes: COMMUNICATION, kind: 'action', attributes: [config],
    pins: () => ({ inputs: [pulseIn], outputs: [pulseOut] }),
    compile: (g) => { g.emit('SIOSTOP', g.connection()); g.goto(PULSE); },
  },
  {
    type: 'Socket.IO Send', family, plugin, scopes: COMMUNICATION, kind: 'action', attributes: [config],
    pins: () => ({ inputs: [pulseIn, ev, ns, { name: 'Message', type: 'String', default: '' }], outputs: [pulseOut] }),
    compile: (g) => { g.emit('SIOEMIT', g.connection(), g.in('Namespace'), g.in('Event Name'), g.in('Message')); g.goto(PULSE); },
  },
  {
    type: 'Socket.IO Subscribe', family, plugin, scopes: COMMUNICATION, kind: 'action', attributes: [config],
    pins: () => ({ inputs: [pulseIn, ev, ns], outputs: [pulseOut] }),
    compile: (g) => { g.emit('SIOSUB', g.connection(), g.in('Namespace'), g.in('Event Name')); g.goto(PULSE); },
  },
  {
    type: 'Socket.IO Unsubscribe', family, plugin, scopes: COMMUNICATION, kind: 'action', attributes: [config],
    pins: () => ({ inputs: [pulseIn, ev, ns], outputs: [pulseOut] }),
    compile: (g) => { g.emit('SIOUNSUB', g.connection(), g.in('Namespace'), g.in('Event Name')); g.goto(PULSE); },
  },
  listener('On Socket.IO Start', 'SioStart', []),
  listener('On Socket.IO Stop', 'SioStop', [{ name: 'Reason', type: 'String' }]),
  listener('On Socket.IO Receive', 'SioReceive', [
    { name: 'Namespace', type: 'String' }, { name: 'Trigger Name', type: 'String' }, { name: 'Message', type: 'String' },
  ]),
  listener('On Socket.IO Error', 'SioError', [
    { name: 'Namespace', type: 'String' }, { name: 'Message', type: 'String' }, { name: 'Code', type: 'String' },
  ]),
  listener('On Socket.IO Subscribe', 'SioSubscribe', [{ name: 'Namespace', type: 'String' }, { name: 'Event Name', type: 'String' }]),
  listener('On Socket.IO Unsubscribe', 'SioUnsubscribe', [{ name: 'Namespace', type: 'String' }, { name: 'Event Name', type: 'String' }]),
];
