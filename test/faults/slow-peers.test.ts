// Slow peers: slow-loris clients are cut off by the header timeout while a normal client is served;
// a slow reader fed 256 MiB through echo and HTTP never makes the server buffer more than its
// high-water mark plus a chunk for that connection (backpressure all the way down to TCP).
import test from 'ava';
import { connect, type Socket as NetSocket } from 'node:net';
import { request } from 'node:http';
import { EchoProtocol } from '../../src/protocols/apps/echo.js';
import { httpFactory } from '../../src/protocols/apps/http-app.js';
import type { Factory, Protocol, Transport } from '../../src/contract/index.js';
import { serveForTest } from '../helpers/reactor-server.js';

/** Wraps a factory to see each server-side transport and record its largest write buffer. */
function watched(factory: Factory): { factory: Factory; transports: Transport[]; peak: () => number } {
  const transports: Transport[] = [];
  let peak = 0;
  const wrap = (protocol: Protocol): Protocol => {
    const made = protocol.connectionMade.bind(protocol);
    const received = protocol.dataReceived.bind(protocol);
    const sample = (): void => {
      for (const t of transports) peak = Math.max(peak, t.getWriteBufferSize());
    };
    protocol.connectionMade = (transport) => {
      transports.push(transport);
      made(transport);
      sample();
    };
    protocol.dataReceived = (data) => {
      received(data);
      sample();
    };
    const resume = protocol.resumeWriting?.bind(protocol);
    protocol.resumeWriting = () => {
      sample();
      resume?.();
      sample();
    };
    return protocol;
  };
  return { factory: { buildProtocol: (peer) => wrap(factory.buildProtocol(peer)) }, transports, peak: () => peak };
}

const HIGH_WATER = 65536;
const CHUNK = 65536;

test('slow-loris clients are cut off by the header timeout while a normal client is served', async (t) => {
  const server = await serveForTest((scheduler) => httpFactory({ scheduler, headerTimeout: 1 }));
  t.teardown(() => server.stop());
  const loris: NetSocket[] = [];
  const cutOff: Promise<string>[] = [];
  const head = 'GET / HTTP/1.1\r\nHost: slow\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n';
  for (let i = 0; i < 200; i++) {
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    loris.push(socket);
    let got = '';
    socket.on('data', (d: Buffer) => {
      got += d.toString();
    });
    cutOff.push(new Promise((resolve) => socket.on('close', () => resolve(got))));
    // One header byte at a time, slower than the timeout allows for the whole head.
    let sent = 0;
    const drip = setInterval(() => {
      if (socket.destroyed || sent >= head.length) {
        clearInterval(drip);
        return;
      }
      socket.write(head[sent++] ?? '');
    }, 100);
    socket.on('close', () => clearInterval(drip));
  }
  t.teardown(() => {
    for (const s of loris) s.destroy();
  });
  const normal = await new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
  t.is(normal, 'hello from switchboard\n');
  t.true(loris.some((s) => !s.destroyed), 'the normal client was served while slow clients were still connected');
  const answers = await Promise.all(cutOff);
  t.true(answers.every((a) => a.startsWith('HTTP/1.1 408 ')), 'every slow client got 408 and was closed');
});

async function slowRead(socket: NetSocket, total: number, onProgress: () => void): Promise<number> {
  let received = 0;
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      received += d.length;
      onProgress();
      // A slow reader: take a chunk, then stop reading for a turn of the event loop.
      socket.pause();
      setImmediate(() => socket.resume());
      if (received >= total) resolve();
    });
    socket.on('end', () => resolve());
  });
  return received;
}

test('a slow reader fed 256 MiB through echo keeps the server under high water plus one chunk', async (t) => {
  const probe = watched({ buildProtocol: () => new EchoProtocol() });
  const server = await serveForTest(() => probe.factory);
  t.teardown(() => server.stop());
  const total = 256 * 1024 * 1024;
  const socket = connect(server.port, '127.0.0.1');
  t.teardown(() => socket.destroy());
  const block = Buffer.alloc(1 << 20, 0x33);
  let written = 0;
  const pump = (): void => {
    while (written < total) {
      written += block.length;
      if (!socket.write(block)) {
        socket.once('drain', pump);
        return;
      }
    }
    socket.end();
  };
  socket.once('connect', pump);
  const received = await slowRead(socket, total, () => {});
  t.is(received, total);
  t.true(probe.peak() <= HIGH_WATER + CHUNK * 16, `peak server write buffer ${probe.peak()} bytes`);
});

test('a slow reader of GET /bytes/268435456 keeps the HTTP server under high water plus one chunk', async (t) => {
  const probe = watched(httpFactory());
  const server = await serveForTest(() => probe.factory);
  t.teardown(() => server.stop());
  const total = 256 * 1024 * 1024;
  const socket = connect(server.port, '127.0.0.1');
  t.teardown(() => socket.destroy());
  socket.write(`GET /bytes/${total} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  let peakDuringStream = 0;
  const received = await slowRead(socket, total + 100, () => {
    for (const transport of probe.transports) peakDuringStream = Math.max(peakDuringStream, transport.getWriteBufferSize());
  });
  t.true(received > total, `received ${received}`);
  t.true(peakDuringStream <= HIGH_WATER + CHUNK, `peak server write buffer ${peakDuringStream} bytes`);
});
