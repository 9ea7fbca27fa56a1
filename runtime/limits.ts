// Every bound of the runtime, named in one place. A project may override
// them (settings.limits), a board profile too; nothing on the runtime path
// grows without one of these.

export interface Limits {
  /** Events the inbound queue holds between two ticks; beyond, they are counted and reported. */
  queueCapacity: number;
  /** Instructions one tick may execute; a chain that runs past it is stopped. */
  tickBudget: number;
  /** Nested CALLs (Sequential, custom events, Function calls). */
  callDepth: number;
  /** Timers and intervals alive at once. */
  timers: number;
  /** Outputs (commands, console lines, variable changes) one tick may emit. */
  outputsPerTick: number;
  /** Largest inbound message, in bytes (text as UTF-8). */
  maxMessageBytes: number;
  /** Longest string a node may build, in characters. */
  maxStringLength: number;
}

export const DEFAULT_LIMITS: Limits = {
  queueCapacity: 1024,
  tickBudget: 1_000_000,
  callDepth: 256,
  timers: 1024,
  outputsPerTick: 4096,
  maxMessageBytes: 1 << 20,
  maxStringLength: 1 << 20,
};

export function resolveLimits(...layers: Array<Partial<Limits> | undefined>): Limits {
  const out: Limits = { ...DEFAULT_LIMITS };
  for (const l of layers) {
    if (!l) continue;
    for (const k of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
      const v = l[k];
      if (typeof v === 'number' && Number.isInteger(v) && v > 0) out[k] = v;
    }
  }
  return out;
}
