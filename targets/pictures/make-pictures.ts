// `npm run pictures`: the pictures checked in under docs/images/, made by the
// commands a user runs, from the demo project and a recorded demo trace.
// test/pictures/ fails when a checked-in picture is not what this makes.
//
//   npm run pictures                 redraw docs/images/*.svg
//   npm run pictures -- --record     first re-record the demo trace (12 s of
//                                    the demo against its back ends, the
//                                    telemetry back end dropping its clients
//                                    at 5 s so that the reconnect shows)

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readDiagram, render } from './graph-command.ts';
import { readTimeline, renderTimeline } from './timeline-command.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PICTURES = {
  project: `${ROOT}examples/telemetry/project.json`,
  trace: `${ROOT}docs/images/telemetry.trace.jsonl`,
  graph: `${ROOT}docs/images/telemetry.svg`,
  timeline: `${ROOT}docs/images/telemetry-timeline.svg`,
};

export async function graphPicture(): Promise<string> {
  return render(readDiagram(PICTURES.project).diagram, 'svg');
}
export function timelinePicture(): string {
  return renderTimeline(readTimeline(PICTURES.trace), 'svg');
}

async function record(): Promise<void> {
  const { compile } = await import('../../runtime/compiler/index.ts');
  const { overrideConnections } = await import('../shared/load.ts');
  const { startTelemetryServer } = await import('../../examples/telemetry/backend.ts');
  const { startAlertServer } = await import('../../examples/telemetry/alerts.ts');
  const { runSchedule } = await import('../node/run-command.ts');
  const r = compile(JSON.parse(readFileSync(PICTURES.project, 'utf8')));
  if (!r.ok) throw new Error('the demo does not compile');
  const telemetry = await startTelemetryServer({ intervalMs: 250 });
  const alerts = await startAlertServer({ intervalMs: 2000 });
  const drop = setTimeout(() => telemetry.dropClients(), 5000);
  try {
    await runSchedule(overrideConnections(r.schedule, { Telemetry: telemetry.url, Alerts: alerts.url }), {
      mode: 'fixed', duration: 12, verbose: false, record: PICTURES.trace,
    });
  } finally {
    clearTimeout(drop);
    await Promise.all([telemetry.close(), alerts.close()]);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--record')) await record();
  writeFileSync(PICTURES.graph, await graphPicture());
  writeFileSync(PICTURES.timeline, timelinePicture());
  console.log(`${PICTURES.graph}\n${PICTURES.timeline}`);
}
