/** A self-signed certificate for the local CRM hosts (made with openssl on first use, cached in the OS temp dir). */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CERT_HOSTS = [
  '*.lightning.force.com',
  '*.sandbox.lightning.force.com',
  '*.develop.lightning.force.com',
  '*.my.salesforce.com',
  'app.hubspot.com',
  '*.hubspot.com',
];

export function localCertificate(): { key: Buffer; cert: Buffer } {
  const dir = join(tmpdir(), 'committee-lens-cert-v1');
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  if (!existsSync(cert)) {
    mkdirSync(dir, { recursive: true });
    const san = 'subjectAltName=' + CERT_HOSTS.map((h) => `DNS:${h}`).join(',');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '365', '-subj', '/CN=committee-lens-local', '-addext', san, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  }
  return { key: readFileSync(key), cert: readFileSync(cert) };
}
