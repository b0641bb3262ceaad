// examples/09-dead-peer-timeout.ts: a peer that stops talking without closing is detected by the
// timeout of recvAsync (TimeoutError), unlike one that closes (b'' at once).
import test from 'ava';
import { OSError, select } from '../../src/index.js';
import { connectedPeer, listenTo, listenUntilSilent, main } from '../../examples/09-dead-peer-timeout.js';

test('A peer that never sends makes recvAsync raise TimeoutError (no errno) after the timeout', async (t) => {
  const { sock, close } = await connectedPeer();
  t.teardown(close);
  const heard = await listenTo(sock, 0.1);
  if (heard.kind !== 'dead') return t.fail(`expected a dead peer, heard ${heard.kind}`);
  t.true(heard.error instanceof OSError);
  t.is(heard.error.code, 'ETIMEDOUT');
  // Python's socket.timeout: no errno, the text 'timed out'.
  t.is(heard.error.errno, null);
  t.is(heard.error.message, 'timed out');
  t.is(sock.gettimeout(), 0.1);
});

test('A peer that talks and then falls silent: what it said, then "dead"', async (t) => {
  const { sock, peer, close } = await connectedPeer();
  t.teardown(close);
  await peer.sendall('one two');
  await select([sock], [], [], 10); // wait for the words to arrive: the timeout is for the silence after
  const { said, end } = await listenUntilSilent(sock, 0.1);
  t.is(said.toString(), 'one two');
  t.is(end, 'dead');
  // The connection itself is fine: the peer was only silent, and is heard when it talks again.
  await peer.sendall('back');
  const heard = await listenTo(sock, 10); // a live peer: returns as soon as the data is there
  t.is(heard.kind === 'data' ? heard.data.toString() : heard.kind, 'back');
});

test('A peer that closes is EOF at once, not a timeout', async (t) => {
  const { sock, peer, close } = await connectedPeer();
  t.teardown(close);
  peer.close();
  t.deepEqual(await listenTo(sock, 10), { kind: 'eof' }); // returns when the FIN arrives
});

test('An error other than the timeout is not mistaken for a dead peer', async (t) => {
  const { sock, close } = await connectedPeer();
  t.teardown(close);
  sock.close();
  await t.throwsAsync(listenTo(sock, 0.1), { instanceOf: OSError, code: 'EBADF' });
});

test('main tells the silent peer from the one that hung up', async (t) => {
  const lines: string[] = [];
  t.deepEqual(await main(['0.1'], (line) => lines.push(line)), ['dead', 'eof']);
  t.deepEqual(lines, [
    'the peer said "still here\\n", then nothing for 0.1 s: presumed dead',
    'a peer that closes is heard at once: eof',
  ]);
  await t.throwsAsync(main(['0'], () => {}), { instanceOf: RangeError });
});
