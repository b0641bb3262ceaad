// Issue 13 items 3 and 5 over loopback: a client that posts 1 MiB bodies and never reads stops
// being read (TCP flow control), holding about one answer and one body; HEAD of a huge stream is
// answered at once.
import test from 'ava';
import type { Transport } from '../../../src/contract/index.js';
import { httpFactory } from '../../../src/protocols/apps/http-app.js';
import type { HttpServerProtocol } from '../../../src/protocols/http/http-server.js';
import { serveForTest } from '../../helpers/reactor-server.js';
import { connected, readResponses } from './raw-client.js';

interface Seen {
  protocol: HttpServerProtocol;
  transport: Transport | undefined;
}

/** Resolves once `condition()` holds, checking every 10 ms; rejects after `seconds` (a bound, not a guess of timing). */
function until(condition: () => boolean, seconds: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = setInterval(() => {
      if (condition()) {
        clearInterval(check);
        resolve();
      } else if (Date.now() - started > seconds * 1000) {
        clearInterval(check);
        reject(new Error(`Gave up waiting: ${what}`));
      }
    }, 10);
  });
}

test('HTTP server stops reading a client that posts 1 MiB bodies to /echo and never reads, holding about one answer and one body', async (t) => {
  const seen: Seen[] = [];
  const running = await serveForTest((scheduler) => {
    const inner = httpFactory({ scheduler });
    return {
      buildProtocol: (peer) => {
        const protocol = inner.buildProtocol(peer) as HttpServerProtocol;
        const entry: Seen = { protocol, transport: undefined };
        seen.push(entry);
        const made = protocol.connectionMade.bind(protocol);
        protocol.connectionMade = (transport) => {
          entry.transport = transport;
          made(transport);
        };
        return protocol;
      },
    };
  });
  t.teardown(() => running.stop());
  const socket = await connected(running.port);
  t.teardown(() => socket.destroy());
  socket.pause();
  const body = Buffer.alloc(1024 * 1024, 0x61);
  const request = Buffer.concat([Buffer.from(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
  for (let i = 0; i < 64; i++) socket.write(request);
  await until(() => seen[0]?.transport !== undefined && !seen[0].transport.isReading, 20, 'the server pauses reading');
  const [entry] = seen;
  const held = (entry?.protocol.bufferedBytes ?? 0) + (entry?.transport?.getWriteBufferSize() ?? 0);
  t.log(`held by the server: ${held} bytes (answers waiting in the write buffer, and the request bytes read)`);
  // Before the fix every body read was answered into the write buffer: 64 MiB and more.
  t.true(held <= 2 * body.length + 3 * 65536, `held ${held} bytes`);
});

test('HTTP server answers HEAD /bytes/1000000000000 at once, and the request behind it', async (t) => {
  const running = await serveForTest((scheduler) => httpFactory({ scheduler }));
  t.teardown(() => running.stop());
  const socket = await connected(running.port);
  t.teardown(() => socket.destroy());
  const reading = readResponses(socket, 31, (i) => i < 30);
  socket.write('HEAD /bytes/1000000000000 HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(30) + 'GET /bytes/5 HTTP/1.1\r\nHost: x\r\n\r\n');
  const responses = await reading;
  // HEAD answers carry the length and no body (readResponses reads HEAD answers as having none).
  t.deepEqual(
    responses.slice(0, 30).map((r) => r.headers.get('content-length')),
    Array.from({ length: 30 }, () => '1000000000000'),
  );
  t.is(responses[30]?.bodyLength, 5);
});
