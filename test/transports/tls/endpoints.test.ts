// listenTLS and connectTLS: the same factories and protocols as over TCP, driven by real clients
// (connectTLS itself, Node's https.request, openssl s_client), half-close under TLS, and each
// failure class reaching connectionLost as its typed error.
import test from 'ava';
import { spawn } from 'node:child_process';
import * as https from 'node:https';
import { Recorder, factoryOf } from '../../../src/conformance/recorder.js';
import { SelectorReactor } from '../../../src/reactor/selector-reactor.js';
import type { ListeningPort } from '../../../src/transports/endpoints.js';
import { listenTCP } from '../../../src/transports/endpoints.js';
import { SSLCertVerificationError, SSLError } from '../../../src/transports/tls/errors.js';
import { connectTLS, listenTLS } from '../../../src/transports/tls/endpoints-tls.js';
import { TLSContext, createDefaultContext } from '../../../src/transports/tls/tls-context.js';
import { echoFactory } from '../../../src/protocols/apps/echo.js';
import { httpFactory } from '../../../src/protocols/apps/http-app.js';
import type { Factory } from '../../../src/contract/index.js';
import { type Teardown, runUntilTeardown } from '../../helpers/running-reactor.js';
import { hasOpenSSL, testCerts } from '../../helpers/tls-certs.js';

interface Running {
  readonly reactor: SelectorReactor;
  readonly port: number;
  readonly listening: ListeningPort;
}


/** A running reactor with `factory` on listenTLS (the CA-signed localhost certificate), stopped at teardown. */
function serveTLS(t: Teardown, factory: Factory, pair: 'server' | 'selfSigned' | 'expired' = 'server'): Promise<Running> {
  const certs = testCerts();
  const context = new TLSContext('server', { cert: certs[pair].cert, key: certs[pair].key });
  return serve(t, (reactor) => listenTLS(reactor, 0, factory, { context }));
}

async function serve(t: Teardown, listen: (reactor: SelectorReactor) => Promise<ListeningPort>): Promise<Running> {
  const reactor = new SelectorReactor();
  const listening = await listen(reactor);
  runUntilTeardown(t, reactor, listening);
  const address = listening.address;
  return { reactor, listening, port: Array.isArray(address) ? address[1] : 0 };
}

test('connectTLS talks to a listenTLS echo server with the same echo protocol as TCP', async (t) => {
  const { reactor, port } = await serveTLS(t, echoFactory());
  const client = new Recorder();
  connectTLS(reactor, '127.0.0.1', port, factoryOf(client), { context: createDefaultContext({ ca: testCerts().ca }) });
  const transport = await client.made;
  const message = Buffer.alloc(200_000, 'tls ');
  transport.write(message);
  await client.receivedAtLeast(message.length);
  t.true(Buffer.concat(client.chunks).equals(message));
  transport.close();
  t.is(await client.lost, undefined);
});

test('writeEOF under TLS sends close_notify then FIN: the peer gets eofReceived and can still answer', async (t) => {
  const server = new Recorder({
    keepOpenOnEOF: true,
    onEOF: (transport) => {
      transport.write(new TextEncoder().encode('answer after EOF'));
      transport.writeEOF();
    },
  });
  const { reactor, port } = await serveTLS(t, factoryOf(server));
  const client = new Recorder({ keepOpenOnEOF: true });
  connectTLS(reactor, 'localhost', port, factoryOf(client), { context: createDefaultContext({ ca: testCerts().ca }) });
  const transport = await client.made;
  transport.write(new TextEncoder().encode('question'));
  transport.writeEOF();
  await server.eof;
  t.is(Buffer.concat(server.chunks).toString(), 'question');
  await client.eof;
  t.is(Buffer.concat(client.chunks).toString(), 'answer after EOF');
  t.is(await client.lost, undefined);
  t.deepEqual(client.events, ['made', 'eof', 'lost']);
});

test('connectTLS failures reach connectionLost typed: self-signed, unknown CA, host name mismatch, expired, plain-text server', async (t) => {
  const certs = testCerts();
  const cases = [
    { pair: 'selfSigned', context: createDefaultContext({ ca: certs.ca }), host: 'localhost', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
    { pair: 'server', context: createDefaultContext(), host: 'localhost', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
    { pair: 'server', context: createDefaultContext({ ca: certs.ca }), host: 'example.com', code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    { pair: 'expired', context: createDefaultContext({ ca: certs.ca }), host: 'localhost', code: 'CERT_HAS_EXPIRED' },
  ] as const;
  for (const { pair, context, host, code } of cases) {
    const { reactor, port } = await serveTLS(t, echoFactory(), pair);
    const client = new Recorder();
    connectTLS(reactor, '127.0.0.1', port, factoryOf(client), { context, serverHostname: host });
    const reason = await client.lost;
    t.true(reason instanceof SSLCertVerificationError, `${pair}/${host}: ${String(reason)}`);
    t.is((reason as SSLCertVerificationError).code, code);
  }
  const plain = await serve(t, (reactor) =>
    listenTCP(reactor, 0, {
      buildProtocol: () => ({
        connectionMade: (transport) => transport.write(new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n\r\n')),
        dataReceived() {},
        connectionLost() {},
      }),
    }),
  );
  const client = new Recorder();
  connectTLS(plain.reactor, '127.0.0.1', plain.port, factoryOf(client), { context: createDefaultContext({ ca: certs.ca }), serverHostname: 'localhost' });
  const reason = await client.lost;
  t.true(reason instanceof SSLError);
  t.is((reason as SSLError).reason, 'WRONG_VERSION_NUMBER');
});

test("listenTLS serves the http app to Node's https.request", async (t) => {
  const { port } = await serveTLS(t, httpFactory());
  const body = await new Promise<string>((resolve, reject) => {
    const request = https.request({ host: '127.0.0.1', port, path: '/', ca: testCerts().ca, servername: 'localhost', agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve(`${response.statusCode ?? 0} ${text}`));
    });
    request.on('error', reject);
    request.end();
  });
  t.is(body, '200 hello from switchboard\n');
});

test('listenTLS echo answers openssl s_client, which verifies it against the test CA', async (t) => {
  if (!hasOpenSSL()) {
    t.fail('openssl is not installed here: install the Debian package openssl (.ci/run installs it)');
    return;
  }
  const { port } = await serveTLS(t, echoFactory());
  const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', testCerts().caFile, '-verify_return_error', '-servername', 'localhost', '-quiet']);
  t.teardown(() => child.kill());
  child.stdin.write('echo through openssl\n');
  // The echo is awaited before stdin ends: s_client may leave at EOF before the answer is back.
  let output = '';
  for await (const chunk of child.stdout) {
    output += String(chunk);
    if (output.endsWith('\n')) break;
  }
  child.stdin.end();
  t.is(output, 'echo through openssl\n');
});
