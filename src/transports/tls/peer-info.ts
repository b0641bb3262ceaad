// What an SSLSocket reports about its session, in the shapes Python's ssl gives: getpeercert()'s
// fields and cipher()'s (name, protocol, secret bits) triple, read from node:tls's session.
import type * as tls from 'node:tls';

/** The peer's certificate as Python's getpeercert() shows it (the fields it prints, Node's values). */
export interface PeerCertificate {
  /** The subject's name fields (`{ CN: 'localhost' }`). */
  readonly subject: Readonly<Record<string, string | string[] | undefined>>;
  /** The issuer's name fields. */
  readonly issuer: Readonly<Record<string, string | string[] | undefined>>;
  /** The serial number in hexadecimal, as Node gives it. */
  readonly serialNumber: string;
  /** As OpenSSL prints it: `'Jan  1 00:00:00 2030 GMT'`. */
  readonly notBefore: string;
  /** The end of validity, printed as notBefore. */
  readonly notAfter: string;
  /** `[['DNS', 'localhost'], ['IP Address', '127.0.0.1']]`, as Python's subjectAltName. */
  readonly subjectAltName: readonly (readonly [string, string])[];
}

/** Python's cipher(): the cipher's name, the protocol version, and the secret key's bits. */
export type CipherInfo = readonly [name: string, protocol: string, secretBits: number];

/** The peer's certificate of `session` in getpeercert()'s shape, or null when the peer sent none. */
export function peerCertificate(session: tls.TLSSocket): PeerCertificate | null {
  const cert = session.getPeerCertificate();
  if (Object.keys(cert).length === 0) return null;
  return {
    subject: { ...cert.subject },
    issuer: { ...cert.issuer },
    serialNumber: cert.serialNumber,
    notBefore: cert.valid_from,
    notAfter: cert.valid_to,
    subjectAltName: splitAltNames(cert.subjectaltname ?? ''),
  };
}

/** The DER bytes of the peer's certificate (Python's getpeercert(True)). */
export function peerCertificateDER(session: tls.TLSSocket): Buffer | null {
  const cert = session.getPeerCertificate();
  return Object.keys(cert).length === 0 ? null : cert.raw;
}

/** cipher() for `session`, or null before the handshake has chosen one. */
export function cipherInfo(session: tls.TLSSocket): CipherInfo | null {
  const cipher = session.getCipher();
  const protocol = session.getProtocol();
  if (protocol === null) return null;
  return [cipher.name, protocol, secretBits(cipher.standardName || cipher.name)];
}

/** Node names the cipher but not its key size: read it from the name, as OpenSSL's table would give. */
function secretBits(name: string): number {
  if (/CHACHA20|256/.test(name)) return 256;
  if (/128/.test(name)) return 128;
  return 0;
}

function splitAltNames(text: string): (readonly [string, string])[] {
  if (text === '') return [];
  return text.split(', ').map((entry) => {
    const colon = entry.indexOf(':');
    return [entry.slice(0, colon), entry.slice(colon + 1)] as const;
  });
}
