// Stable error codes, one catalogue for the runtime and the bindings.
// Graph logic branches on these (On ... Error has a Code output); tools and
// tests match on them. Never rename one; add new ones at the end of a group.

export const ERROR_CODES = {
  // connection (bindings)
  refused: 'the server refused the connection',
  dns: 'the host name could not be resolved',
  handshake_timeout: 'the server accepted the connection but did not complete the handshake in time',
  http_status: 'the server answered the upgrade with an HTTP error',
  unauthorized: 'the server refused the credentials (HTTP 401/403)',
  tls: 'the TLS handshake failed',
  heartbeat_timeout: 'the server stopped answering pings',
  closed: 'the connection was closed',
  close_policy: 'the server closed the connection for a policy violation (1008)',
  close_too_big: 'the server closed the connection: message too big (1009)',
  protocol: 'the peer broke the protocol',
  namespace_refused: 'the server refused the namespace',
  not_open: 'the connection is not open',
  not_started: 'the connection was never started',
  send_buffer_full: 'the send buffer is full',
  message_too_big: 'an inbound message is larger than the limit',
  gave_up: 'reconnection gave up after the attempt limit',
  network: 'a network error',
  config: 'the connection settings are incomplete (e.g. an environment variable a secret names is not set)',
  unconfirmed: 'messages written before the link went down were not confirmed by the peer (the message gives how many)',
  // runtime (VM)
  queue_overflow: 'inbound events were dropped: the queue was full',
  budget: 'the tick budget ran out',
  call_depth: 'calls nested too deep',
  timers_full: 'too many timers',
  outputs_full: 'too many outputs in one tick',
  conversion: 'a value could not be converted',
  division_by_zero: 'division by zero',
  json: 'invalid JSON',
  assert: 'an assertion failed',
  string_too_long: 'a string grew past the limit',
  internal: 'an internal error',
  memory_limit: 'the sandbox used more memory than its limit and was stopped',
  time_limit: 'a tick ran longer than its time limit in the sandbox, which was stopped',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
