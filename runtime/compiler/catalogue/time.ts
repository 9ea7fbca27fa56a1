// Time: timeouts and intervals on the tick clock. A timer started in tick n
// fires in the first later tick whose logical time has reached its due time
// (never in tick n itself, so a zero delay cannot loop within a tick).

import type { NodeSpec, PinSpec } from './types.ts';
import { PULSE } from './types.ts';
import { ANYWHERE } from './scopes.ts';

const family = 'time';
const pulseIn: PinSpec = { name: PULSE, type: 'Pulse' };
const pulseOut: PinSpec = { name: PULSE, type: 'Pulse' };
const seconds: PinSpec = { name: 'Seconds', type: 'Float' };
const id: PinSpec = { name: 'Instance ID', type: 'Int' };

export const timeNodes: NodeSpec[] = [
  {
    // ► is the delayed continuation; OnStart fires at once; OnCancel when Cancel Timeout stops it.
    type: 'Start Timeout', family, scopes: ANYWHERE, kind: 'action', attributes: [], delayed: [PULSE],
    pins: () => ({ inputs: [pulseIn, seconds], outputs: [pulseOut, { name: 'OnStart', type: 'Pulse' }, { name: 'OnCancel', type: 'Pulse' }, id] }),
    compile: (g) => {
      g.emit('TSTART', g.out('Instance ID'), g.in('Seconds'), g.pulse(PULSE), g.pulse('OnCancel'), 0, g.ownerScene());
      g.goto('OnStart');
    },
  },
  {
    type: 'Cancel Timeout', family, scopes: ANYWHERE, kind: 'action', attributes: [],
    pins: () => ({ inputs: [pulseIn, id], outputs: [pulseOut] }),
    compile: (g) => { g.emit('TCANCEL', g.in('Instance ID')); g.goto(PULSE); },
  },
  {
    // ► fires every Seconds until Reset Interval stops it (at most once per tick).
    type: 'Start Interval', family, scopes: ANYWHERE, kind: 'action', attributes: [], delayed: [PULSE],
    pins: () => ({ inputs: [pulseIn, seconds], outputs: [pulseOut, { name: 'OnStart', type: 'Pulse' }, id] }),
    compile: (g) => {
      g.emit('TSTART', g.out('Instance ID'), g.in('Seconds'), g.pulse(PULSE), g.pulse('OnCancel'), 1, g.ownerScene());
      g.goto('OnStart');
    },
  },
  {
    type: 'Reset Interval', family, scopes: ANYWHERE, kind: 'action', attributes: [],
    pins: () => ({ inputs: [pulseIn, id], outputs: [pulseOut] }),
    compile: (g) => { g.emit('TCANCEL', g.in('Instance ID')); g.goto(PULSE); },
  },
];
