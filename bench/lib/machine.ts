// The machine a run was measured on, for the JSON and the doc.

import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem, loadavg, release } from 'node:os';
import { canPin } from './children.ts';

export interface Machine {
  cpu: string;
  cores: number;
  memoryMiB: number;
  node: string;
  kernel: string;
  pinned: boolean;
  loadBefore: number[];
}

export function machine(): Machine {
  let cpu = 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1].trim();
  } catch {
    /* not Linux */
  }
  return {
    cpu,
    cores: availableParallelism(),
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    kernel: release(),
    pinned: canPin(),
    loadBefore: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

let clkTck: number | undefined;
/** CPU time (user + system) a process has used, in ms, from /proc; NaN where there is no /proc. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    clkTck ??= 100;
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clkTck;
  } catch {
    return NaN;
  }
}

/** Resident set size and its peak, KiB, from /proc/PID/status. */
export function rssOf(pid: number): { rssKiB: number; peakKiB: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const get = (k: string) => Number(new RegExp(`^${k}:\\s*(\\d+)`, 'm').exec(s)?.[1] ?? NaN);
    return { rssKiB: get('VmRSS'), peakKiB: get('VmHWM') };
  } catch {
    return { rssKiB: NaN, peakKiB: NaN };
  }
}
