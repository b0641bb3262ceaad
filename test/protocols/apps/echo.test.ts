// The echo server: every byte back, half-close after the client's, and backpressure all the way to
// TCP when the client does not read its echoes.
import test from 'ava';
import { connect } from 'node:net';
import { EchoProtocol, discardFactory } from '../../../src/protocols/apps/echo.js';
import type { Transport } from '../../../src/contract/index.js';
import { serveForTest } from '../../helpers/reactor-server.js';

test('echo returns every byte and half-closes after the client half-closes', async (t) => {
  const server = await serveForTest(() => ({ buildProtocol: () => new EchoProtocol() }));
  t.teardown(() => server.stop());
  const payload = Buffer.alloc(1 << 20);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
  const got = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
    socket.end(payload);
  });
  t.true(got.equals(payload));
});

test('echo stops reading while its client does not read, so the server holds a bounded amount', async (t) => {
  const transports: Transport[] = [];
  const server = await serveForTest(() => ({
    buildProtocol: () => {
      const echo = new EchoProtocol();
      const made = echo.connectionMade.bind(echo);
      echo.connectionMade = (transport) => {
        transports.push(transport);
        made(transport);
      };
      return echo;
    },
  }));
  t.teardown(() => server.stop());
  const total = 32 << 20;
  const chunk = Buffer.alloc(64 << 10, 0x5a);
  const socket = connect(server.port, '127.0.0.1');
  t.teardown(() => socket.destroy());
  socket.pause();
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let written = 0;
  // Write until node:net itself holds a backlog: the server has stopped taking our bytes.
  while (written < total && socket.writableLength < 4 << 20) {
    socket.write(chunk);
    written += chunk.length;
  }
  await new Promise<void>((resolve) => {
    const check = (): void => {
      const transport = transports[0];
      if (transport !== undefined && !transport.isReading) resolve();
      else setImmediate(check);
    };
    check();
  });
  const transport = transports[0];
  t.truthy(transport);
  t.false(transport?.isReading, 'the echo paused reading');
  t.true((transport?.getWriteBufferSize() ?? 0) <= 2 << 20, `server holds ${transport?.getWriteBufferSize()} bytes`);
  t.true(written < total, 'the client was slowed down before sending everything');
  let received = 0;
  socket.on('data', (d: Buffer) => {
    received += d.length;
  });
  socket.resume();
  socket.end();
  await new Promise<void>((resolve) => socket.once('end', () => resolve()));
  t.is(received, written);
});

test('discard reads and drops everything', async (t) => {
  const server = await serveForTest(() => discardFactory());
  t.teardown(() => server.stop());
  const got = await new Promise<number>((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let n = 0;
    socket.on('data', (d: Buffer) => {
      n += d.length;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(n));
    socket.end(Buffer.alloc(100000));
  });
  t.is(got, 0);
});
