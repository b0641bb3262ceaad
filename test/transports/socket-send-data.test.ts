// What send() takes (issue 13 item 10): the bytes of any ArrayBufferView, its byteOffset and
// byteLength honoured; a TypeError naming the argument for anything else, before a byte is queued.
// And a settimeout longer than one timer holds (2^31-1 ms) does not fire at once.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { select } from '../../src/reactor/select.js';
import type { Socket } from '../../src/transports/socket.js';
import { tcpConnection } from '../helpers/sockets.js';

/** Everything `sock` receives until `count` bytes have come (bounded: 10 s per wait). */
async function receive(t: ExecutionContext, sock: Socket, count: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let received = 0;
  while (received < count) {
    const [readable] = await select([sock], [], [], 10);
    if (readable.length === 0) return t.fail(`only ${received} of ${count} bytes arrived in 10 s`) ?? Buffer.alloc(0);
    const part = sock.recv(count - received);
    if (part.length === 0) break;
    parts.push(part);
    received += part.length;
  }
  return Buffer.concat(parts);
}

function bytesOfView(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

test('send takes the bytes of every ArrayBufferView, its offset and length honoured', async (t) => {
  const { client, server } = await tcpConnection(t);
  const backing = new ArrayBuffer(64);
  new Uint8Array(backing).forEach((_, index, all) => (all[index] = index));
  const views: ArrayBufferView[] = [
    new Uint16Array([0x0102, 0x0304, 0xfffe]),
    new Float64Array([Math.PI, -0.5]).subarray(1),
    new DataView(backing, 5, 7),
    new Int32Array(backing, 8, 3),
    new Uint8ClampedArray(backing, 60, 4),
    new Uint8Array(backing, 1, 3),
  ];
  for (const view of views) {
    t.is(client.send(view), view.byteLength, view.constructor.name);
    t.deepEqual(await receive(t, server, view.byteLength), bytesOfView(view), view.constructor.name);
  }
  const float = new Float64Array([1.5, 2.5, 3.5]).subarray(1, 2);
  await client.sendall(float);
  t.deepEqual(await receive(t, server, 8), bytesOfView(float));
});

test('send, sendall and makefile().write raise TypeError naming the argument for what is not bytes', async (t) => {
  const { client, server } = await tcpConnection(t);
  const file = client.makefile();
  for (const bad of [12345, {}, null, undefined, true, new ArrayBuffer(4), [1, 2]]) {
    const label = String(bad);
    // The declared type rules these out; a JavaScript caller can still pass them.
    const input = bad as unknown as string;
    const error = t.throws(() => client.send(input), { instanceOf: TypeError }, label);
    t.regex(error?.message ?? '', /^send\(\) argument 'data' must be a bytes-like object or a string, not '\w+'$/, label);
    await t.throwsAsync(client.sendall(input), { instanceOf: TypeError, message: /sendall\(\) argument 'data'/ }, label);
    await t.throwsAsync(file.write(input), { instanceOf: TypeError, message: /write\(\) argument 'data'/ }, label);
  }
  t.throws(() => client.send(12345 as unknown as string), { message: "send() argument 'data' must be a bytes-like object or a string, not 'number'" });
  t.throws(() => client.send({} as unknown as string), { message: "send() argument 'data' must be a bytes-like object or a string, not 'Object'" });
  // Nothing was queued by the bad calls: the peer receives only what follows.
  t.is(client.send('ok'), 2);
  await file.write('!');
  await file.flush();
  t.is((await receive(t, server, 3)).toString(), 'ok!');
});

test('A bad argument is reported before the closed socket is: TypeError first, as CPython parses arguments first', (t) => {
  return tcpConnection(t).then(({ client }) => {
    client.close();
    t.throws(() => client.send(null as unknown as string), { instanceOf: TypeError });
    t.throws(() => client.send('x'), { code: 'EBADF' });
  });
});

test('settimeout(30 days) does not time a wait out at once (a timer holds at most 2^31-1 ms)', async (t) => {
  const { client, server } = await tcpConnection(t);
  server.settimeout(30 * 24 * 3600);
  let outcome = 'pending';
  const waiting = server.recvAsync(10).then(
    (data) => (outcome = `data ${data.toString()}`),
    (error: unknown) => (outcome = `error ${String(error)}`),
  );
  // Node runs an overflowing setTimeout after 1 ms; this 20 ms timer runs after it in every case
  // (timers fire in the order of their expiry), so a timer that overflowed has fired by now.
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.is(outcome, 'pending');
  client.send('late');
  await waiting;
  t.is(outcome, 'data late');
});
