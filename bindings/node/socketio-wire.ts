// What the Socket.IO transport needs around socket.io-client, kept apart
// from the lifecycle in socketio.ts: how an incoming payload becomes the
// graph's Message string, how a connect failure becomes a stable error code
// (the `ws` part through the WebSocket binding's classifier in errors.ts),
// how option values map onto the library, and an http(s) Agent that keeps
// a handle on every socket so close() can bound its wait.

import { Agent as HttpAgent, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { classifySocketError, type Endpoint, type Failure } from './errors.ts';
import { ENGINE_PROTOCOL_ERROR } from './engine-transports.ts';

/** Socket.IO framing around a Message: packet type, namespace, event name, ack id. */
const FRAME_OVERHEAD = 64 * 1024;

/**
 * The largest WebSocket frame a Socket.IO connection accepts: large enough
 * that no event within maxMessageBytes is ever refused (JSON escaping makes
 * a string at most 6× longer: \u0000), small enough that a 50 MB event is
 * refused by ws from its frame header, before a byte of it is buffered.
 */
export function frameCap(maxMessageBytes: number): number {
  return 6 * maxMessageBytes + FRAME_OVERHEAD;
}

/** '' means '/', and a name without the leading slash gets one ('vehicle' → '/vehicle'). */
export function namespaceOf(ns: string): string {
  if (ns === '' || ns === '/') return '/';
  return ns.startsWith('/') ? ns : '/' + ns;
}

/** Uint8Array / ArrayBuffer attachments become base64 strings inside the JSON text. */
function binaryAsBase64(this: unknown, key: string, value: unknown): unknown {
  // `this` is the holder: read the raw value, before Buffer.toJSON ran on it.
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('base64');
  return value;
}

/**
 * The Message of an incoming event, from its arguments (acknowledgement
 * callback already removed): one string argument is that string; no
 * argument is ''; one other value is its JSON text; several arguments are
 * the JSON text of the array of them.
 */
export function messageText(args: readonly unknown[]): string {
  if (args.length === 0) return '';
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  const text = JSON.stringify(args.length === 1 ? args[0] : args, binaryAsBase64);
  return text ?? 'null';
}

/**
 * Classifies the error of a socket 'connect_error' that the Manager reports
 * while the socket is still active (the link failed, not the namespace).
 * socket.io-client wraps a `ws` failure as TransportError('websocket error')
 * whose description is the ErrorEvent and `.error` the Node error: that one
 * goes to the WebSocket binding's classifier, so both protocols name the
 * same failure the same way. What is left is Socket.IO's own: the Manager's
 * handshake timeout, a bad address, a v2 server.
 */
export function classifyConnectError(err: unknown, at: Endpoint, maxMessageBytes: number): Failure {
  const e = (err ?? {}) as { message?: unknown; type?: unknown; name?: unknown; description?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (message === 'timeout') {
    return { code: 'handshake_timeout', text: `${at.peer} did not complete the Socket.IO handshake in time`, permanent: false };
  }
  if (e.name === 'SyntaxError') return { code: 'config', text: `bad address (${message})`, permanent: true };
  if (e.type === 'TransportError' && message === ENGINE_PROTOCOL_ERROR) {
    const why = e.description instanceof Error ? e.description.message : String(e.description);
    return { code: 'protocol', text: `${at.peer} broke the Engine.IO protocol: ${why}`, permanent: false };
  }
  if (e.type === 'TransportError') {
    const desc = e.description as { error?: unknown } | undefined;
    const inner = desc instanceof Error ? desc : desc && typeof desc === 'object' && desc.error !== undefined ? desc.error : undefined;
    if (inner !== undefined) return classifySocketError(inner, at, maxMessageBytes);
    return { code: 'network', text: `lost the link with ${at.peer} (${message})`, permanent: false };
  }
  if (/v2\.x/.test(message)) return { code: 'protocol', text: `${at.peer} speaks an older Socket.IO protocol: ${message}`, permanent: true };
  return classifySocketError(err, at, maxMessageBytes);
}

/** TCP/TLS sockets opened for a transport and not closed yet, so close() can wait for them and end stragglers. */
export type LiveSockets = Set<Duplex>;

/**
 * An http(s).Agent for the Manager's `agent` option (engine.io-client hands
 * it to `ws` and to the polling requests): it opens sockets as Node does and
 * keeps each in `live` until it closes. That is what lets close() be bounded:
 * `ws` waits up to 30 s for a peer to answer its close frame, and a peer that
 * never answers would hold the process that long.
 */
export function trackingAgent(secure: boolean, live: LiveSockets): HttpAgent {
  const track = (s: Duplex | null | undefined) => {
    if (s) {
      live.add(s);
      s.once('close', () => live.delete(s));
    }
    return s;
  };
  if (secure) {
    return new (class extends HttpsAgent {
      override createConnection(o: RequestOptions, cb?: (err: Error | null, s: Duplex) => void) {
        return track(super.createConnection(o, cb));
      }
    })();
  }
  return new (class extends HttpAgent {
    override createConnection(o: ClientRequestArgs, cb?: (err: Error | null, s: Duplex) => void) {
      return track(super.createConnection(o, cb));
    }
  })();
}
