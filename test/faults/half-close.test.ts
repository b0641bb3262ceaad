// A peer that half-closes and keeps reading: it sends its request, shuts down writing (a FIN), and
// must still receive the whole answer, which is still streaming when the FIN arrives. Real loopback
// sockets, node:net clients, and answers large enough to outlast the FIN.
import test from 'ava';
import { connect } from 'node:net';
import { EchoProtocol } from '../../src/protocols/apps/echo.js';
import { httpFactory } from '../../src/protocols/apps/http-app.js';
import { serveForTest } from '../helpers/reactor-server.js';

const MIB = 1024 * 1024;

interface Answer {
  readonly bytes: Buffer;
  /** How much had come back when our FIN had gone out (the 'finish' of our writing side). */
  readonly receivedAtShutdown: number;
}

/** Sends `request`, half-closes at once, and collects what comes back until the server's FIN. */
function sendThenShutWr(port: number, request: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let received = 0;
    let receivedAtShutdown = -1;
    client.on('data', (d: Buffer) => {
      chunks.push(d);
      received += d.length;
    });
    client.on('finish', () => {
      receivedAtShutdown = received;
    });
    client.on('end', () => {
      client.destroy();
      resolve({ bytes: Buffer.concat(chunks), receivedAtShutdown });
    });
    client.on('error', reject);
    // end() sends the FIN right behind the request: SHUT_WR while the answer is still to come.
    client.on('connect', () => client.end(request));
  });
}

test('echo: a client that sends 8 MiB and shuts down writing still receives all 8 MiB, then EOF', async (t) => {
  const server = await serveForTest(() => ({ buildProtocol: () => new EchoProtocol() }));
  t.teardown(() => server.stop());
  const payload = Buffer.alloc(8 * MIB);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 13) % 251;
  const { bytes: echoed, receivedAtShutdown } = await sendThenShutWr(server.port, payload);
  t.is(echoed.length, payload.length);
  t.true(echoed.equals(payload), 'every byte, in order');
  // The last bytes sat unread in kernel buffers when our FIN went out: their echo can only follow it.
  t.true(receivedAtShutdown >= 0 && receivedAtShutdown < payload.length, `${receivedAtShutdown} bytes back before the FIN`);
});

test('http: a request followed by SHUT_WR still gets its complete 8 MiB response, then the close', async (t) => {
  const server = await serveForTest((scheduler) => httpFactory({ scheduler }));
  t.teardown(() => server.stop());
  const size = 8 * MIB;
  const { bytes: response, receivedAtShutdown } = await sendThenShutWr(server.port, Buffer.from(`GET /bytes/${size} HTTP/1.1\r\nHost: half-close\r\n\r\n`));
  t.true(receivedAtShutdown >= 0 && receivedAtShutdown < size, 'the response was still to come when the FIN went out');
  const headEnd = response.indexOf('\r\n\r\n');
  const head = response.subarray(0, headEnd).toString('latin1');
  t.regex(head, /^HTTP\/1\.1 200 /);
  const body = response.subarray(headEnd + 4);
  const lengthHeader = /\r\ncontent-length: (\d+)/i.exec(head);
  if (lengthHeader !== null) {
    t.is(Number(lengthHeader[1]), size);
    t.is(body.length, size);
  } else {
    t.regex(head, /\r\ntransfer-encoding: chunked/i);
    t.true(body.subarray(-5).equals(Buffer.from('0\r\n\r\n')), 'the last chunk arrived');
  }
  // /bytes/<n> sends byte i as i % 251: check the body's start and that nothing was cut.
  t.is(body[0], 0);
  t.is(body[250], 250);
  t.is(body[251], 0);
});
