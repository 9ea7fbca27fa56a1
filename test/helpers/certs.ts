// A throwaway self-signed certificate for TLS tests, made with the openssl
// command in a temporary folder (removed at exit). Returns undefined when
// openssl is not installed, so a test can skip rather than fail.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  key: Buffer;
  cert: Buffer;
  /** Path of the certificate file, usable as a CA file. */
  certPath: string;
}

/** A certificate for `subjectAltName` (e.g. 'IP:127.0.0.1'), valid for a day. */
export function selfSignedCert(subjectAltName: string): TestCert | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'pulsewire-cert-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath,
        '-days', '1', '-subj', '/CN=pulsewire-test', '-addext', `subjectAltName=${subjectAltName}`],
      { stdio: 'ignore' },
    );
  } catch {
    return undefined;
  }
  return { key: readFileSync(keyPath), cert: readFileSync(certPath), certPath };
}
