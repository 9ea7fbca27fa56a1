// A small valid project, fresh on every call so a test can break one thing
// in it and expect exactly one diagnostic about that thing.

import assert from 'node:assert/strict';
import type { Diagnostic } from '../../runtime/project/index.ts';
import { loadProject } from '../../runtime/project/index.ts';

// Loose on purpose: tests put wrong things into it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export function validProject(): Loose {
  return {
    format: 'pulsewire-project/1',
    name: 'Telemetry dashboard',
    settings: {
      tickRate: 60,
      startScene: 'Dashboard',
      randomSeed: 7,
      limits: { tickBudget: 50000 },
      plugins: { WebSocket: true, 'Socket.IO': false },
      webSocketConnections: [
        {
          Name: 'Telemetry',
          URL: 'ws://127.0.0.1',
          Port: 8080,
          headers: { Authorization: { env: 'TELEMETRY_AUTH' }, 'X-Board': 'b1' },
          token: 'abc',
          tls: { verify: true },
          reconnect: { enabled: true, initialDelayMs: 500, maxDelayMs: 10000, factor: 2, jitter: 0.2, maxAttempts: 0 },
          handshakeTimeoutMs: 5000,
          heartbeat: { intervalMs: 0, timeoutMs: 5000 },
          sendWhileClosed: 'queue',
          offlineQueue: 64,
          sendBuffer: { highWaterBytes: 1048576, lowWaterBytes: 262144 },
          maxMessageBytes: 65536,
        },
      ],
      socketIOConnections: [{ Name: 'Events', URL: 'http://127.0.0.1', auth: { user: 'hmi' } }],
    },
    variables: [
      { name: 'connected', type: 'Bool', initial: false },
      { name: 'blob', type: 'Binary', initial: '00ff' },
    ],
    scopes: [
      {
        kind: 'Project',
        nodes: [
          { id: 'boot', type: 'On Scene Loaded' },
          { id: 'start', type: 'WebSocket Client Start', attributes: { Configuration: 'Telemetry' } },
        ],
        links: [{ from: ['boot', '►'], to: ['start', '►'] }],
      },
      {
        kind: 'Scene',
        name: 'Dashboard',
        variables: [{ name: 'speed', type: 'Float', initial: 0.5 }],
        nodes: [
          { id: 'rx', type: 'On WebSocket Receive', attributes: { Configuration: 'Telemetry', 'Is Binary': false } },
          { id: 'log', type: 'Console', attributes: { Type: 'info' }, inputs: { Input: 'got one' } },
        ],
        links: [
          { from: ['rx', '►'], to: ['log', '►'] },
          { from: ['rx', 'Message'], to: ['log', 'Input'] },
        ],
      },
      {
        kind: 'Function',
        name: 'double',
        parameters: [{ name: 'x', type: 'Int' }],
        results: [{ name: 'x', type: 'Int' }],
        nodes: [],
      },
    ],
  };
}

export const codes = (ds: readonly Diagnostic[]): string[] => ds.map((d) => d.code);

/** Loads `input` and returns its only diagnostic, checking that it has the code. */
export function only(input: unknown, code: string): Diagnostic {
  const r = loadProject(input);
  assert.equal(r.project, undefined);
  assert.deepEqual(codes(r.diagnostics), [code], JSON.stringify(r.diagnostics, null, 1));
  return r.diagnostics[0];
}
