// The diagram of a compiled schedule (.pws), for when the project file is
// not at hand. With the debug map, each node that has code is a box (named
// `scope/id` as in the project); its type is read off its code where the
// code says it (a WSSEND is a WebSocket Client Send), event nodes from the
// event table; a jump or call into another node's code is a pulse link, a
// register one node writes and another reads is a data link (named by the
// event's payload pin where it is one, else by the register).
//
// What the schedule does not hold cannot be drawn: pin names (but event
// payloads), literals, unlinked pins, nodes without code of their own
// (constants, pure nodes nobody reads), and positions. Stripped of its debug
// map (`compile --strip`), a schedule has no node names at all: each chain
// is then one box, named by the event or timer that starts it.

import type { Schedule } from '../../runtime/schedule/schedule.ts';
import { EVENT_KINDS, EVENT_PAYLOAD, type EventKindName } from '../../runtime/schedule/schedule.ts';
import { CATALOGUE } from '../../runtime/compiler/catalogue/index.ts';
import { PULSE } from '../../runtime/compiler/catalogue/types.ts';
import type { OpName } from '../../runtime/schedule/opcodes.ts';
import type { Diagram, DLink, DNode, DPin, DScope } from './diagram.ts';
import { instructions, successors, timerEntries, type Instruction } from './code-walk.ts';

/** Node types whose code gives them away, with the op that does. */
const BY_OP: Partial<Record<OpName, string>> = {
  WSSTART: 'WebSocket Client Start', WSSTOP: 'WebSocket Client Stop', WSSEND: 'WebSocket Client Send',
  SIOSTART: 'Socket.IO Start', SIOSTOP: 'Socket.IO Stop', SIOEMIT: 'Socket.IO Send', SIOSUB: 'Socket.IO Subscribe', SIOUNSUB: 'Socket.IO Unsubscribe',
  VSET: 'Variable Setter', VGET: 'Variable Getter', CONSOLE: 'Console', ASSERT: 'Assert', LOADSCENE: 'Load Scene',
  TCANCEL: 'Cancel Timeout', JPARSE: 'JSON Parse', DGET: 'Get Dictionary Element', DSET: 'Set Dictionary Element', DKEYS: 'Get Dictionary Keys',
};

const KIND_NAMES = Object.fromEntries(Object.entries(EVENT_KINDS).map(([k, v]) => [v, k as EventKindName])) as Record<number, EventKindName>;
/** The catalogue's event node for an event kind. */
const EVENT_TYPES = new Map<EventKindName, string>();
for (const spec of CATALOGUE.values()) if (spec.event && !EVENT_TYPES.has(spec.event.kind)) EVENT_TYPES.set(spec.event.kind, spec.type);

export function scheduleDiagram(s: Schedule, source: string): Diagram {
  return s.debug && s.debug.nodes.length > 0 ? withDebugMap(s, source) : stripped(s, source);
}

