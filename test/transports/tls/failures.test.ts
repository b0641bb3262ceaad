// Each way a TLS connection fails raises its typed error with the reason: a self-signed certificate,
// an unknown CA, a host name mismatch, an expired certificate, a plain-text peer, a missing client
// certificate; bad configuration raises ValueError before any I/O.
import test, { type ExecutionContext } from 'ava';
import { SHUT_WR } from '../../../src/transports/constants.js';
import { BlockingIOError, OSError, ValueError } from '../../../src/transports/errors.js';
import type { Socket } from '../../../src/transports/socket.js';
import { socketpair } from '../../../src/transports/socket-module.js';
import {
  SSLCertVerificationError,
  SSLEOFError,
  SSLError,
  SSLWantReadError,
  SSLWantWriteError,
  SSLZeroReturnError,
} from '../../../src/transports/tls/errors.js';
import { sslErrorFrom } from '../../../src/transports/tls/ssl-error-map.js';
import { CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED, TLSContext, createDefaultContext } from '../../../src/transports/tls/tls-context.js';
import { closing } from '../../helpers/sockets.js';
import { testCerts } from '../../helpers/tls-certs.js';
import { handshakeAll, handshakeFailure, handshakenPair, testContexts, wrapPair } from '../../helpers/tls-pair.js';

async function clientFailure(t: ExecutionContext, serverCert: 'server' | 'selfSigned' | 'expired', client: TLSContext, hostname = 'localhost'): Promise<unknown> {
  const certs = testCerts();
  const [a, b] = socketpair();
  const server = closing(t, new TLSContext('server', { cert: certs[serverCert].cert, key: certs[serverCert].key }).wrapSocket(a, { serverSide: true }));
  const sock = closing(t, client.wrapSocket(b, { serverHostname: hostname, doHandshakeOnConnect: false }));
  const failure = await handshakeFailure(sock);
  // The failure is sticky and the socket shows it to select(): READ, WRITE and the error list.
  t.is(sock.readiness(), 7);
  t.throws(() => sock.recv(1), { is: failure as Error });
  server.close();
  return failure;
}

