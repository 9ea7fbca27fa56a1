// Pin names and types in diagnostics: the pulse pins' aliases, a type as a
// designer reads it, and the pins a mistyped name probably meant.

import { PULSE, type PinSpec } from './catalogue/types.ts';
import { closest as suggest, shorten } from '../suggest.ts';
import { suggestion } from './report.ts';

/** Names an editor export may use for the unnamed pulse pins. */
const PULSE_ALIASES = new Set([PULSE, 'Pulse', 'Pulse Input', 'Pulse Output', '>']);

/** A pin name as written in a link, with the pulse pins' aliases made `►`. */
export const pinName = (p: string): string => (PULSE_ALIASES.has(p) ? PULSE : p);

export function describeType(t: PinSpec['type']): string {
  return t === 'Number' ? 'a number' : t === 'Any' ? 'any value' : `a ${t}`;
}

/** ` (did you mean "x"?)`, else ` (it has: a, b)`: the data pins a mistyped pin name may have meant. */
export function hintPins(name: string, pins: Map<string, PinSpec>): { text: string; hint?: string; pin?: string } {
  // Never suggest the pulse pin for a one-letter slip ("x" → "►"): a data pin was meant.
  const names = [...pins.keys()].filter((p) => p !== PULSE);
  const pin = suggest(name, names);
  if (pin !== undefined) return { ...suggestion(pin), pin };
  return { text: names.length ? ` (it has: ${names.join(', ')})` : '' };
}

/** A literal as a message shows it: a scalar as JSON (shortened), a list or object only by its kind (it may be huge). */
export function shownValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && v !== null) return 'an object';
  return shorten(JSON.stringify(v) ?? String(v));
}
