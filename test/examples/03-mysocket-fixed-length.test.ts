// examples/03-mysocket-fixed-length.ts: MySocket's loops over partial sends and receives, and the
// "socket connection broken" RuntimeError when recv returns 0 bytes mid-message.
import test from 'ava';
import { AF_INET, ConnectionError, SOL_SOCKET, SO_SNDBUF, type Socket, socket, socketpair } from '../../src/index.js';
import { MSGLEN, MySocket, RuntimeError, exchange, main, message } from '../../examples/03-mysocket-fixed-length.js';

async function connectedPair(t: import('ava').ExecutionContext): Promise<[MySocket, MySocket]> {
  const serversocket = socket(AF_INET);
  t.teardown(() => serversocket.close());
  serversocket.bind(['127.0.0.1', 0]);
  serversocket.listen(5);
  const address = serversocket.getsockname();
  const port = typeof address === 'string' ? 0 : address[1];
  const client = new MySocket();
  t.teardown(() => client.sock.close());
  const accepting = serversocket.acceptAsync();
  await client.connect('127.0.0.1', port);
  const [accepted] = await accepting;
  t.teardown(() => accepted.close());
  return [client, new MySocket(accepted)];
}

test('main echoes fixed-length messages intact through send and recv loops that go round many times', async (t) => {
  const lines: string[] = [];
  const report = await main(['3'], (line) => lines.push(line));
  t.true(report.isIntact);
  // With 4 KiB buffers no send() takes a whole 64 KiB message, and recv() asks for 2048 at most.
  for (const side of [report.client, report.server]) {
    t.true(side.sendCalls > 3 * 2, `${side.sendCalls} send calls`);
    t.true(side.recvCalls >= (3 * MSGLEN) / 2048, `${side.recvCalls} recv calls`);
  }
  t.is(lines[0], `3 messages of MSGLEN=${MSGLEN} bytes each way, echoed intact`);
  t.regex(lines[1] ?? '', /^client: \d+ send\(\) calls, \d+ recv\(\) calls$/);
});

test('exchange keeps messages apart: each echo is the message sent, in order', async (t) => {
  const report = await exchange(5);
  t.is(report.messages, 5);
  t.true(report.isIntact);
});

test('mysend loops over partial sends until the whole message is in the buffers', async (t) => {
  const [a, b] = socketpair();
  t.teardown(() => (a.close(), b.close()));
  a.setsockopt(SOL_SOCKET, SO_SNDBUF, 2304); // 4608 as Linux doubles it; what the peer has not read counts against it
  const sender = new MySocket(a);
  const receiver = new MySocket(b);
  const sending = sender.mysend(message(1));
  const received = await receiver.myreceive();
  await sending;
  t.true(received.equals(message(1)));
  t.true(receiver.recvCalls >= MSGLEN / 2048); // recv asks for 2048 at most, and gets what is there
  t.true(sender.sendCalls >= MSGLEN / 4608, `${sender.sendCalls} send calls`);
});

test('myreceive raises RuntimeError "socket connection broken" when the peer closes mid-message', async (t) => {
  const [client, server] = await connectedPair(t);
  await client.sock.sendall(message(2).subarray(0, MSGLEN / 2));
  client.sock.close();
  const error = await t.throwsAsync(server.myreceive(), { instanceOf: RuntimeError, message: 'socket connection broken' });
  t.is(error?.name, 'RuntimeError');
  t.is(server.recvCalls, MSGLEN / 2 / 2048 + 1); // the last recv returned b''
});

test('mysend to a peer that has closed fails with a ConnectionError, as in Python', async (t) => {
  const [client, server] = await connectedPair(t);
  server.sock.close();
  t.is((await client.sock.recvAsync(10)).length, 0); // its FIN arrived
  // As on Linux, the first message fits the (autotuned) send buffer and is accepted; the closed
  // peer answers it with an RST, so a later send fails. Bounded: 50 messages are under 4 MiB.
  await t.throwsAsync(
    async () => {
      for (let i = 0; i < 50; i++) {
        await client.mysend(message(3));
        await new Promise((resolve) => setImmediate(resolve)); // the RST arrives in an event-loop turn
      }
    },
    { instanceOf: ConnectionError },
  );
});

test('mysend refuses a message that is not MSGLEN bytes, and MySocket() makes its own INET socket', async (t) => {
  const own = new MySocket();
  t.teardown(() => own.sock.close());
  t.is(own.sock.family, AF_INET);
  const [a, b]: [Socket, Socket] = socketpair();
  t.teardown(() => (a.close(), b.close()));
  await t.throwsAsync(new MySocket(a).mysend(Buffer.from('short')), { instanceOf: RangeError });
});
