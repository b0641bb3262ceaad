// TLS errors as Python's ssl module names them: SSLError (an OSError) and its subclasses, each with
// the reason and the library that failed, and Node's own code. Not the mapping from node:tls's errors
// (that is ssl-error-map.ts).
import { BlockingIOError, OSError } from '../errors.js';

// Python's `ssl.SSL_ERROR_*` numbers, kept in `sslErrno` (errno stays the OSError errno of the code).
/** `ssl.SSL_ERROR_SSL`: the TLS layer itself failed (a protocol or verification error). */
export const SSL_ERROR_SSL = 1;
/** `ssl.SSL_ERROR_WANT_READ`: the operation needs bytes from the peer first (SSLWantReadError). */
export const SSL_ERROR_WANT_READ = 2;
/** `ssl.SSL_ERROR_WANT_WRITE`: the operation must wait for room to send (SSLWantWriteError). */
export const SSL_ERROR_WANT_WRITE = 3;
/** `ssl.SSL_ERROR_ZERO_RETURN`: the peer sent close_notify (SSLZeroReturnError). */
export const SSL_ERROR_ZERO_RETURN = 6;
/** `ssl.SSL_ERROR_EOF`: the connection ended without close_notify (SSLEOFError). */
export const SSL_ERROR_EOF = 8;

/** What each TLS error carries besides the OSError fields. */
export interface SSLErrorDetails {
  /** OpenSSL's reason, upper snake case as Python shows it (`'CERTIFICATE_VERIFY_FAILED'`). */
  readonly reason: string;
  /** The part that failed (`'SSL'`, `'X509'`), as Python's `library`. */
  readonly library?: string;
  /** Python's SSL_ERROR_* number (default SSL_ERROR_SSL). */
  readonly sslErrno?: number;
}

// A brand instead of the prototype chain: SSLWantReadError must also be a BlockingIOError (the
// socket contract's would-block), and a class has one parent only (undici brands its errors alike).
const BRAND = Symbol.for('switchboard.SSLError');

function brand(error: Error, details: SSLErrorDetails): void {
  Object.defineProperty(error, BRAND, { value: true });
  Object.assign(error, { reason: details.reason, library: details.library ?? 'SSL', sslErrno: details.sslErrno ?? SSL_ERROR_SSL });
}

/**
 * Python's `ssl.SSLError`: the TLS layer failed. `code` is Node's (`'ERR_SSL_WRONG_VERSION_NUMBER'`,
 * `'DEPTH_ZERO_SELF_SIGNED_CERT'`), `reason` OpenSSL's, `library` the part that failed.
 * `instanceof SSLError` also holds for SSLWantReadError and SSLWantWriteError.
 */
export class SSLError extends OSError {
  override name = 'SSLError';
  /** OpenSSL's reason, upper snake case as Python shows it (`'CERTIFICATE_VERIFY_FAILED'`). */
  declare readonly reason: string;
  /** The part that failed (`'SSL'`, `'X509'`), as Python's `library`. */
  declare readonly library: string;
  /** Python's SSL_ERROR_* number: SSL_ERROR_SSL unless a subclass says otherwise. */
  declare readonly sslErrno: number;

  constructor(code: string, message: string, details: SSLErrorDetails) {
    super(code, message, 'ssl');
    brand(this, details);
  }

  /** True for an SSLError of any subclass, SSLWantReadError and SSLWantWriteError included (the brand). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep the ordinary prototype test; only SSLError itself accepts the brand.
    if (this !== SSLError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && BRAND in value;
  }
}

/** The peer closed the TLS connection cleanly (close_notify) where more was expected. */
export class SSLZeroReturnError extends SSLError {
  override name = 'SSLZeroReturnError';

  constructor(message = 'TLS/SSL connection has been closed (EOF)') {
    super('ERR_SSL_ZERO_RETURN', message, { reason: 'ZERO_RETURN', sslErrno: SSL_ERROR_ZERO_RETURN });
  }
}

/** The connection ended without close_notify (a bare FIN or a reset during the handshake). */
export class SSLEOFError extends SSLError {
  override name = 'SSLEOFError';

  constructor(message = 'EOF occurred in violation of protocol') {
    super('ERR_SSL_EOF', message, { reason: 'UNEXPECTED_EOF_WHILE_READING', sslErrno: SSL_ERROR_EOF });
  }
}

/** The peer's certificate failed verification: `verifyCode` is OpenSSL's, as Python's `verify_code`. */
export class SSLCertVerificationError extends SSLError {
  override name = 'SSLCertVerificationError';
  /** OpenSSL's X509_V_ERR_* number (18 self-signed, 20 unknown issuer, 10 expired, 62 host name mismatch). */
  readonly verifyCode: number;
  /** OpenSSL's text for it (`'self-signed certificate'`). */
  readonly verifyMessage: string;

  constructor(code: string, verifyCode: number, verifyMessage: string) {
    super(code, `[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ${verifyMessage}`, { reason: 'CERTIFICATE_VERIFY_FAILED' });
    this.verifyCode = verifyCode;
    this.verifyMessage = verifyMessage;
  }
}

/** Base of the two want errors: a BlockingIOError (the socket contract's would-block) branded as an SSLError. */
export class SSLWantError extends BlockingIOError {
  override name = 'SSLWantError';
  /** OpenSSL's reason, upper snake case as Python shows it (`'CERTIFICATE_VERIFY_FAILED'`). */
  declare readonly reason: string;
  /** The part that failed (`'SSL'`, `'X509'`), as Python's `library`. */
  declare readonly library: string;
  /** Python's SSL_ERROR_* number: SSL_ERROR_SSL unless a subclass says otherwise. */
  declare readonly sslErrno: number;

  constructor(message: string, details: SSLErrorDetails) {
    super('EAGAIN', message, 'ssl');
    brand(this, details);
  }
}

/**
 * The handshake (or a read) needs bytes from the peer first: wait until the socket is readable and
 * call again. A BlockingIOError too, so code written for plain sockets treats it as "not yet".
 */
export class SSLWantReadError extends SSLWantError {
  override name = 'SSLWantReadError';

  constructor(message = 'The operation did not complete (read)') {
    super(message, { reason: 'WANT_READ', sslErrno: SSL_ERROR_WANT_READ });
  }
}

/** The handshake (or a send) must wait until the socket is writable again; a BlockingIOError too. */
export class SSLWantWriteError extends SSLWantError {
  override name = 'SSLWantWriteError';

  constructor(message = 'The operation did not complete (write)') {
    super(message, { reason: 'WANT_WRITE', sslErrno: SSL_ERROR_WANT_WRITE });
  }
}
