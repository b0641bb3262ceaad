// NodeStreamEnd's cork: the one write of a corked dispatch is held back without corking node:net,
// and still counts as queued, keeps its place before later writes and goes out before a FIN.
import test, { type ExecutionContext } from 'ava';
import { once } from 'node:events';
import * as net from 'node:net';
import { NodeStreamEnd, type StreamEvents } from '../../src/transports/kernel/stream-end.js';

interface Ends {
  readonly end: NodeStreamEnd;
  readonly socket: net.Socket;
  /** Everything the peer received, once it read EOF. */
  readonly received: Promise<string>;
}

const quiet: StreamEvents = { data: () => {}, end: () => {}, error: () => {}, connect: () => {}, written: () => {} };

async function connected(t: ExecutionContext): Promise<Ends> {
  const server = net.createServer({ allowHalfOpen: true });
  t.teardown(() => server.close());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const accepted = once(server, 'connection');
  const socket = net.connect({ host: '127.0.0.1', port: address.port, allowHalfOpen: true });
  t.teardown(() => socket.destroy());
  await once(socket, 'connect');
  const [peer] = (await accepted) as [net.Socket];
  t.teardown(() => peer.destroy());
  const chunks: Buffer[] = [];
  peer.on('data', (chunk: Buffer) => chunks.push(chunk));
  const received = once(peer, 'end').then(() => Buffer.concat(chunks).toString());
  return { end: new NodeStreamEnd(socket, quiet, true), socket, received };
}

test('a write while corked is held, counted as queued, and sent on uncork', async (t) => {
  const { end, socket, received } = await connected(t);
  end.cork();
  end.write(Buffer.from('one'));
  t.is(end.queuedBytes, 3);
  t.is(socket.writableCorked, 0, 'a single write does not cork node:net');
  end.uncork();
  end.end();
  t.is(await received, 'one');
});

test('a second write while corked corks node:net behind the held one, in order', async (t) => {
  const { end, socket, received } = await connected(t);
  end.cork();
  end.write(Buffer.from('a'));
  end.write(Buffer.from('bc'));
  end.write(Buffer.from('def'));
  t.is(socket.writableCorked, 1);
  t.is(end.queuedBytes, 6);
  end.uncork();
  t.is(socket.writableCorked, 0);
  end.write(Buffer.from('g'));
  end.end();
  t.is(await received, 'abcdefg');
});

test('nested corks hold until the last uncork', async (t) => {
  const { end, received } = await connected(t);
  end.cork();
  end.cork();
  end.write(Buffer.from('x'));
  end.uncork();
  t.is(end.queuedBytes, 1, 'still held: one cork is left');
  end.uncork();
  end.uncork();
  end.end();
  t.is(await received, 'x');
});

test('end() and close() while corked send the held write before the FIN', async (t) => {
  const first = await connected(t);
  first.end.cork();
  first.end.write(Buffer.from('before end'));
  first.end.end();
  t.is(await first.received, 'before end');
  const second = await connected(t);
  second.end.cork();
  second.end.write(Buffer.from('before close'));
  second.end.close();
  t.is(await second.received, 'before close');
});

test('reset() drops the held write', async (t) => {
  const { end, socket } = await connected(t);
  end.cork();
  end.write(Buffer.from('dropped'));
  end.reset();
  t.is(end.queuedBytes, 0);
  t.true(socket.destroyed);
});
