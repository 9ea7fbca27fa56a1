// The page a failing HIL assertion leaves beside its message: the timeline
// of the rig's recent ticks (connections, variables, console lines, errors)
// with the failure marked, as `pulsewire timeline` draws a trace. Its path
// is the last line of the failure message.
//
// Written to PULSEWIRE_REPORTS (a folder) or else test-results/pulsewire/
// under the working directory; PULSEWIRE_REPORTS=off writes none. A report
// that cannot be written never hides the assertion: the message says why.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TRACE_FORMAT, TRACE_VERSION, type TickRecord } from '../../runtime/vm/trace.ts';
import { timelineOf } from '../pictures/timeline.ts';
import { timelineHtml } from '../pictures/timeline-html.ts';

export const REPORTS_ENV = 'PULSEWIRE_REPORTS';

/** Writes the report; returns the line to add to the failure message ('' when reports are off). */
export function writeFailureReport(info: { target: string; project: string; schedule: string; tickRateHz: number }, ticks: readonly TickRecord[], failure: { tick: number; time: number; message: string }): string {
  const where = process.env[REPORTS_ENV];
  if (where === 'off') return '';
  const dir = resolve(where && where.length > 0 ? where : join('test-results', 'pulsewire'));
  const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48);
  const file = join(dir, `${slug(info.project)}-${info.target}-tick${failure.tick}-${slug(failure.message.split('\n')[0])}.html`);
  const header = { format: TRACE_FORMAT, version: TRACE_VERSION, schedule: info.schedule, project: info.project, tickRateHz: info.tickRateHz, mode: 'stepped', target: info.target } as const;
  try {
    const t = timelineOf(header, ticks);
    t.failure = failure;
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, timelineHtml(t));
    return `\nreport: ${file}`;
  } catch (e) {
    return `\n(no report: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}
