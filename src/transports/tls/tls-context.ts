// A TLS configuration shared by many connections, as Python's ssl.SSLContext: which side it is for,
// the certificate chain, the CAs to trust, how the peer is verified, ALPN. It builds node:tls's
// SecureContext once and wraps sockets; it holds no connection state itself.
import * as tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { ValueError } from '../errors.js';
import type { Socket } from '../socket.js';
import { SSLSocket, type WrapSocketOptions } from './ssl-socket.js';

/** Python's `ssl.CERT_NONE`: the peer's certificate is not asked for (server) or not checked (client). */
export const CERT_NONE = 0;
/** Python's `ssl.CERT_OPTIONAL`: a server asks for a client certificate and checks it if one is sent. */
export const CERT_OPTIONAL = 1;
/** Python's `ssl.CERT_REQUIRED`: the peer must present a certificate that verifies. */
export const CERT_REQUIRED = 2;
/** How the peer's certificate is asked for and checked: CERT_NONE, CERT_OPTIONAL or CERT_REQUIRED. */
export type VerifyMode = typeof CERT_NONE | typeof CERT_OPTIONAL | typeof CERT_REQUIRED;

/** The side a context is for: Python's PROTOCOL_TLS_CLIENT and PROTOCOL_TLS_SERVER. */
export type TLSPurpose = 'client' | 'server';

/** PEM text or bytes, as node:tls takes them. */
export type PemInput = string | Buffer;

/** What `new TLSContext(purpose, options)` may set at once; each has a method or setter for later. */
export interface TLSContextOptions {
  /** The certificate chain (PEM), leaf first; a server needs one. */
  readonly cert?: PemInput;
  /** The private key of `cert` (PEM). */
  readonly key?: PemInput;
  /** The CAs to trust, replacing Node's bundled roots (PEM, one or several). */
  readonly ca?: PemInput | readonly PemInput[];
  /** Default CERT_REQUIRED for a client, CERT_NONE for a server (as Python's). */
  readonly verifyMode?: VerifyMode;
  /** Match the server's certificate against the host name; default true for a client. */
  readonly checkHostname?: boolean;
  /** ALPN protocol names in order of preference (`['h2', 'http/1.1']`). */
  readonly alpnProtocols?: readonly string[];
  /** The oldest protocol version allowed (default TLSv1.2). */
  readonly minimumVersion?: tls.SecureVersion;
}

/** What a connection needs from its context: node:tls's options for one side. */
export interface TLSSettings {
  /** The side the settings are for. */
  readonly purpose: TLSPurpose;
  /** How the peer's certificate is asked for and checked. */
  readonly verifyMode: VerifyMode;
  /** Whether a client matches the server's certificate against the host name it connected to. */
  readonly checkHostname: boolean;
  /** ALPN protocol names in order of preference; empty: no ALPN. */
  readonly alpnProtocols: readonly string[];
  /** node:tls's SecureContext with the certificate chain and trusted CAs. */
  secureContext(): tls.SecureContext;
}

/**
 * Python's `ssl.SSLContext` for one side: the certificate chain, the CAs to trust, how the peer is
 * verified and ALPN, shared by every connection it wraps (`wrapSocket`, listenTLS, connectTLS,
 * startTLS). Changing a setting affects connections wrapped afterwards.
 */
export class TLSContext implements TLSSettings {
  /** The side it is for, fixed at construction: 'client' or 'server'. */
  readonly purpose: TLSPurpose;
  #verifyMode: VerifyMode;
  #checkHostname: boolean;
  #cert: PemInput | undefined;
  #key: PemInput | undefined;
  #ca: PemInput[] | undefined;
  #alpn: readonly string[] = [];
  readonly #minVersion: tls.SecureVersion;
  #secure: tls.SecureContext | null = null;

  constructor(purpose: TLSPurpose, options: TLSContextOptions = {}) {
    if (purpose !== 'client' && purpose !== 'server') throw new ValueError(`Cannot create a TLS context for purpose '${String(purpose)}': use 'client' or 'server'`);
    this.purpose = purpose;
    this.#minVersion = options.minimumVersion ?? 'TLSv1.2';
    this.#checkHostname = options.checkHostname ?? purpose === 'client';
    this.#verifyMode = options.verifyMode ?? (purpose === 'client' ? CERT_REQUIRED : CERT_NONE);
    this.verifyMode = this.#verifyMode;
    if (options.cert !== undefined || options.key !== undefined) this.loadCertChain(options.cert, options.key);
    if (options.ca !== undefined) this.loadVerifyLocations({ cadata: options.ca });
    if (options.alpnProtocols !== undefined) this.setAlpnProtocols(options.alpnProtocols);
  }

  /** How the peer's certificate is asked for and checked (default CERT_REQUIRED for a client, CERT_NONE for a server). */
  get verifyMode(): VerifyMode {
    return this.#verifyMode;
  }

