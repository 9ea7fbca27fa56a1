// Maps what the `ws` package (and Node's net/tls/dns beneath it) reports to
// the stable codes of runtime/errors.ts, with a sentence a designer can read.
//
// The one place that looks at error shapes: Node error codes (ECONNREFUSED,
// ENOTFOUND, certificate codes), ws's own codes (WS_ERR_*), and ws's upgrade
// message "Unexpected server response: N" (ws reports the status only in
// that text). Texts name the peer as host:port, never the whole URL (a query
// string may carry a token) and never a header value.

import type { ErrorCode } from '../../runtime/errors.ts';

/** A classified failure: code, readable text (without the connection name), and whether retrying can help. */
export interface Failure {
  code: ErrorCode;
  text: string;
  /** True when the reconnect loop must stop (credentials refused, payload limit, settings). */
  permanent: boolean;
}

/** Where a connection goes, as printed in messages. */
export interface Endpoint {
  /** Host name or address. */
  host: string;
  /** `host:port`, default port filled in. */
  peer: string;
}

export function endpointOf(url: string): Endpoint {
  try {
    const u = new URL(url);
    const tls = u.protocol === 'wss:' || u.protocol === 'https:';
    return { host: u.hostname, peer: `${u.hostname}:${u.port || (tls ? '443' : '80')}` };
  } catch {
    return { host: 'an invalid URL', peer: 'an invalid URL' };
  }
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME|ALTNAME/;
/** Handshake checks ws makes without a code (bad accept key, subprotocol, extensions). */
const WS_HANDSHAKE = /Sec-WebSocket|subprotocol|extension|Invalid Upgrade header/i;

interface NodeishError {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

/** Node's AggregateError (happy eyeballs: every address failed) has an empty message; its parts carry the code. */
function codeOf(e: NodeishError): string {
  if (typeof e.code === 'string') return e.code;
  if (Array.isArray(e.errors) && e.errors.length > 0) return codeOf(e.errors[0] as NodeishError);
  return '';
}

/** Classifies an 'error' event (or a throw) of a `ws` client socket. */
export function classifySocketError(err: unknown, at: Endpoint, maxMessageBytes: number): Failure {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as NodeishError;
  const code = codeOf(e);
  const message = typeof e.message === 'string' ? e.message : '';

  if (code === 'ECONNREFUSED') return { code: 'refused', text: `connection refused by ${at.peer}`, permanent: false };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { code: 'dns', text: `could not resolve the host name ${at.host} (${code})`, permanent: false };
  }
  const status = /^Unexpected server response: (\d+)/.exec(message);
  if (status) {
    const n = Number(status[1]);
    if (n === 401 || n === 403) {
      return { code: 'unauthorized', text: `${at.peer} refused the credentials: HTTP ${n} on the upgrade`, permanent: true };
    }
    return { code: 'http_status', text: `${at.peer} answered the upgrade with HTTP ${n}`, permanent: false };
  }
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    return { code: 'message_too_big', text: `an inbound message is larger than the limit of ${maxMessageBytes} bytes`, permanent: true };
  }
  if (TLS_CODE.test(code) || /certificate/i.test(message)) {
    return { code: 'tls', text: `TLS handshake with ${at.peer} failed: ${message || code}`, permanent: false };
  }
  if (code.startsWith('WS_ERR_') || WS_HANDSHAKE.test(message)) {
    return { code: 'protocol', text: `${at.peer} broke the WebSocket protocol: ${message}`, permanent: false };
  }
  // Node's messages usually start with their code ("read ECONNRESET"); print the code once.
  const detail = message.includes(code) ? message : [code, message].filter(Boolean).join(': ');
  return { code: 'network', text: `network error with ${at.peer}${detail ? `: ${detail}` : ''}`, permanent: false };
}

/** Close codes that end the reconnect loop (RFC 6455 §7.4.1), as failures; undefined for the others. */
export function classifyCloseCode(code: number, reason: string, at: Endpoint): Failure | undefined {
  const why = reason ? `: ${reason}` : '';
  if (code === 1008) return { code: 'close_policy', text: `${at.peer} closed the connection for a policy violation (1008)${why}`, permanent: true };
  if (code === 1009) return { code: 'close_too_big', text: `${at.peer} closed the connection: message too big (1009)${why}`, permanent: true };
  return undefined;
}
