// Builds the node:tls engine for one side of one connection from a context: over a node:net socket
// (TLSWrap straight on the libuv handle, the fast path) or over any Duplex of ciphertext. It adds
// what node:tls leaves to tls.Server: checking a client's certificate on the server side.
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { ValueError } from '../errors.js';
import { CERT_NONE, CERT_REQUIRED, type TLSSettings } from './tls-context.js';

/** The side of a connection and, for a client, the name it expects the server to prove. */
export interface SessionSide {
  /** True for the server's end of the connection (it answers the ClientHello). */
  readonly serverSide: boolean;
  /** The host name to send (SNI) and, with checkHostname, to match; required then, as Python's. */
  readonly serverHostname?: string;
}

/**
 * A node:tls socket over `stream`, configured by `settings` for one side. The client starts its
 * handshake at once; the server answers the ClientHello when it comes. Failures arrive as 'error'.
 */
export function openSession(stream: Duplex, settings: TLSSettings, side: SessionSide): tls.TLSSocket {
  checkSide(settings, side);
  return side.serverSide ? serverSession(stream, settings) : clientSession(stream, settings, side.serverHostname);
}

/** Throws ValueError for a side the context cannot serve, as Python's wrap_socket does, before any I/O. */
export function checkSide(settings: TLSSettings, side: SessionSide): void {
  if (side.serverSide !== (settings.purpose === 'server')) {
    throw new ValueError(`Cannot use a ${settings.purpose} context for the ${side.serverSide ? 'server' : 'client'} side`);
  }
  if (!side.serverSide && settings.checkHostname && (side.serverHostname === undefined || side.serverHostname === '')) {
    throw new ValueError('checkHostname requires serverHostname');
  }
}

function clientSession(stream: Duplex, settings: TLSSettings, hostname: string | undefined): tls.TLSSocket {
  const options: tls.ConnectionOptions = {
    socket: stream,
    secureContext: settings.secureContext(),
    rejectUnauthorized: settings.verifyMode !== CERT_NONE,
    ALPNProtocols: [...settings.alpnProtocols],
  };
  if (hostname !== undefined) {
    // RFC 6066 forbids an IP address as SNI (Node warns): an IP is matched, never sent.
    if (!net.isIP(hostname)) options.servername = hostname;
    options.host = hostname;
  }
  if (!settings.checkHostname) options.checkServerIdentity = () => undefined;
  return tls.connect(options);
}

function serverSession(stream: Duplex, settings: TLSSettings): tls.TLSSocket {
  const requestCert = settings.verifyMode !== CERT_NONE;
  const session = new tls.TLSSocket(stream, {
    isServer: true,
    secureContext: settings.secureContext(),
    requestCert,
    // OpenSSL then fails a handshake without a client certificate; one that came is checked below.
    rejectUnauthorized: settings.verifyMode === CERT_REQUIRED,
    ALPNProtocols: [...settings.alpnProtocols],
  });
  if (requestCert) {
    // Registered before any other 'secure' listener, so nobody sees a connection that fails here.
    session.once('secure', () => {
      const failure = clientCertificateError(session);
      if (failure !== null) session.destroy(failure);
    });
  }
  return session;
}

/**
 * Why the client's certificate did not verify, or null. tls.Server does this check; a TLSSocket made
 * alone does not, so the engine's verifyError() is asked directly.
 */
function clientCertificateError(session: tls.TLSSocket): Error | null {
  if (Object.keys(session.getPeerCertificate()).length === 0) return null;
  // I/O boundary: `_handle` is node:tls's TLSWrap, whose verifyError() tls.Server itself calls.
  const handle: unknown = Reflect.get(session, '_handle');
  if (typeof handle !== 'object' || handle === null || !('verifyError' in handle) || typeof handle.verifyError !== 'function') return null;
  const failure: unknown = handle.verifyError();
  return failure instanceof Error ? failure : null;
}

/**
 * Ends a session for close(): gracefully (close_notify and a FIN after the data already sent, as
 * node:tls's end()) when `isGraceful` and it still runs, at once otherwise; then `closeRaw` closes
 * the wrapped socket, once the ciphertext is out.
 */
export function endSession(session: tls.TLSSocket | null, channel: Duplex | null, isGraceful: boolean, closeRaw: () => void): void {
  if (session === null || channel === null || !isGraceful || session.destroyed) {
    session?.destroy();
    closeRaw();
    return;
  }
  const finish = (): void => {
    session.destroy();
    closeRaw();
  };
  if (channel.writableFinished) {
    finish();
    return;
  }
  channel.once('finish', finish);
  channel.once('close', finish);
  session.end();
}
