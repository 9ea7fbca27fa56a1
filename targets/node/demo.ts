// `npm start`: the dashboard of examples/telemetry against its two back ends,
// started in this process on 127.0.0.1 (ephemeral ports): telemetry over
// WebSocket, vehicle alerts over Socket.IO. Prints variable changes as they
// happen, alerts, and the back end's view of the acknowledgements.

import { fileURLToPath } from 'node:url';
import project from '../../examples/telemetry/project.json' with { type: 'json' };
import { startTelemetryServer } from '../../examples/telemetry/backend.ts';
import { startAlertServer } from '../../examples/telemetry/alerts.ts';
import { compile } from '../../runtime/compiler/index.ts';
import { overrideConnections } from '../shared/load.ts';
import { toText } from '../../runtime/values.ts';
import { runSchedule } from './run-command.ts';

/** The demo's project file in this package (source or bundle), for the inspector's picture. */
const PROJECT_FILE = fileURLToPath(new URL(/\/dist\/[^/]+$/.test(import.meta.url) ? '../examples/telemetry/project.json' : '../../examples/telemetry/project.json', import.meta.url));

export async function runDemo(opts: { duration?: number; verbose: boolean; inspect?: number }): Promise<number> {
  const compiled = compile(project);
  if (!compiled.ok) {
    for (const d of compiled.diagnostics) process.stderr.write(`examples/telemetry/project.json: ${d.scope}/${d.node ?? ''}: ${d.message}\n`);
    return 1;
  }
  const telemetry = await startTelemetryServer({ intervalMs: 250 });
  const alerts = await startAlertServer({ intervalMs: 2000, onAck: (id) => process.stdout.write(`  (alerts back end: alert ${id} acknowledged)\n`) });
  process.stdout.write(
    `telemetry back end (WebSocket) on ${telemetry.url}, alerts back end (Socket.IO, /vehicle) on ${alerts.url}\n` +
      `dashboard running${opts.duration ? ` for ${opts.duration} s` : ' (Ctrl-C to stop)'}\n`,
  );
  const schedule = overrideConnections(compiled.schedule, { Telemetry: telemetry.url, Alerts: alerts.url });
  try {
    return await runSchedule(schedule, {
      mode: 'on-demand',
      duration: opts.duration,
      ...(opts.inspect !== undefined ? { inspect: { port: opts.inspect, project: PROJECT_FILE } } : {}),
      verbose: opts.verbose,
      onOutput: (o) => {
        if (o.kind === 'var' && !opts.verbose) process.stdout.write(`  ${o.name} = ${toText(o.value)}\n`);
      },
    });
  } finally {
    await Promise.all([telemetry.close(), alerts.close()]);
  }
}
