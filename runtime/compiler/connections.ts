// Connection addresses: the editor keeps URL and Port apart; the binding
// needs one address. A URL that carries its own port must agree with Port.

import type { ConnectionSettings } from '../project/model.ts';

const SCHEMES = { ws: ['ws:', 'wss:'], sio: ['http:', 'https:', 'ws:', 'wss:'] } as const;

export function composeUrl(c: ConnectionSettings, kind: 'ws' | 'sio'): { url: string } | { error: string; code: string } {
  let u: URL;
  try {
    u = new URL(c.URL);
  } catch {
    return { code: 'bad-url', error: `URL "${c.URL}" is not a valid address (e.g. ${kind === 'ws' ? 'ws://192.168.0.10' : 'http://192.168.0.10'})` };
  }
  const allowed: readonly string[] = SCHEMES[kind];
  if (!allowed.includes(u.protocol)) {
    return { code: 'bad-url', error: `URL "${c.URL}" must start with ${allowed.map((s) => s + '//').join(' or ')}` };
  }
  if (c.Port !== undefined) {
    if (u.port !== '' && Number(u.port) !== c.Port) {
      return { code: 'port-mismatch', error: `URL "${c.URL}" says port ${u.port} but Port is ${c.Port}; keep one of them` };
    }
    u.port = String(c.Port);
  }
  return { url: u.toString() };
}
