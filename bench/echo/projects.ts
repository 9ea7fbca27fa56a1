// The pulsewire side of the echo benchmark: the graphs a designer would draw.
//
//   WebSocket:  On Scene Loaded → WebSocket Client Start
//               On WebSocket Start → WebSocket Client Send "ready"
//               On WebSocket Receive → WebSocket Client Send (Message)
//   Socket.IO:  On Scene Loaded → Socket.IO Start
//               On Socket.IO Start → Socket.IO Subscribe "telemetry"
//               On Socket.IO Subscribe → Socket.IO Send "ready"
//               On Socket.IO Receive → Socket.IO Send "echo" (Message)
//
// Reconnect is off: a session's end is the server closing the link.

import { READY, SIO_BACK, SIO_OUT, type Proto } from './protocol.ts';

const link = (from: string, fromPin: string, to: string, toPin: string) => ({ from: [from, fromPin], to: [to, toPin] });

export function echoProject(proto: Proto, url = 'ws://127.0.0.1:1'): object {
  const u = new URL(url);
  const conn = { Name: 'Link', URL: `${u.protocol}//${u.hostname}`, Port: Number(u.port) || 1, reconnect: { enabled: false } };
  const cfg = { Configuration: 'Link' };
  const scope =
    proto === 'ws'
      ? {
          kind: 'Project',
          nodes: [
            { id: 'boot', type: 'On Scene Loaded' },
            { id: 'start', type: 'WebSocket Client Start', attributes: cfg },
            { id: 'onStart', type: 'On WebSocket Start', attributes: cfg },
            { id: 'sayReady', type: 'WebSocket Client Send', attributes: cfg, inputs: { Message: READY } },
            { id: 'onReceive', type: 'On WebSocket Receive', attributes: cfg },
            { id: 'echo', type: 'WebSocket Client Send', attributes: cfg },
          ],
          links: [
            link('boot', '►', 'start', '►'),
            link('onStart', '►', 'sayReady', '►'),
            link('onReceive', '►', 'echo', '►'),
            link('onReceive', 'Message', 'echo', 'Message'),
          ],
        }
      : {
          kind: 'Project',
          nodes: [
            { id: 'boot', type: 'On Scene Loaded' },
            { id: 'start', type: 'Socket.IO Start', attributes: cfg },
            { id: 'onStart', type: 'On Socket.IO Start', attributes: cfg },
            { id: 'subscribe', type: 'Socket.IO Subscribe', attributes: cfg, inputs: { 'Event Name': SIO_OUT, Namespace: '/' } },
            { id: 'onSubscribed', type: 'On Socket.IO Subscribe', attributes: cfg },
            { id: 'sayReady', type: 'Socket.IO Send', attributes: cfg, inputs: { 'Event Name': READY, Namespace: '/' } },
            { id: 'onReceive', type: 'On Socket.IO Receive', attributes: cfg },
            { id: 'echo', type: 'Socket.IO Send', attributes: cfg, inputs: { 'Event Name': SIO_BACK, Namespace: '/' } },
          ],
          links: [
            link('boot', '►', 'start', '►'),
            link('onStart', '►', 'subscribe', '►'),
            link('onSubscribed', '►', 'sayReady', '►'),
            link('onReceive', '►', 'echo', '►'),
            link('onReceive', 'Message', 'echo', 'Message'),
          ],
        };
  return {
    format: 'pulsewire-project/1',
    name: `echo-${proto}`,
    settings: {
      tickRate: 60,
      ...(proto === 'ws' ? { webSocketConnections: [conn] } : { socketIOConnections: [conn] }),
    },
    scopes: [scope],
  };
}
