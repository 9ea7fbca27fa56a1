// How the kit shows a run to a person reading a failed test: the recent
// ticks, one line per event and output in the trace's own encoding (so what
// is shown is what a trace file holds), quiet ticks folded away.

import type { Value } from '../../runtime/values.ts';
import { encodeEvent, encodeValue, outputText, type TickRecord } from '../../runtime/vm/trace.ts';

const MAX_ITEM = 240;

const cut = (s: string): string => (s.length > MAX_ITEM ? `${s.slice(0, MAX_ITEM)}…` : s);

/** A value as a test message shows it (bytes and odd numbers in trace notation). */
export const show = (v: Value | undefined): string => (v === undefined ? 'undefined' : cut(JSON.stringify(encodeValue(v))));

export function formatTicks(ticks: readonly TickRecord[]): string {
  if (ticks.length === 0) return 'recent trace: (no ticks yet)';
  const out = [`recent trace (ticks ${ticks[0].tick}–${ticks[ticks.length - 1].tick}; ← event in, → output):`];
  let quiet = 0;
  const flushQuiet = () => {
    if (quiet > 0) out.push(`  … ${quiet} quiet tick${quiet > 1 ? 's' : ''}`);
    quiet = 0;
  };
  for (const t of ticks) {
    if (t.events.length === 0 && t.outputs.length === 0) {
      quiet++;
      continue;
    }
    flushQuiet();
    out.push(`  tick ${t.tick}  t=${Math.round(t.time * 1000) / 1000} ms`);
    for (const e of t.events) out.push(`    ← ${cut(JSON.stringify(encodeEvent(e.ev)))}${e.accepted ? '' : '  (refused: queue full)'}`);
    for (const o of t.outputs) out.push(`    → ${cut(outputText(o))}`);
  }
  flushQuiet();
  return out.join('\n');
}
