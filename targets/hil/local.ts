// The in-process rig: the runtime runs in the test's own process, on the
// kit's virtual clock (targets/shared/stepped-host.ts), against real back
// ends. Every target is made through createRuntime, so a test parameterised
// over TARGETS runs the same steps on each.

import { readFileSync } from 'node:fs';
import { compile } from '../../runtime/compiler/index.ts';
import { formatDiagnostic } from '../../runtime/project/model.ts';
import type { Schedule } from '../../runtime/schedule/schedule.ts';
import type { Limits } from '../../runtime/limits.ts';
import type { InEvent } from '../../runtime/vm/io.ts';
import type { TickRecord } from '../../runtime/vm/trace.ts';
import { loadRuntime, type TargetName } from '../runtime.ts';
import { loadSchedule, overrideConnections } from '../shared/load.ts';
import { createSteppedRuntime, type SteppedHost } from '../shared/stepped-host.ts';
import { openTraceWriter, type TraceWriter } from '../node/trace-file.ts';
import { activity } from './backends/activity.ts';
import { Rig, type Controller, type RigOptions, type RigState } from './rig.ts';

export interface StartRigOptions extends RigOptions {
  /** A project (.json) or schedule (.pws) file, or a project as an object. */
  project: string | object;
  /** Connection Name → a back end of the kit (or anything with a url), or a URL. */
  connect?: Record<string, string | { url: string }>;
  target?: TargetName;
  tickRateHz?: number;
  limits?: Partial<Limits>;
  /** Environment for `{ "env": "NAME" }` secrets in connection settings (default: none). */
  env?: Record<string, string | undefined>;
  /** Also write the whole trace to this file (replay it with `pulsewire replay`). */
  record?: string;
  /** The virtual clock's I/O settling (docs/HIL.md); defaults 5 and 500 ms. */
  settleMs?: number;
  settleMaxMs?: number;
}

/** Loads a project, points its connections at the back ends, and returns a rig before its first tick. */
export async function startRig(opts: StartRigOptions): Promise<Rig> {
  const schedule = withBackends(loadProject(opts.project), opts.connect ?? {});
  let writer: TraceWriter | undefined;
  if (opts.record !== undefined) writer = openTraceWriter(opts.record);
  let host: SteppedHost;
  try {
    await loadRuntime(schedule, { target: opts.target });
    host = createSteppedRuntime(schedule, {
      target: opts.target,
      tickRateHz: opts.tickRateHz,
      limits: opts.limits,
      env: opts.env ?? {},
      log: { warn: () => {} },
      record: writer ? (line) => writer!.write(line) : undefined,
      settleMs: opts.settleMs,
      settleMaxMs: opts.settleMaxMs,
      activity,
    });
  } catch (e) {
    writer?.close();
    throw e;
  }
  const ctl = new LocalController(host, writer);
  return new Rig(ctl, await ctl.state(), opts);
}

/** A schedule from a file or a project object; compile errors are thrown as one Error listing every diagnostic. */
export function loadProject(project: string | object): Schedule {
  if (typeof project === 'string') {
    const r = loadSchedule(readFileSync(project), project, compile);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.schedule;
  }
  const r = compile(project);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => formatDiagnostic('project', d)).join('\n'));
  return r.schedule;
}

export function withBackends(s: Schedule, connect: Record<string, string | { url: string }>): Schedule {
  const urls: Record<string, string> = {};
  for (const [name, b] of Object.entries(connect)) urls[name] = typeof b === 'string' ? b : b.url;
  return overrideConnections(s, urls);
}

class LocalController implements Controller {
  constructor(private readonly host: SteppedHost, private readonly writer: TraceWriter | undefined) {}

  get info() {
    const h = this.host.header;
    return { target: h.target, project: h.project, schedule: h.schedule, tickRateHz: h.tickRateHz };
  }

  async step(n: number, settle: boolean): Promise<RigState> {
    await this.host.step(n, { settle });
    return this.state();
  }

  async pause(): Promise<RigState> {
    await this.host.pause();
    return this.state();
  }

  async resume(): Promise<RigState> {
    this.host.play();
    return this.state();
  }

  async inject(ev: InEvent): Promise<boolean> {
    return this.host.inject(ev);
  }

  async state(): Promise<RigState> {
    const h = this.host;
    return { tick: h.ticks, now: h.now, variables: h.variables(), paused: !h.playing };
  }

  async trace(last?: number) {
    return { header: this.host.header, ticks: this.host.recorder.recent(last) };
  }

  onTick(fn: (r: TickRecord) => void): void {
    this.host.recorder.onRecord(fn);
  }

  async close(): Promise<void> {
    try {
      await this.host.close();
    } finally {
      this.writer?.close();
    }
  }
}
