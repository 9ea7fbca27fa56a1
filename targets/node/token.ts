// The token of the control channel and the inspector: PULSEWIRE_CONTROL_TOKEN
// from the environment, or else 18 random bytes, printed once on stderr.

import { randomBytes } from 'node:crypto';
import { CONTROL_TOKEN_ENV } from '../shared/control-protocol.ts';

export function runToken(env: NodeJS.ProcessEnv): { token: string; given: boolean } {
  const given = env[CONTROL_TOKEN_ENV];
  return given && given.length > 0 ? { token: given, given: true } : { token: randomBytes(18).toString('base64url'), given: false };
}
