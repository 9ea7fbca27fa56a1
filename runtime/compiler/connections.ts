// Connections: the two plugins, where their connections are listed in the
// settings, and each connection's address. The editor keeps URL and Port
// apart; the binding needs one address. A URL that carries its own port must
// agree with Port.

import type { ConnectionSettings, ProjectSettings } from '../project/model.ts';
import type { ConnectionEntry, ConnKind } from '../schedule/schedule.ts';
import type { CompileCode } from './codes.ts';
import type { Report } from './report.ts';
import { pointer } from '../project/locate.ts';
import { shorten } from '../suggest.ts';

/** The communication plugins: the connection kind their nodes use and the settings list that holds them. */
export const PLUGINS = {
  WebSocket: { kind: 'ws', settings: 'webSocketConnections' },
  'Socket.IO': { kind: 'sio', settings: 'socketIOConnections' },
} as const satisfies Record<string, { kind: ConnKind; settings: keyof ProjectSettings }>;

export type PluginName = keyof typeof PLUGINS;
export type EnabledPlugins = Record<PluginName, boolean>;

/** Both plugins are on unless the settings turn one off. */
export const enabledPlugins = (settings: ProjectSettings): EnabledPlugins => ({
  WebSocket: settings.plugins?.WebSocket !== false,
  'Socket.IO': settings.plugins?.['Socket.IO'] !== false,
});

const SCHEMES = { ws: ['ws:', 'wss:'], sio: ['http:', 'https:', 'ws:', 'wss:'] } as const;

export function composeUrl(c: ConnectionSettings, kind: ConnKind): { url: string } | { error: string; code: CompileCode } {
  const shown = shorten(c.URL);
  let u: URL;
  try {
    u = new URL(c.URL);
  } catch {
    return { code: 'bad-url', error: `URL "${shown}" is not a valid address (e.g. ${kind === 'ws' ? 'ws://192.168.0.10' : 'http://192.168.0.10'})` };
  }
  const allowed: readonly string[] = SCHEMES[kind];
  if (!allowed.includes(u.protocol)) {
    return { code: 'bad-url', error: `URL "${shown}" must start with ${allowed.map((s) => s + '//').join(' or ')}` };
  }
  if (c.Port !== undefined) {
    if (u.port !== '' && Number(u.port) !== c.Port) {
      return { code: 'port-mismatch', error: `URL "${shown}" says port ${u.port} but Port is ${c.Port}; keep one of them` };
    }
    u.port = String(c.Port);
  }
  return { url: u.toString() };
}

/**
 * The connections of the enabled plugins, WebSocket first, then Socket.IO,
 * each in file order (a node's Configuration becomes an index into this).
 */
export function resolveConnections(settings: ProjectSettings, plugins: EnabledPlugins, report: Report): ConnectionEntry[] {
  const connections: ConnectionEntry[] = [];
  for (const plugin of Object.keys(PLUGINS) as PluginName[]) {
    const { kind, settings: key } = PLUGINS[plugin];
    if (!plugins[plugin]) continue;
    // forEach: a salvaged project (salvage.ts) leaves holes where a connection was refused.
    (settings[key] ?? []).forEach((c, i) => {
      const composed = composeUrl(c, kind);
      if ('error' in composed) {
        const field = composed.code === 'port-mismatch' && c.Port !== undefined ? 'Port' : 'URL';
        report(composed.code, { scope: 'settings', path: pointer(['settings', key, i, field]) }, `connection "${shorten(c.Name)}": ${composed.error}`);
        return;
      }
      const { Name, URL: _u, Port: _p, ...options } = c;
      connections.push({ kind, name: Name, url: composed.url, options: canonical(options) as ConnectionEntry['options'] });
    });
  }
  return connections;
}

/** Objects with sorted keys, so the same settings always give the same schedule bytes. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