  /** As Python: CERT_NONE is refused while checkHostname is on (it would check a name on nothing). */
  set verifyMode(mode: VerifyMode) {
    if (mode !== CERT_NONE && mode !== CERT_OPTIONAL && mode !== CERT_REQUIRED) throw new ValueError(`Invalid verify mode ${String(mode)}`);
    if (mode === CERT_NONE && this.#checkHostname) throw new ValueError('Cannot set verifyMode to CERT_NONE when checkHostname is enabled');
    this.#verifyMode = mode;
    this.#secure = null;
  }

  /** Whether a client matches the server's certificate against the host name (default true for a client). */
  get checkHostname(): boolean {
    return this.#checkHostname;
  }

  /** Turning it on also makes verifyMode CERT_REQUIRED if it was CERT_NONE, as Python 3.7+ does. */
  set checkHostname(on: boolean) {
    this.#checkHostname = on;
    if (on && this.#verifyMode === CERT_NONE) this.#verifyMode = CERT_REQUIRED;
  }

  /** The ALPN protocol names offered (client) or accepted (server), in order of preference. */
  get alpnProtocols(): readonly string[] {
    return this.#alpn;
  }

  /** Python's load_cert_chain, with PEM text or bytes instead of file names (read them with loadCertChainFiles). */
  loadCertChain(cert: PemInput | undefined, key: PemInput | undefined): void {
    if (cert === undefined || key === undefined) throw new ValueError('Cannot load a certificate chain: both cert and key are needed');
    this.#cert = cert;
    this.#key = key;
    this.#secure = null;
  }

  /** loadCertChain from PEM files. */
  loadCertChainFiles(certFile: string, keyFile: string): void {
    this.loadCertChain(readFileSync(certFile), readFileSync(keyFile));
  }

  /** Python's load_verify_locations: the CAs to trust, from a file or PEM data; adds to earlier ones. */
  loadVerifyLocations(locations: { readonly cafile?: string; readonly cadata?: PemInput | readonly PemInput[] }): void {
    const added: PemInput[] = [];
    if (locations.cafile !== undefined) added.push(readFileSync(locations.cafile));
    const data = locations.cadata;
    if (data !== undefined) added.push(...(typeof data === 'string' || Buffer.isBuffer(data) ? [data] : data));
    if (added.length === 0) throw new ValueError('Cannot load verify locations: give cafile or cadata');
    this.#ca = [...(this.#ca ?? []), ...added];
    this.#secure = null;
  }

  /** Python's set_alpn_protocols; ValueError for a name that is empty or longer than 255 bytes. */
  setAlpnProtocols(protocols: readonly string[]): void {
    for (const name of protocols) {
      if (name.length === 0 || Buffer.byteLength(name) > 255) throw new ValueError(`Invalid ALPN protocol name '${name}': 1 to 255 bytes`);
    }
    this.#alpn = [...protocols];
  }

  /** node:tls's SecureContext for these settings, built once (until a setting changes). */
  secureContext(): tls.SecureContext {
    if (this.#secure !== null) return this.#secure;
    if (this.purpose === 'server' && (this.#cert === undefined || this.#key === undefined)) {
      throw new ValueError('Cannot serve TLS without a certificate: call loadCertChain(cert, key) first');
    }
    const options: tls.SecureContextOptions = { minVersion: this.#minVersion };
    if (this.#cert !== undefined && this.#key !== undefined) Object.assign(options, { cert: this.#cert, key: this.#key });
    if (this.#ca !== undefined) options.ca = this.#ca;
    this.#secure = tls.createSecureContext(options);
    return this.#secure;
  }

  /**
   * Wraps a connected (or accepted) socket for TLS, as Python's wrap_socket. The socket belongs to
   * the returned SSLSocket from now on: use only the SSLSocket.
   */
  wrapSocket(sock: Socket, options: WrapSocketOptions = {}): SSLSocket {
    return new SSLSocket(sock, this, options);
  }
}

/** The options of createDefaultContext. */
export interface DefaultContextOptions {
  /** 'client' (default, Python's Purpose.SERVER_AUTH) or 'server' (Purpose.CLIENT_AUTH). */
  readonly purpose?: TLSPurpose;
  /** A CA file to trust instead of Node's bundled roots. */
  readonly cafile?: string;
  /** CA certificates (PEM) to trust instead of Node's bundled roots. */
  readonly ca?: PemInput | readonly PemInput[];
}

/**
 * Python's create_default_context: a client context verifies the server and checks its host name,
 * trusting Node's bundled root CAs unless `ca`/`cafile` is given; a server context asks for no
 * client certificate.
 */
export function createDefaultContext(options: DefaultContextOptions = {}): TLSContext {
  const context = new TLSContext(options.purpose ?? 'client');
  if (options.cafile !== undefined || options.ca !== undefined) {
    context.loadVerifyLocations({ ...(options.cafile === undefined ? {} : { cafile: options.cafile }), ...(options.ca === undefined ? {} : { cadata: options.ca }) });
  }
  return context;
}