test('a self-signed server certificate fails verification with verifyCode 18', async (t) => {
  const error = await clientFailure(t, 'selfSigned', createDefaultContext({ ca: testCerts().ca }));
  t.true(error instanceof SSLCertVerificationError);
  t.like(error, { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', verifyCode: 18, reason: 'CERTIFICATE_VERIFY_FAILED', verifyMessage: 'self-signed certificate' });
  t.true(error instanceof SSLError && error instanceof OSError);
});

test('a certificate from a CA the client does not trust fails with verifyCode 21', async (t) => {
  const error = await clientFailure(t, 'server', createDefaultContext());
  t.true(error instanceof SSLCertVerificationError);
  t.like(error, { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', verifyCode: 21 });
});

test('a certificate for another host name fails with verifyCode 62, unless checkHostname is off', async (t) => {
  const error = await clientFailure(t, 'server', createDefaultContext({ ca: testCerts().ca }), 'example.com');
  t.true(error instanceof SSLCertVerificationError);
  t.like(error, { code: 'ERR_TLS_CERT_ALTNAME_INVALID', verifyCode: 62 });
  t.regex((error as Error).message, /Hostname mismatch, certificate is not valid for 'example.com'/);
  const lenient = new TLSContext('client', { ca: testCerts().ca, checkHostname: false });
  const { server, client } = wrapPair(t, socketpair(), { serverContext: testContexts().serverContext, clientContext: lenient });
  await handshakeAll([server, client]);
  t.is(client.version(), 'TLSv1.3');
});

test('an expired certificate fails with verifyCode 10', async (t) => {
  const error = await clientFailure(t, 'expired', createDefaultContext({ ca: testCerts().ca }));
  t.true(error instanceof SSLCertVerificationError);
  t.like(error, { code: 'CERT_HAS_EXPIRED', verifyCode: 10, verifyMessage: 'certificate has expired' });
});

test('CERT_NONE on the client accepts even a self-signed certificate', async (t) => {
  const trusting = new TLSContext('client', { checkHostname: false, verifyMode: CERT_NONE });
  const { server, client } = wrapPair(t, socketpair(), { serverContext: testContexts().serverContext, clientContext: trusting });
  await handshakeAll([server, client]);
  t.is(client.getpeercert()?.subject['CN'], 'localhost');
});

test('a plain-text peer fails the handshake with SSLError WRONG_VERSION_NUMBER', async (t) => {
  const [plain, b] = socketpair();
  closing(t, plain);
  const client = closing(t, testContexts().clientContext.wrapSocket(b, { serverHostname: 'localhost', doHandshakeOnConnect: false }));
  t.throws(() => client.doHandshake(), { instanceOf: SSLWantReadError });
  plain.send('HTTP/1.1 400 Bad Request\r\n\r\n');
  const error = await handshakeFailure(client);
  t.true(error instanceof SSLError);
  t.false(error instanceof SSLCertVerificationError);
  t.like(error, { code: 'ERR_SSL_WRONG_VERSION_NUMBER', reason: 'WRONG_VERSION_NUMBER', library: 'SSL' });
});

test('a server that gets plain text instead of a ClientHello fails with an SSLError', async (t) => {
  const [a, plain] = socketpair();
  closing(t, plain);
  const server = closing(t, testContexts().serverContext.wrapSocket(a, { serverSide: true, doHandshakeOnConnect: false }));
  plain.send('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  const error = await handshakeFailure(server);
  t.true(error instanceof SSLError);
  t.regex((error as SSLError).reason, /HTTP_REQUEST|WRONG_VERSION_NUMBER/);
});

test('a peer that leaves mid-handshake gives SSLEOFError for a FIN and ConnectionResetError for an RST', async (t) => {
  for (const [leave, expected] of [
    [(end: Socket) => end.shutdown(SHUT_WR), 'SSLEOFError'],
    [(end: Socket) => end.close(), 'ConnectionResetError'],
  ] as const) {
    const [a, b] = socketpair();
    closing(t, a);
    const client = closing(t, testContexts().clientContext.wrapSocket(b, { serverHostname: 'localhost', doHandshakeOnConnect: false }));
    t.throws(() => client.doHandshake(), { instanceOf: SSLWantReadError });
    // The ClientHello is unread at `a`: closing it resets the connection, as the kernel does.
    leave(a);
    const failure = await handshakeFailure(client);
    t.is((failure as Error).name, expected);
    if (expected === 'SSLEOFError') t.true(failure instanceof SSLEOFError);
  }
});

test('a CERT_REQUIRED server refuses a client without a certificate and accepts one signed by its CA', async (t) => {
  const certs = testCerts();
  const strict = testContexts({ verifyMode: CERT_REQUIRED, ca: certs.ca });
  const refused = wrapPair(t, socketpair(), strict);
  t.true((await handshakeFailure(refused.server, refused.client)) instanceof SSLError);
  const withCert = testContexts({ verifyMode: CERT_REQUIRED, ca: certs.ca }, { cert: certs.client.cert, key: certs.client.key });
  const { server, client } = wrapPair(t, socketpair(), withCert);
  await handshakeAll([server, client]);
  t.is(server.getpeercert()?.subject['CN'], 'switchboard test client');
});

test('a CERT_OPTIONAL server accepts no client certificate but refuses one it cannot verify', async (t) => {
  const certs = testCerts();
  const optional = { verifyMode: CERT_OPTIONAL, ca: certs.ca } as const;
  const anonymous = await handshakenPair(t, testContexts(optional));
  t.is(anonymous.server.getpeercert(), null);
  const untrusted = wrapPair(t, socketpair(), testContexts(optional, { cert: certs.selfSigned.cert, key: certs.selfSigned.key }));
  t.true((await handshakeFailure(untrusted.server, untrusted.client)) instanceof SSLCertVerificationError);
});

test('TLS configuration mistakes are ValueErrors raised before any I/O', (t) => {
  const [a, b] = socketpair();
  t.teardown(() => {
    a.close();
    b.close();
  });
  const client = createDefaultContext();
  t.throws(() => client.wrapSocket(a), { instanceOf: ValueError, message: 'checkHostname requires serverHostname' });
  t.throws(() => client.wrapSocket(a, { serverSide: true }), { instanceOf: ValueError, message: /client context for the server side/ });
  t.throws(() => (client.verifyMode = CERT_NONE), { instanceOf: ValueError });
  client.checkHostname = false;
  client.verifyMode = CERT_NONE;
  client.checkHostname = true;
  const modeNow = (): number => client.verifyMode;
  t.is(modeNow(), CERT_REQUIRED);
  t.throws(() => new TLSContext('server').secureContext(), { instanceOf: ValueError, message: /without a certificate/ });
  t.throws(() => new TLSContext('server', { cert: 'x' }), { instanceOf: ValueError });
  t.throws(() => client.setAlpnProtocols(['']), { instanceOf: ValueError });
  t.throws(() => client.loadVerifyLocations({}), { instanceOf: ValueError });
  t.throws(() => createDefaultContext({ purpose: 'server', cafile: testCerts().caFile }).wrapSocket(b, { serverSide: false }), { instanceOf: ValueError });
});

test('SSL errors are OSErrors as in Python, and the want errors are also would-block', (t) => {
  const wantRead = new SSLWantReadError();
  for (const error of [wantRead, new SSLWantWriteError()]) {
    t.true(error instanceof SSLError);
    t.true(error instanceof BlockingIOError);
    t.is(error.code, 'EAGAIN');
  }
  t.is(wantRead.sslErrno, 2);
  t.false(wantRead instanceof SSLCertVerificationError);
  t.false(new SSLError('ERR_SSL', 'x', { reason: 'X' }) instanceof SSLWantReadError);
  t.false(new OSError('EPIPE') instanceof SSLError);
  const zero = new SSLZeroReturnError();
  t.true(zero instanceof SSLError);
  t.is(zero.sslErrno, 6);
  t.is(new SSLEOFError().sslErrno, 8);
  // node:tls errors map by code; socket errors stay what they are.
  t.like(sslErrorFrom(Object.assign(new Error('alert'), { code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', library: 'SSL routines', reason: 'tlsv1 alert unknown ca' }), false), {
    reason: 'TLSV1_ALERT_UNKNOWN_CA',
    library: 'SSL',
  });
  t.like(sslErrorFrom(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), true), { name: 'ConnectionResetError' });
  t.like(sslErrorFrom('odd', false), { name: 'SSLError', code: 'ERR_SSL' });
});
