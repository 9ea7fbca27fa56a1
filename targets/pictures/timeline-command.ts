// `pulsewire timeline TRACE` and `replay --report`: a trace file read once,
// line by line, into a timeline, drawn as SVG or HTML.

import { parseHeader, parseTick, TraceError } from '../../runtime/vm/trace.ts';
import { readTraceLines } from '../node/trace-file.ts';
import { addTick, newTimeline, type Divergence, type Timeline } from './timeline.ts';
import { timelineSvg } from './timeline-svg.ts';
import { timelineHtml } from './timeline-html.ts';

/** A trace that cannot be read (a missing file, a malformed line): one readable line, exit 1. */
export class TimelineError extends Error {}

/** The timeline of a trace file; `untilTick` stops after that tick (a replay report ends at its divergence). */
export function readTimeline(file: string, untilTick = Infinity): Timeline {
  let t: Timeline | undefined;
  let lineNo = 0;
  try {
    for (const text of readTraceLines(file)) {
      lineNo++;
      if (text.trim() === '') continue;
      if (!t) {
        t = newTimeline(parseHeader(text, lineNo));
        continue;
      }
      const r = parseTick(text, lineNo);
      addTick(t, r);
      if (r.tick >= untilTick) break;
    }
  } catch (e) {
    if (e instanceof TraceError) throw new TimelineError(`${file}: ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new TimelineError(`${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code})`);
    throw e;
  }
  if (!t) throw new TimelineError(`${file}: the trace is empty (no header)`);
  return t;
}

export function renderTimeline(t: Timeline, format: 'svg' | 'html'): string {
  return format === 'html' ? timelineHtml(t) : timelineSvg(t, { lists: true });
}

/** replay --report: the trace up to its first divergence, marked, with both sides of that tick. */
export function replayReport(traceFile: string, d: Divergence | undefined, format: 'svg' | 'html'): string {
  const t = readTimeline(traceFile, d ? d.tick : Infinity);
  if (d) t.divergence = d;
  return renderTimeline(t, format);
}
