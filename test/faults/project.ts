// The graph under fault: what a designer draws for a telemetry link.
//
//   On Scene Loaded → Start (the connection) → Start Interval 0.1 s
//   every 0.1 s     → n ← n + 1 → Send {"up":n}
//   WebSocket:  On WebSocket Receive → Send (Message)          (the echo)
//   Socket.IO:  On Socket.IO Start → Subscribe "telemetry"
//               On Socket.IO Receive → Send "echo" (Message)
//               Send "up" for the ups
//
// The connection's settings are the defaults, with what a deployment sets
// for a link it must watch (`connection`, e.g. a heartbeat).

import type { Proto } from './protocol.ts';
import { SIO_ECHO, SIO_FRAME, SIO_UP, UP_PERIOD_MS } from './protocol.ts';

const link = (from: string, fromPin: string, to: string, toPin: string) => ({ from: [from, fromPin], to: [to, toPin] });

export function telemetryProject(proto: Proto, url: string, connection: Record<string, unknown> = {}): object {
  const u = new URL(url);
  const port = Number(u.port) || (/^(wss|https):$/.test(u.protocol) ? 443 : 80);
  const conn = { Name: 'Link', URL: `${u.protocol}//${u.hostname}`, Port: port, ...connection };
  const cfg = { Configuration: 'Link' };
  const ws = proto === 'ws';
  const send = ws
    ? { type: 'WebSocket Client Send', attributes: cfg }
    : { type: 'Socket.IO Send', attributes: cfg, inputs: { 'Event Name': SIO_UP, Namespace: '/' } };
  const nodes: object[] = [
    { id: 'boot', type: 'On Scene Loaded' },
    { id: 'start', type: ws ? 'WebSocket Client Start' : 'Socket.IO Start', attributes: cfg },
    { id: 'every', type: 'Start Interval', inputs: { Seconds: UP_PERIOD_MS / 1000 } },
    { id: 'n', type: 'Variable Getter', attributes: { Variable: 'n' } },
    { id: 'plus1', type: 'Add', inputs: { 'Input 1': 1 } },
    { id: 'setN', type: 'Variable Setter', attributes: { Variable: 'n' } },
    { id: 'upText', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: '{{"up":{0}}}' } },
    { id: 'sendUp', ...send },
    { id: 'onReceive', type: ws ? 'On WebSocket Receive' : 'On Socket.IO Receive', attributes: cfg },
    ws
      ? { id: 'echo', type: 'WebSocket Client Send', attributes: cfg }
      : { id: 'echo', type: 'Socket.IO Send', attributes: cfg, inputs: { 'Event Name': SIO_ECHO, Namespace: '/' } },
  ];
  const links = [
    link('boot', '►', 'start', '►'),
    link('start', '►', 'every', '►'),
    link('every', '►', 'setN', '►'),
    link('n', 'Value', 'plus1', 'Input 0'),
    link('plus1', 'Output', 'setN', 'Value'),
    link('setN', '►', 'sendUp', '►'),
    link('setN', 'Value', 'upText', 'Input 0'),
    link('upText', 'Output', 'sendUp', 'Message'),
    link('onReceive', '►', 'echo', '►'),
    link('onReceive', 'Message', 'echo', 'Message'),
  ];
  if (!ws) {
    nodes.push(
      { id: 'onStart', type: 'On Socket.IO Start', attributes: cfg },
      { id: 'subscribe', type: 'Socket.IO Subscribe', attributes: cfg, inputs: { 'Event Name': SIO_FRAME, Namespace: '/' } },
    );
    links.push(link('onStart', '►', 'subscribe', '►'));
  }
  return {
    format: 'pulsewire-project/1',
    name: `faults-${proto}`,
    settings: ws ? { webSocketConnections: [conn] } : { socketIOConnections: [conn] },
    variables: [{ name: 'n', type: 'Int', initial: 0 }],
    scopes: [{ kind: 'Project', nodes, links }],
  };
}
