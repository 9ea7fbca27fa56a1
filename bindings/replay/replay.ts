// The replay binding: runs a recorded trace through a tick engine with no
// network. Tick by tick, it posts the recorded events into the engine's
// queue (the refused ones too, so a full queue refuses them again and the
// drop is reported again), runs the tick at the recorded logical time, and
// compares every output, as its canonical text, with the recording. It
// stops at the first difference. The engine is the caller's (any target,
// made through createRuntime with no transports), so this file stays
// platform-neutral.

import type { TickEngine } from '../types.ts';
import { outputText, parseHeader, parseTick, TraceError, type TraceHeader } from '../../runtime/vm/trace.ts';

/** What replay needs of an engine: the part of the host loop's TickEngine that takes events and time. */
export type ReplayEngine = Pick<TickEngine, 'post' | 'tick'>;

export interface ReplayOptions {
  /** The trace's lines, header first (an empty last line is ignored). */
  lines: Iterable<string>;
  /** scheduleChecksum() of the schedule to replay on; a trace of another schedule is refused. */
  checksum: string;
  /** The engine to replay into, made once the header (and its limits) is known. */
  engine(header: TraceHeader): ReplayEngine;
}

export interface Divergence {
  tick: number;
  time: number;
  /** What differs: an output (by index), or an event's acceptance. */
  what: string;
  expected: string;
  actual: string;
  /** The whole tick's outputs, recorded and replayed (as far as the tick ran), for a report that shows them side by side. */
  expectedOutputs: string[];
  actualOutputs: string[];
}

export type ReplayResult =
  | { ok: true; header: TraceHeader; ticks: number; events: number; outputs: number }
  | { ok: false; kind: 'diverged'; header: TraceHeader; divergence: Divergence; message: string }
  | { ok: false; kind: 'other-schedule' | 'malformed'; message: string; line?: number };

const NONE = '(nothing)';

export function replay(opts: ReplayOptions): ReplayResult {
  let header: TraceHeader | undefined;
  let engine: ReplayEngine | undefined;
  let lineNo = 0;
  let ticks = 0;
  let events = 0;
  let outputs = 0;
  let lastTime = -Infinity;
  let blank = 0;
  try {
    for (const text of opts.lines) {
      lineNo++;
      if (text.trim() === '') {
        blank = lineNo;
        continue;
      }
      if (blank > 0) throw new TraceError(blank, 'empty line inside the trace');
      if (!header) {
        header = parseHeader(text, lineNo);
        if (header.schedule !== opts.checksum) {
          return {
            ok: false,
            kind: 'other-schedule',
            message:
              `this trace was recorded with another schedule: schedule ${header.schedule} (project "${header.project}"), ` +
              `not ${opts.checksum}. A trace replays only on the schedule that recorded it; ` +
              `if the project is the same, it was changed since, or one of the two was compiled with --strip.`,
          };
        }
        engine = opts.engine(header);
        continue;
      }
      const t = parseTick(text, lineNo);
      if (t.tick !== ticks) throw new TraceError(lineNo, `tick ${t.tick} where tick ${ticks} was expected (ticks are consecutive from 0)`);
      if (t.time < lastTime) throw new TraceError(lineNo, `time ${t.time} ms is before the previous tick's ${lastTime} ms`);
      lastTime = t.time;
      let out: ReturnType<ReplayEngine['tick']> = [];
      const at = (what: string, expected: string, actual: string): ReplayResult => {
        const divergence = { tick: t.tick, time: t.time, what, expected, actual, expectedOutputs: t.outputs.map(outputText), actualOutputs: out.map(outputText) };
        return { ok: false, kind: 'diverged', header: header!, divergence, message: describe(divergence) };
      };
      for (const [i, e] of t.events.entries()) {
        const accepted = engine!.post(e.ev);
        if (accepted !== e.accepted) {
          const word = (a: boolean) => (a ? 'accepted' : 'refused (queue full)');
          return at(`event ${i} (${e.ev.kind})`, word(e.accepted), word(accepted));
        }
      }
      events += t.events.length;
      out = engine!.tick(t.time);
      const n = Math.max(out.length, t.outputs.length);
      for (let i = 0; i < n; i++) {
        const actual = i < out.length ? outputText(out[i]) : NONE;
        const expected = i < t.outputs.length ? outputText(t.outputs[i]) : NONE;
        if (actual !== expected) return at(`output ${i}`, expected, actual);
      }
      outputs += out.length;
      ticks++;
    }
  } catch (err) {
    if (err instanceof TraceError) return { ok: false, kind: 'malformed', line: err.line, message: err.message };
    throw err;
  }
  if (!header) return { ok: false, kind: 'malformed', line: 1, message: 'line 1: the trace is empty (no header)' };
  return { ok: true, header, ticks, events, outputs };
}

export function describe(d: Divergence): string {
  return `diverges at tick ${d.tick} (t=${d.time} ms), ${d.what}:\n  expected: ${d.expected}\n  actual:   ${d.actual}`;
}