function withDebugMap(s: Schedule, source: string): Diagram {
  const list = instructions(s);
  const names = s.debug!.nodes;
  const at = new Map(list.map((i, k) => [i.pc, k]));
  const ownerAt = (pc: number) => list[at.get(pc) ?? -1]?.owner ?? -1;
  // One box per label (a node's code may be in several ranges: pure inputs compiled in between).
  const nodes = new Map<string, DNode & { ops: Set<OpName> }>();
  const scopes = new Map<string, DScope>();
  const box = (label: string) => {
    let n = nodes.get(label);
    if (!n) {
      const cut = label.indexOf('/');
      const scope = cut < 0 ? 'Project' : label.slice(0, cut);
      n = { id: cut < 0 ? label : label.slice(cut + 1), type: '', family: 'code', kind: 'action', attrs: [], inputs: [], outputs: [], faults: [], ops: new Set() };
      nodes.set(label, n);
      if (!scopes.has(scope)) scopes.set(scope, { label: scope, nodes: [], links: [], notes: [] });
      scopes.get(scope)!.nodes.push(n);
    }
    return n;
  };
  const scopeOf = (label: string) => scopes.get(label.indexOf('/') < 0 ? 'Project' : label.slice(0, label.indexOf('/')))!;
  for (const name of names) box(name);
  const pin = (pins: DPin[], name: string, type: string) => pins.find((p) => p.name === name) ?? (pins.push({ name, type }), pins[pins.length - 1]);
  const links = new Set<string>();
  const link = (from: string, fromPin: string, to: string, toPin: string, pulse: boolean) => {
    if (from === to) return;
    const scope = scopeOf(from);
    if (scopeOf(to) !== scope) return; // a call into another scope (a Function, a custom event): not a link of either
    const key = `${from}\u0000${fromPin}\u0000${to}\u0000${toPin}`;
    if (links.has(key)) return;
    links.add(key);
    const a = nodes.get(from)!;
    const b = nodes.get(to)!;
    pin(a.outputs, fromPin, pulse ? 'Pulse' : '?');
    pin(b.inputs, toPin, pulse ? 'Pulse' : '?');
    scope.links.push({ from: { node: a.id, pin: fromPin }, to: { node: b.id, pin: toPin }, pulse, ...(pulse ? {} : { type: '?' }) } satisfies DLink);
  };

  // Event nodes have no code of their own (a chain starts with the first node it runs), so the debug map
  // does not name them: each listener is drawn by its event, pulsing the node its chain starts with.
  const payload = new Map<number, { label: string; pin: string }>();
  for (const e of s.events) {
    const o = ownerAt(e.pc);
    if (o < 0) continue;
    const kind = KIND_NAMES[e.kind];
    const type = EVENT_TYPES.get(kind) ?? kind;
    const scope = scopeOf(names[o]).label;
    const label = `${scope}/${type} @${e.pc}`;
    if (nodes.has(label)) continue;
    const n = box(label);
    n.type = type;
    n.kind = 'event';
    n.family = CATALOGUE.get(type)?.family ?? 'events';
    if (kind === 'SceneLoaded') {
      if (e.key >= 0) n.key = `Scene: ${s.scenes[e.key]}`;
    } else if (s.connections[e.key]) n.key = `Configuration: ${s.connections[e.key].name}`;
    link(label, PULSE, names[o], PULSE, true);
    EVENT_PAYLOAD[kind].forEach((p, i) => payload.set(e.regs[i], { label, pin: p }));
  }
  // Who writes each register (the first writer names it).
  const writer = new Map<number, { label: string; pin: string }>(payload);
  for (const i of list) {
    if (i.owner < 0) continue;
    i.letters.split('').forEach((l, k) => {
      if (l === 'd' && !writer.has(i.args[k])) writer.set(i.args[k], { label: names[i.owner], pin: `r${i.args[k]}` });
    });
  }
  for (let k = 0; k < list.length; k++) {
    const i = list[k];
    if (i.owner < 0) continue;
    const label = names[i.owner];
    const n = box(label);
    n.ops.add(i.op);
    describe(n, i, s);
    // Control into another node's code: a pulse (TSTART's targets too: a delayed pulse).
    const targets = i.op === 'TSTART' ? i.args.filter((_, x) => i.letters[x] === 'j') : successors(i, list[k + 1]?.pc);
    for (const t of targets) {
      const o = ownerAt(t);
      if (o >= 0 && names[o] !== label) link(label, PULSE, names[o], PULSE, true);
    }
    i.letters.split('').forEach((l, x) => {
      if (l !== 'r') return;
      const w = writer.get(i.args[x]);
      if (w && w.label !== label) link(w.label, w.pin, label, w.pin, false);
    });
  }
  for (const n of nodes.values()) {
    if (!n.type) {
      const known = [...n.ops].map((op) => BY_OP[op]).find((t) => t !== undefined);
      n.type = known ?? (n.ops.has('TSTART') ? 'Start Timeout / Start Interval' : `code: ${[...n.ops].slice(0, 4).join(' ')}`);
      const spec = CATALOGUE.get(n.type);
      if (spec) {
        n.family = spec.family;
        n.kind = spec.kind;
      } else if (n.ops.has('TSTART')) n.family = 'time';
    }
    delete (n as Partial<typeof n>).ops;
  }
  return {
    title: s.meta.name,
    source: `${source} (debug map)`,
    scopes: [...scopes.values()],
    notes: [],
    caveats: ['types read off the code; event nodes named by their event; pin names are registers but for event payloads; literals and nodes without code are not in a schedule'],
  };
}

