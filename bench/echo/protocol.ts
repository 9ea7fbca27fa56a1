// What the echo server and its clients agree on.
//
// The server sends telemetry frames of exactly MESSAGE_BYTES bytes of JSON
// text; a client sends every frame back unchanged. Over WebSocket a frame is
// a text message; over Socket.IO it is the string argument of a `telemetry`
// event, echoed as an `echo` event. A client says READY once it listens
// (Socket.IO: once it has subscribed), and only then does a session start.

export const MESSAGE_BYTES = 100;
export const READY = 'ready';
export const SIO_OUT = 'telemetry';
export const SIO_BACK = 'echo';

/** Frame `seq`: `{"type":"telemetry","seq":…,"speed":…,"gear":…,"pad":"xx…"}`, padded to MESSAGE_BYTES. */
export function telemetryFrame(seq: number): string {
  const speed = ((seq * 37) % 1500) / 10;
  const gear = Math.min(6, 1 + Math.floor(speed / 25));
  const head = `{"type":"telemetry","seq":${seq},"speed":${speed},"gear":${gear},"pad":"`;
  return head + 'x'.repeat(Math.max(0, MESSAGE_BYTES - head.length - 2)) + '"}';
}

export type Proto = 'ws' | 'sio';
export type Impl = 'hand' | 'pulsewire';

/** parent → server: run one session with the next client that says READY. */
export interface SessionRequest {
  type: 'session';
  id: number;
  /** Frames measured, after `warm` frames that are not. */
  n: number;
  warm: number;
  /** Frames in flight. */
  w: number;
  /** The session ends here even if frames are missing (reported, not hidden). */
  timeoutMs: number;
}

export interface EchoResult {
  ok: boolean;
  error?: string;
  /** Measured frames that came back. */
  received: number;
  /** Frames that came back different from what was sent. */
  mismatched: number;
  elapsedMs: number;
  msgsPerSec: number;
  /** Round trip, ms. */
  p50: number;
  p99: number;
  mean: number;
  max: number;
}
