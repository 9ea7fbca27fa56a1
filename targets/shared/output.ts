// How `run` shows a tick's outputs on a terminal.

import { toText } from '../../runtime/values.ts';
import type { Output } from '../../runtime/vm/io.ts';

/** One line for an output, or undefined when it is not shown at this verbosity. */
export function formatOutput(o: Output, verbose: boolean, connections: readonly { name: string }[] = []): string | undefined {
  const conn = (i: number) => connections[i]?.name ?? `connection ${i}`;
  switch (o.kind) {
    case 'console': return `[${o.level}] ${o.text}`;
    case 'error': return `error: ${o.message}`;
    case 'var': return verbose ? `${o.name} = ${toText(o.value)}` : undefined;
    default:
      if (!verbose) return undefined;
      switch (o.kind) {
        case 'ws.send': return `→ ${conn(o.conn)}: ${typeof o.data === 'string' ? o.data : `<${o.data.length} bytes>`}`;
        case 'sio.emit': return `→ ${conn(o.conn)} ${o.ns} ${o.event}: ${o.message}`;
        case 'sio.subscribe': case 'sio.unsubscribe': return `→ ${conn(o.conn)} ${o.kind.slice(4)} ${o.ns} ${o.event}`;
        default: return `→ ${conn(o.conn)} ${o.kind}`;
      }
  }
}

/** A QuickJS sandbox stopped by one of its limits: it ticks no more. */
export const SANDBOX_STOPS: ReadonlySet<string> = new Set(['memory_limit', 'time_limit']);
/** Errors after which a run has failed (exit 1). */
export const FATAL_CODES: ReadonlySet<string> = new Set(['internal', ...SANDBOX_STOPS]);

/**
 * Shows an output as `pulsewire run` and a board's `./start` do — console
 * lines on stdout, errors on stderr — and says what it means for the run.
 */
export function printOutput(o: Output, verbose: boolean, connections: readonly { name: string }[]): 'ok' | 'failed' | 'sandbox-stopped' {
  const line = formatOutput(o, verbose, connections);
  if (line) (o.kind === 'error' ? process.stderr : process.stdout).write(line + '\n');
  if (o.kind !== 'error' || !FATAL_CODES.has(o.code)) return 'ok';
  return SANDBOX_STOPS.has(o.code) ? 'sandbox-stopped' : 'failed';
}

/**
 * When the reader of our output goes away (`pulsewire run … | head`), end
 * quietly instead of dying on an EPIPE stack trace, as command-line tools do.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
}
