// Board profiles: what a board is (engine, CPU, Node.js version) and how
// pulsewire runs on it (tick mode and rate, limits, sandbox bounds, the
// addresses of its back ends). One JSON file per board in targets/boards/;
// a build engineer may pass a path to their own. `pulsewire build` checks a
// profile here and copies it into the board folder as config.json; the board
// runner checks it again on start, so a hand-edited config.json gets the same
// clear errors instead of a crash.
//
// This validator is the format's one definition (README, "Targets and
// boards"). It is strict — unknown keys, wrong types and fields that do not
// apply to the engine are errors — and reports every problem at once. No
// I/O here: the board runner bundles this file.

import { DEFAULT_LIMITS, type Limits } from '../../runtime/limits.ts';
import { didYouMean } from '../../runtime/suggest.ts';

export const ENGINES = ['node', 'quickjs'] as const;
export type Engine = (typeof ENGINES)[number];

/** A board ticks on its own: `stepped` needs a test to drive it, so it is not offered. */
export const BOARD_TICK_MODES = ['fixed', 'on-demand', 'fast'] as const;
export type BoardTickMode = (typeof BOARD_TICK_MODES)[number];

export interface BoardProfile {
  /** Lowercase letters, digits, `-`, `_`, `.`; a profile in targets/boards/ is named like its file. */
  name: string;
  description?: string;
  engine: Engine;
  /** The board's CPU (`arm64`, `x86_64`, `armv7`): informative, the bundle is JavaScript. */
  arch: string;
  /** The board's Node.js major version (the oldest the runner accepts). Engine node: required; quickjs: the host launcher's Node, if it has one. */
  node?: number;
  tickMode: BoardTickMode;
  /** Ticks per second in fixed mode; default: the project's tickRate. */
  tickRate?: number;
  /** Engine quickjs: the sandbox's memory limit. */
  memoryLimitBytes?: number;
  /** Engine quickjs: how long one tick may run in the sandbox before the interrupt handler stops it. */
  tickTimeLimitMs?: number;
  /** Overrides of the runtime limits (runtime/limits.ts), over the project's own. */
  limits?: Partial<Limits>;
  /** Connection Name → URL: where this board's back ends are. `--connect` on the board overrides these. */
  connections?: Record<string, string>;
}

export type ProfileResult = { ok: true; profile: BoardProfile } | { ok: false; errors: string[] };

interface Field {
  /** What a valid value is, as the end of "must be …". */
  what: string;
  ok(v: unknown): boolean;
  /** Engines for which the field must be present. */
  required?: readonly Engine[];
  /** Engines for which the field means something; absent: all. */
  only?: readonly Engine[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const wholeAtLeast = (min: number) => (v: unknown) => Number.isInteger(v) && (v as number) >= min;
const URL_PROTOCOLS = ['ws:', 'wss:', 'http:', 'https:'];
const isUrl = (v: unknown) => {
  if (typeof v !== 'string') return false;
  try {
    return URL_PROTOCOLS.includes(new URL(v).protocol);
  } catch {
    return false;
  }
};
const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];

const FIELDS: Record<keyof BoardProfile, Field> = {
  name: { what: 'a name of lowercase letters, digits, "-", "_" and "." (like "arm64-node18")', ok: (v) => typeof v === 'string' && /^[a-z0-9][a-z0-9._-]{0,63}$/.test(v), required: ENGINES },
  description: { what: 'a string', ok: (v) => typeof v === 'string' },
  engine: { what: ENGINES.map((e) => `"${e}"`).join(' or '), ok: (v) => ENGINES.includes(v as Engine), required: ENGINES },
  arch: { what: 'a CPU architecture (like "arm64" or "x86_64")', ok: (v) => typeof v === 'string' && /^[a-z0-9_]{1,32}$/.test(v), required: ENGINES },
  node: { what: 'the Node.js major version, a whole number, 18 or more', ok: wholeAtLeast(18), required: ['node'] },
  tickMode: { what: BOARD_TICK_MODES.map((m) => `"${m}"`).join(', ').replace(/, ([^,]+)$/, ' or $1'), ok: (v) => BOARD_TICK_MODES.includes(v as BoardTickMode), required: ENGINES },
  tickRate: { what: 'a number of ticks per second, above 0 and at most 1000', ok: (v) => typeof v === 'number' && v > 0 && v <= 1000 },
  memoryLimitBytes: { what: 'a whole number of bytes, 1048576 (1 MiB) or more', ok: wholeAtLeast(1 << 20), required: ['quickjs'], only: ['quickjs'] },
  tickTimeLimitMs: { what: 'a whole number of milliseconds, 1 or more', ok: wholeAtLeast(1), only: ['quickjs'] },
  limits: { what: `an object of limits (${LIMIT_NAMES.join(', ')})`, ok: isObject },
  connections: { what: 'an object of connection Name → URL', ok: isObject },
};

/** ` (found "x")`: the offending value, short. */
function found(v: unknown): string {
  if (typeof v === 'string') return ` (found ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)})`;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return ` (found ${String(v)})`;
  return Array.isArray(v) ? ' (found a list)' : ' (found an object)';
}

/** Checks a parsed profile; every error is one line starting with `file: `. */
export function parseProfile(value: unknown, file: string): ProfileResult {
  const errors: string[] = [];
  const err = (msg: string) => errors.push(`${file}: ${msg}`);
  if (!isObject(value)) return { ok: false, errors: [`${file}: a board profile is a JSON object { … }${found(value)}`] };

  const engine = ENGINES.includes(value.engine as Engine) ? (value.engine as Engine) : undefined;
  const known = Object.keys(FIELDS);
  for (const [key, v] of Object.entries(value)) {
    const f = FIELDS[key as keyof BoardProfile];
    if (!f) err(`unknown key "${key}"${didYouMean(key, known)}`);
    else if (!f.ok(v)) err(`${key} must be ${f.what}${found(v)}`);
    else if (engine && f.only && !f.only.includes(engine)) err(`${key} applies only to engine ${f.only.map((e) => `"${e}"`).join(', ')}, not "${engine}"`);
  }
  for (const [key, f] of Object.entries(FIELDS)) {
    if (value[key] !== undefined) continue;
    if (f.required === ENGINES) err(`"${key}" is missing: it must be ${f.what}`);
    else if (engine && f.required?.includes(engine)) err(`"${key}" is missing: engine "${engine}" needs ${f.what}`);
  }

  if (isObject(value.limits)) {
    for (const [k, v] of Object.entries(value.limits)) {
      if (!LIMIT_NAMES.includes(k as keyof Limits)) err(`unknown limit "${k}"${didYouMean(k, LIMIT_NAMES)} (limits: ${LIMIT_NAMES.join(', ')})`);
      else if (!wholeAtLeast(1)(v)) err(`limits.${k} must be a whole number, 1 or more${found(v)}`);
    }
  }
  if (isObject(value.connections)) {
    for (const [name, url] of Object.entries(value.connections)) {
      // The value is not echoed: a URL may carry a token.
      if (!isUrl(url)) err(`connections["${name}"] must be a URL starting ws://, wss://, http:// or https://`);
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, profile: value as unknown as BoardProfile };
}
