// A connection's credentials, resolved for one attempt, and the one
// scrubber that keeps them out of every text a transport posts or logs.
//
// Every header value, the token and every value inside `auth` is a secret,
// whether written in the project file or read from the environment through
// `{ "env": "NAME" }`: a server that echoes one back in a rejection ("bad
// password hunter22") must not put it on the console or into a trace. The
// scrubber masks each secret as `***` wherever it occurs, longest first (so
// a secret that contains another is masked whole). Values shorter than
// MIN_SECRET_CHARS are not masked: masking "1" or "ok" would garble every
// message and protects nothing a guess would not find.

import type { ConnectionOptions } from './options.ts';

/** Secrets shorter than this are not masked (see the header). */
export const MIN_SECRET_CHARS = 3;
/** How deep inside `auth` values are looked for (a project file's auth is a few levels at most). */
const AUTH_DEPTH = 32;

type Env = Readonly<Record<string, string | undefined>>;

/** What one attempt sends, secrets resolved. */
export interface Credentials {
  headers: Record<string, string>;
  token?: string;
  /** Socket.IO's auth payload (top-level `{ "env": … }` values resolved); `token` is not in it. */
  auth: Record<string, unknown>;
  /** Every secret value of the above, for the scrubber. */
  secrets: string[];
}

/** `{ "env": "NAME" }` and nothing else: a reference to an environment variable. */
export function isEnvRef(v: unknown): v is { env: string } {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && typeof (v as { env?: unknown }).env === 'string' && Object.keys(v).length === 1
  );
}

/**
 * Resolves headers, token and (with `withAuth`) the auth payload from the
 * environment. Either the credentials, or the names of the environment
 * variables that are named but not set.
 */
export function resolveCredentials(o: ConnectionOptions, env: Env, withAuth: boolean): Credentials | { missing: string[] } {
  const missing: string[] = [];
  const read = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    if (!isEnvRef(v)) return undefined;
    const value = env[v.env];
    if (value === undefined) missing.push(v.env);
    return value;
  };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.headers)) headers[k] = read(v) ?? '';
  const token = read(o.token);
  const auth: Record<string, unknown> = {};
  if (withAuth) for (const [k, v] of Object.entries(o.auth ?? {})) auth[k] = isEnvRef(v) ? read(v) : v;
  if (missing.length > 0) return { missing };
  const secrets = [...Object.values(headers), ...(token !== undefined ? [token] : []), ...leaves(auth)];
  return { headers, token, auth, secrets };
}

/** The text of `missing` environment variables, for one `config` error. */
export function missingText(missing: readonly string[]): string {
  const many = missing.length > 1;
  return `environment variable${many ? 's' : ''} ${missing.join(', ')} (named by the connection's secrets) ${many ? 'are' : 'is'} not set`;
}

/** String and number leaves of a JSON-like value, depth-bounded and iterative. */
function leaves(v: unknown): string[] {
  const out: string[] = [];
  const stack: Array<[unknown, number]> = [[v, 0]];
  while (stack.length > 0) {
    const [x, depth] = stack.pop()!;
    if (typeof x === 'string') out.push(x);
    else if (typeof x === 'number' && Number.isFinite(x)) out.push(String(x));
    else if (typeof x === 'object' && x !== null && !(x instanceof Uint8Array) && depth < AUTH_DEPTH) {
      for (const y of Object.values(x)) stack.push([y, depth + 1]);
    }
  }
  return out;
}

/** Masks a connection's secrets in texts. */
export class Scrubber {
  private secrets: string[] = [];

  /** The secrets to mask from now on (those of the current attempt). */
  set(values: readonly string[]): void {
    const kept = new Set(values.filter((s) => s.length >= MIN_SECRET_CHARS));
    this.secrets = [...kept].sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('***');
    return out;
  }
}
