// The timeline of a run, from its trace: what `pulsewire timeline` draws,
// what `replay --report` draws with the first divergence marked, and what
// the HIL kit writes beside a failing test. One pass over the ticks builds
// a compact model (times, costs, per-connection items, variable changes,
// console lines and errors); the drawing then buckets it per pixel column,
// so a ten-minute trace makes a picture of the same size as a short one.

import type { Output } from '../../runtime/vm/io.ts';
import { encodeEvent, outputText, type TickRecord, type TraceHeader } from '../../runtime/vm/trace.ts';
import type { Value } from '../../runtime/values.ts';

export interface LaneItem {
  tick: number;
  time: number;
  dir: 'in' | 'out';
  kind: string;
  text: string;
}

export interface Divergence {
  tick: number;
  time: number;
  what: string;
  /** The tick's outputs as recorded and as replayed, in the trace's notation. */
  expected: string[];
  actual: string[];
}

export interface Timeline {
  header: TraceHeader;
  times: number[];
  costs: number[];
  /** The tick had events or outputs. */
  busy: boolean[];
  firstTick: number;
  lanes: Map<number, LaneItem[]>;
  /** Variable → its changes, in order. */
  vars: Map<string, { time: number; tick: number; value: Value }[]>;
  lines: { tick: number; time: number; level: string; text: string }[];
  errors: { tick: number; time: number; code: string; text: string }[];
  /** Lines and errors beyond what the model keeps. */
  linesLost: number;
  divergence?: Divergence;
  /** A failure to mark (the HIL kit's assertion). */
  failure?: { tick: number; time: number; message: string };
}

const MAX_TEXT = 160;
const MAX_LINES = 5_000;
const cut = (s: string) => (s.length > MAX_TEXT ? s.slice(0, MAX_TEXT - 1) + '…' : s);

export function newTimeline(header: TraceHeader): Timeline {
  return { header, times: [], costs: [], busy: [], firstTick: -1, lanes: new Map(), vars: new Map(), lines: [], errors: [], linesLost: 0 };
}

/** Adds one tick (in order). */
export function addTick(t: Timeline, r: TickRecord): void {
  if (t.firstTick < 0) t.firstTick = r.tick;
  t.times.push(r.time);
  t.costs.push(r.cost ?? 0);
  t.busy.push(r.events.length > 0 || r.outputs.length > 0);
  for (const e of r.events) {
    const text = e.accepted ? JSON.stringify(encodeEvent(e.ev)) : `${e.ev.kind} refused: the queue was full`;
    lane(t, e.ev.conn).push({ tick: r.tick, time: r.time, dir: 'in', kind: e.accepted ? e.ev.kind : 'dropped', text: cut(text) });
  }
  for (const o of r.outputs) addOutput(t, r, o);
}

function lane(t: Timeline, conn: number): LaneItem[] {
  let l = t.lanes.get(conn);
  if (!l) t.lanes.set(conn, (l = []));
  return l;
}

function addOutput(t: Timeline, r: TickRecord, o: Output): void {
  switch (o.kind) {
    case 'var': {
      let list = t.vars.get(o.name);
      if (!list) t.vars.set(o.name, (list = []));
      list.push({ time: r.time, tick: r.tick, value: o.value });
      return;
    }
    case 'console':
      if (t.lines.length < MAX_LINES) t.lines.push({ tick: r.tick, time: r.time, level: o.level, text: cut(o.text) });
      else t.linesLost++;
      return;
    case 'error':
      if (t.errors.length < MAX_LINES) t.errors.push({ tick: r.tick, time: r.time, code: o.code, text: cut(o.message) });
      else t.linesLost++;
      return;
    default:
      lane(t, o.conn).push({ tick: r.tick, time: r.time, dir: 'out', kind: o.kind, text: cut(outputText(o)) });
  }
}

/** A timeline of ticks already in memory (a rig's recent ticks). */
export function timelineOf(header: TraceHeader, ticks: Iterable<TickRecord>): Timeline {
  const t = newTimeline(header);
  for (const r of ticks) addTick(t, r);
  return t;
}

/** A connection's name and kind, from the header when it has them. */
export function connectionName(t: Timeline, conn: number): { name: string; kind: string } {
  const c = t.header.connections?.[conn];
  if (c) return c;
  const first = t.lanes.get(conn)?.[0]?.kind ?? '';
  return { name: `connection ${conn}`, kind: first.startsWith('sio.') ? 'sio' : 'ws' };
}
