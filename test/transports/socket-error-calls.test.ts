// Errors say which call raised them, as Python's do (issue 16 step 5): a pending error (a refused
// connect, an RST) is raised by the call that takes it, with that call in `syscall` and Python's text.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import * as net from 'node:net';
import { once } from 'node:events';
import { BrokenPipeError, ConnectionRefusedError, ConnectionResetError, OSError } from '../../src/transports/errors.js';
import { select } from '../../src/reactor/select.js';
import { Socket } from '../../src/transports/socket.js';
import { newSocket, tcpConnection } from '../helpers/sockets.js';

/** A bound socket that never listens: a connect to it is refused. */
function refusingAddress(t: ExecutionContext): readonly [string, number] {
  const bound = newSocket(t);
  bound.bind(['127.0.0.1', 0]);
  const name = bound.getsockname();
  if (!Array.isArray(name)) throw new TypeError('an IP socket has a tuple address');
  return [name[0], name[1]];
}

/** Waits (bounded) until `sock` has a pending error: select()'s x-list. */
async function untilErrorPending(t: ExecutionContext, sock: Socket): Promise<void> {
  const [, , failed] = await select([], [], [sock], 10);
  t.deepEqual(failed, [sock], 'the error arrived within 10 s');
}

test('connectAsync to a closed port raises ConnectionRefusedError from connect, with Python\'s text', async (t) => {
  const client = newSocket(t);
  const error = await t.throwsAsync(client.connectAsync(refusingAddress(t)), { instanceOf: ConnectionRefusedError });
  t.is(error?.code, 'ECONNREFUSED');
  t.is(error?.errno, 111);
  t.is(error?.syscall, 'connect');
  t.is(error?.message, '[Errno 111] Connection refused');
  t.is(`${error?.name}: ${error?.message}`, 'ConnectionRefusedError: [Errno 111] Connection refused');
});

test('A refused connect taken by recv says recv; by SO_ERROR it is the errno alone', async (t) => {
  const client = newSocket(t);
  t.is(client.connectEx(refusingAddress(t)), 115);
  await untilErrorPending(t, client);
  const error = t.throws(() => client.recv(10), { instanceOf: ConnectionRefusedError });
  t.is(error?.syscall, 'recv');
});

test('send after an in-process peer closed raises BrokenPipeError from send', async (t) => {
  const { client, server } = await tcpConnection(t);
  server.close();
  // The peer's FIN first (recv gives b''), then our bytes meet its RST.
  await select([client], [], [], 10);
  t.is(client.recv(10).length, 0);
  t.is(client.send('x'), 1);
  await untilErrorPending(t, client);
  const error = t.throws(() => client.send('y'), { instanceOf: BrokenPipeError });
  t.is(error?.code, 'EPIPE');
  t.is(error?.syscall, 'send');
  t.is(error?.message, '[Errno 32] Broken pipe');
});

test('send after a node:net peer closed raises BrokenPipeError from send (the real kernel\'s RST)', async (t) => {
  const server = net.createServer((connection) => connection.destroy());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const address = server.address();
  if (address === null || typeof address === 'string') throw new TypeError('a TCP server has an address object');
  const client = newSocket(t);
  await client.connectAsync(['127.0.0.1', address.port]);
  await select([client], [], [], 10);
  t.is(client.recv(10).length, 0, 'the peer closed: EOF');
  // node:net reads nothing after the FIN, so it learns of the RST only when a later write fails:
  // send until one raises (bounded: 100 rounds of at most 0.1 s).
  let error: unknown;
  for (let round = 0; round < 100 && error === undefined; round += 1) {
    try {
      client.send('x');
      await select([], [], [client], 0.1);
    } catch (raised) {
      error = raised;
    }
  }
  t.true(error instanceof BrokenPipeError, String(error));
  if (error instanceof OSError) t.is(error.syscall, 'send');
});

test('An RST with unread data is raised by recv as ConnectionResetError from recv', async (t) => {
  const { client, server } = await tcpConnection(t);
  client.send('unread');
  await select([server], [], [], 10);
  server.close(); // data left unread: Linux sends an RST
  await untilErrorPending(t, client);
  const error = t.throws(() => client.recv(10), { instanceOf: ConnectionResetError });
  t.is(error?.syscall, 'recv');
  t.is(error?.message, '[Errno 104] Connection reset by peer');
  t.true(error instanceof OSError);
});
