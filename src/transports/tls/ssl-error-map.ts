// Turns what node:tls emits ('error' events with Node's codes) into Python's ssl exceptions. The one
// place a node:tls code picks its class; socket errors without a TLS meaning stay OSErrors.
import { OSError, socketError } from '../errors.js';
import { SSLCertVerificationError, SSLEOFError, SSLError } from './errors.js';

/** OpenSSL's X509_V_ERR_* numbers for the codes Node gives verification failures. */
const VERIFY_CODES: Readonly<Record<string, number>> = {
  UNABLE_TO_GET_ISSUER_CERT: 2,
  CERT_SIGNATURE_FAILURE: 7,
  CERT_NOT_YET_VALID: 9,
  CERT_HAS_EXPIRED: 10,
  DEPTH_ZERO_SELF_SIGNED_CERT: 18,
  SELF_SIGNED_CERT_IN_CHAIN: 19,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 20,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 21,
  CERT_CHAIN_TOO_LONG: 22,
  CERT_REVOKED: 23,
  INVALID_CA: 24,
  CERT_UNTRUSTED: 27,
  CERT_REJECTED: 28,
  HOSTNAME_MISMATCH: 62,
  ERR_TLS_CERT_ALTNAME_INVALID: 62,
};

/** What a node:tls error looks like: `code`, and for OpenSSL's errors `reason` and `library`. */
interface NodeTLSError {
  readonly code?: unknown;
  readonly reason?: unknown;
  readonly library?: unknown;
  /** The host name a failed identity check was for. */
  readonly host?: unknown;
  readonly message: string;
}

/** The ssl exception for an error node:tls reported; OSErrors (a reset after the handshake) pass through. */
export function sslErrorFrom(error: unknown, isHandshakeDone: boolean): OSError {
  if (error instanceof OSError) return error;
  const e: NodeTLSError = error instanceof Error ? error : new Error(String(error));
  const code = typeof e.code === 'string' ? e.code : 'ERR_SSL';
  const verifyCode = VERIFY_CODES[code];
  if (verifyCode !== undefined) return new SSLCertVerificationError(code, verifyCode, verifyText(code, e));
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    // node:tls says "socket disconnected before secure TLS connection was established": the peer
    // went away mid-handshake, Python's SSLEOFError. After the handshake it is an ordinary reset.
    return isHandshakeDone ? socketError(code, 'recv') : new SSLEOFError();
  }
  if (code.startsWith('ERR_SSL_') || typeof e.reason === 'string') {
    const reason = typeof e.reason === 'string' ? e.reason.toUpperCase().replaceAll(' ', '_') : code.slice('ERR_SSL_'.length);
    const library = typeof e.library === 'string' ? libraryName(e.library) : 'SSL';
    const text = typeof e.reason === 'string' ? e.reason : e.message;
    return new SSLError(code, `[${library}: ${reason}] ${text}`, { reason, library });
  }
  if (code.startsWith('E') && !code.startsWith('ERR_')) return socketError(code, 'recv');
  return new SSLError(code, e.message, { reason: code });
}

/** Node 24 and later append advice to OpenSSL's text; verify_message is OpenSSL's text alone, as in Python. */
const NODE_ADVICE = /; if the root CA is installed locally, try running Node\.js with --use-system-ca$/;

function verifyText(code: string, error: NodeTLSError): string {
  if (code !== 'ERR_TLS_CERT_ALTNAME_INVALID') return error.message.replace(NODE_ADVICE, '');
  return `Hostname mismatch, certificate is not valid for '${typeof error.host === 'string' ? error.host : '?'}'`;
}

/** OpenSSL's "SSL routines" as Python's short "SSL". */
function libraryName(library: string): string {
  if (library === 'SSL routines') return 'SSL';
  if (library.startsWith('x509')) return 'X509';
  return library;
}
