// `npm start`: the telemetry dashboard of examples/telemetry against a back
// end started in this process on 127.0.0.1 (an ephemeral port), printing
// variable changes as they happen.

import project from '../../examples/telemetry/project.json' with { type: 'json' };
import { startTelemetryServer } from '../../examples/telemetry/backend.ts';
import { compile } from '../../runtime/compiler/index.ts';
import { overrideConnections } from '../shared/load.ts';
import { toText } from '../../runtime/values.ts';
import { runSchedule } from './cli.ts';

export async function runDemo(opts: { duration?: number; verbose: boolean }): Promise<number> {
  const compiled = compile(project);
  if (!compiled.ok) {
    for (const d of compiled.diagnostics) process.stderr.write(`examples/telemetry/project.json: ${d.scope}/${d.node ?? ''}: ${d.message}\n`);
    return 1;
  }
  const telemetry = await startTelemetryServer({ intervalMs: 250 });
  process.stdout.write(`telemetry back end on ${telemetry.url}; dashboard running${opts.duration ? ` for ${opts.duration} s` : ' (Ctrl-C to stop)'}\n`);
  const schedule = overrideConnections(compiled.schedule, { Telemetry: telemetry.url });
  try {
    return await runSchedule(schedule, {
      mode: 'on-demand',
      duration: opts.duration,
      verbose: opts.verbose,
      onOutput: (o) => {
        if (o.kind === 'var' && !opts.verbose) process.stdout.write(`  ${o.name} = ${toText(o.value)}\n`);
      },
    });
  } finally {
    await telemetry.close();
  }
}
