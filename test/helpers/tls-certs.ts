// Test certificates, made once per test process with the openssl command in a temp dir: a CA, a
// server certificate for localhost/127.0.0.1/::1 signed by it, an expired one, a self-signed one and
// a client certificate. Tests that need them call testCerts(); none are committed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertPair {
  readonly cert: string;
  readonly key: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export interface TestCerts {
  readonly dir: string;
  readonly ca: string;
  readonly caFile: string;
  /** Signed by the CA for localhost, 127.0.0.1 and ::1. */
  readonly server: CertPair;
  /** Signed by the CA for the same names, valid only on 1 January 2020. */
  readonly expired: CertPair;
  /** For localhost, signed by itself. */
  readonly selfSigned: CertPair;
  /** A client certificate signed by the CA (for CERT_REQUIRED servers). */
  readonly client: CertPair;
}

const NAMES = 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1';
const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
const CA_CONFIG = `[ ca ]
default_ca = default
[ default ]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[ any ]
commonName = supplied
`;

let made: TestCerts | undefined;

/** True when the openssl command is on PATH (tests that need certificates say so when it is not). */
export function hasOpenSSL(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The certificates, made on the first call (a few hundred ms) and removed when the process exits. */
export function testCerts(): TestCerts {
  made ??= makeCerts();
  return made;
}

function makeCerts(): TestCerts {
  if (!hasOpenSSL()) throw new Error('openssl is not installed (Debian package openssl; .ci/run installs it): the TLS tests make their certificates with it');
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-certs-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '01\n');
  openssl('req', '-x509', ...KEY, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', '/CN=switchboard test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const signed = (name: string, cn: string, dates: string[], extension: string): CertPair => {
    openssl('req', '-new', ...KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`, '-addext', extension);
    openssl('ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${name}.csr`, '-out', `${name}.pem`, '-notext', ...dates);
    return pair(dir, name);
  };
  const server = signed('server', 'localhost', ['-days', '3650'], NAMES);
  const expired = signed('expired', 'localhost', ['-startdate', '20200101000000Z', '-enddate', '20200102000000Z'], NAMES);
  const client = signed('client', 'switchboard test client', ['-days', '3650'], 'extendedKeyUsage=clientAuth');
  openssl('req', '-x509', ...KEY, '-keyout', 'self.key', '-out', 'self.pem', '-days', '3650', '-subj', '/CN=localhost', '-addext', NAMES);
  const caFile = join(dir, 'ca.pem');
  return { dir, ca: readFileSync(caFile, 'utf8'), caFile, server, expired, selfSigned: pair(dir, 'self'), client };
}

function pair(dir: string, name: string): CertPair {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
}