/** Key attributes that the code names: the variable, the connection. */
function describe(n: DNode, i: Instruction, s: Schedule): void {
  i.letters.split('').forEach((l, k) => {
    if (l === 'v' && !n.key) n.key = `Variable: ${s.variables[i.args[k]]?.name}`;
    if (l === 'c' && !n.key) n.key = `Configuration: ${s.connections[i.args[k]]?.name}`;
  });
}

/** Without a debug map: one box per chain (events' and timers'), a pulse from a chain to the timer chains it starts. */
function stripped(s: Schedule, source: string): Diagram {
  const list = instructions(s);
  const at = new Map(list.map((i, k) => [i.pc, k]));
  const scope: DScope = { label: 'chains', nodes: [], links: [], notes: [] };
  const entries = new Map<number, DNode>();
  s.events.forEach((e) => {
    const kind = KIND_NAMES[e.kind];
    const where = kind === 'SceneLoaded' ? (e.key >= 0 ? `Scene: ${s.scenes[e.key]}` : undefined) : `Configuration: ${s.connections[e.key]?.name}`;
    const n: DNode = {
      id: `pc ${e.pc}`, type: EVENT_TYPES.get(kind) ?? kind, family: 'events', kind: 'event', attrs: e.scene >= 0 ? [`in scene ${s.scenes[e.scene]}`] : [],
      ...(where ? { key: where } : {}), inputs: [], outputs: [{ name: PULSE, type: 'Pulse' }], faults: [],
    };
    if (!entries.has(e.pc)) entries.set(e.pc, n);
  });
  for (const pc of timerEntries(list)) {
    if (!entries.has(pc)) entries.set(pc, { id: `pc ${pc}`, type: 'timer chain', family: 'time', kind: 'event', attrs: [], inputs: [{ name: PULSE, type: 'Pulse' }], outputs: [], faults: [] });
  }
  for (const [pc, n] of [...entries].sort((a, b) => a[0] - b[0])) {
    scope.nodes.push(n);
    // The chain's instructions: count them, and find the timers it starts.
    const seen = new Set<number>();
    const work = [pc];
    let count = 0;
    while (work.length) {
      const p = work.pop()!;
      if (seen.has(p) || !at.has(p)) continue;
      seen.add(p);
      const k = at.get(p)!;
      const i = list[k];
      count++;
      if (i.op === 'TSTART') {
        for (const t of i.args.filter((_, x) => i.letters[x] === 'j')) {
          const target = entries.get(t);
          if (target && !scope.links.some((l) => l.from.node === n.id && l.to.node === target.id)) {
            if (!n.outputs.some((o) => o.name === PULSE)) n.outputs.push({ name: PULSE, type: 'Pulse' });
            if (!target.inputs.some((o) => o.name === PULSE)) target.inputs.push({ name: PULSE, type: 'Pulse' });
            scope.links.push({ from: { node: n.id, pin: PULSE }, to: { node: target.id, pin: PULSE }, pulse: true });
          }
        }
      }
      work.push(...successors(i, list[k + 1]?.pc));
    }
    n.attrs.push(`${count} instructions`);
  }
  return {
    title: s.meta.name,
    source: `${source} (stripped: no debug map)`,
    scopes: [scope],
    notes: [],
    caveats: ['compiled with --strip: no node names, one box per chain'],
  };
}
