import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Certificates for tests that speak HTTPS, made fresh by `openssl` for each call (nothing is checked
 * in, nothing expires between runs): a CA, a server certificate it signed for 127.0.0.1 and
 * localhost, and an unrelated self-signed certificate for the same names, which a client trusting
 * only the CA must refuse.
 */

export interface KeyPair {
  /** PEM certificate. */
  cert: string;
  /** PEM private key (unencrypted). */
  key: string;
}

export interface TestCertificates {
  /** The certificate authority: trust `ca.cert` to accept `server`. */
  ca: KeyPair;
  /** Signed by `ca`, valid for IP:127.0.0.1 and DNS:localhost. */
  server: KeyPair;
  /** Self-signed for the same names, unrelated to `ca`. */
  unrelated: KeyPair;
}

const SERVER_NAMES = 'IP:127.0.0.1,DNS:localhost';

/** A minimal configuration, so the result does not depend on the machine's openssl.cnf. */
const CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${SERVER_NAMES}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[self]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${SERVER_NAMES}
`;

export function generateTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-tls-'));
  try {
    const path = (name: string): string => join(dir, name);
    writeFileSync(path('openssl.cnf'), CONFIG);
    const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    const common = ['-config', path('openssl.cnf'), '-days', '2'];

    const selfSigned = (extensions: string, subject: string, name: string): void =>
      openssl([
        ...['req', '-x509', ...newKey, ...common, '-extensions', extensions, '-subj', subject],
        ...['-keyout', path(`${name}.key`), '-out', path(`${name}.crt`)],
      ]);

    selfSigned('ca', '/CN=Gantry Test CA', 'ca');
    openssl([
      'req',
      '-new',
      ...newKey,
      '-config',
      path('openssl.cnf'),
      '-subj',
      '/CN=localhost',
      '-keyout',
      path('server.key'),
      '-out',
      path('server.csr'),
    ]);
    openssl([
      'x509',
      '-req',
      '-in',
      path('server.csr'),
      '-CA',
      path('ca.crt'),
      '-CAkey',
      path('ca.key'),
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      '2',
      '-extfile',
      path('openssl.cnf'),
      '-extensions',
      'server',
      '-out',
      path('server.crt'),
    ]);
    selfSigned('self', '/CN=localhost', 'unrelated');

    const pair = (name: string): KeyPair => ({
      cert: readFileSync(path(`${name}.crt`), 'utf8'),
      key: readFileSync(path(`${name}.key`), 'utf8'),
    });
    return { ca: pair('ca'), server: pair('server'), unrelated: pair('unrelated') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (failure.code === 'ENOENT') {
      throw new Error(
        'The tests need the openssl command to generate TLS certificates, and it is not on PATH: ' +
          'install it with `apt-get install -y openssl`.',
      );
    }
    const stderr = failure.stderr?.toString('utf8').trim() ?? '';
    throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed: ${stderr || failure.message}`);
  }
}
