// The hostile suite against `serve resp`: an unfinished 1,048,576-element array on several
// connections, PXAT 2^63-1 then PTTL, one MGET amplifying a large value, 100,000 pipelined
// commands, resets at random moments, and bad numbers in every numeric argument.
import test from 'ava';
import { BOUNDS } from './bounds.js';
import { amplifiedMget, command, pipelinedPings, unfinishedArrays } from './attacks.js';
import { NODE_NET_RESP } from './peers.js';
import { fdsOf, openMany, underAttack, within } from './harness.js';
import { attackTests } from './attack-table.js';
import { checkSample, countAnswers, resetAtRandom, serverFor, settledFds, statusOf } from './attack-helpers.js';

const RESP = { server: 'resp' } as const;

attackTests([
  { title: 'resp: four connections holding an unfinished 1,048,576-element array cost at most twice redis-server', spec: RESP, attack: (server) => unfinishedArrays(server, 4), bound: BOUNDS.unfinishedArray },
  { title: 'resp: one MGET of a 4 MiB value 100 times, never read, holds the value once', spec: RESP, attack: amplifiedMget, expected: true, bound: BOUNDS.mgetAmplified },
  { title: 'resp: 100,000 pipelined PINGs in one write are all answered', spec: RESP, attack: pipelinedPings, expected: 100_000, bound: BOUNDS.pipelinedResp, reference: NODE_NET_RESP },
]);

test.serial('resp: SET ... PXAT 9223372036854775807 then PTTL answers the exact integer and loses no reply', async (t) => {
  t.timeout(60_000);
  const server = await serverFor(t, { server: 'resp' });
  const [socket] = await openMany(server, 1);
  if (socket === undefined) return t.fail('no connection');
  let got = '';
  socket.on('data', (chunk: Buffer) => (got += chunk.toString('latin1')));
  // Four replies end in five CRLFs (the bulk reply has two).
  const replies = countAnswers(socket, '\r\n', 5);
  socket.write(command('SET', 'a', '1') + command('SET', 'k', 'v', 'PXAT', '9223372036854775807') + command('PTTL', 'k') + command('GET', 'a'));
  t.true((await within(replies, 10_000, -1)) >= 5, got);
  const [okA, okK, pttl, , one] = got.split('\r\n');
  t.is(okA, '+OK');
  t.is(okK, '+OK');
  t.regex(pttl ?? '', /^:9223\d{15}$/, 'PTTL is 2^63-1 minus now, exactly (above 2^53)');
  t.is(one, '1');
  // Every later client asking gets the same exact answer (the key is not poisoned).
  t.regex(await statusOf(server, command('PTTL', 'k'), /^:\d+\r\n/), /^:9223\d{15}\r\n$/);
  t.true(server.alive());
});

test.serial('resp: 300 connections reset at random moments leave no descriptor behind', async (t) => {
  t.timeout(120_000);
  const server = await serverFor(t, { server: 'resp' });
  const script = Buffer.from(command('SET', 'x', 'y'.repeat(1000)) + command('GET', 'x') + '*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$100000\r\n' + 'q'.repeat(5000));
  let base = 0;
  let after = 0;
  const sample = await underAttack(server, async () => {
    base = fdsOf(server.pid);
    await resetAtRandom(server, script, 300, 7);
    after = await settledFds(server, base, BOUNDS.resets.fdsAfter);
  });
  checkSample(t, server, sample, { rssMiB: BOUNDS.resets.rssMiB });
  t.true(after - base <= BOUNDS.resets.fdsAfter, `${after - base} descriptors left`);
});

/** Commands with huge, negative and non-numeric values where RESP reads a number. */
const BAD_NUMBERS = [
  // redis-server ignores a multibulk length <= 0 and answers what follows.
  `*-5\r\n${command('PING')}`,
  '*99999999999999999999\r\n',
  '*1\r\n$-5\r\n',
  '*1\r\n$99999999999999999999\r\n',
  '*1\r\n$abc\r\n',
  command('SET', 'k', 'v', 'EX', '-1'),
  command('SET', 'k', 'v', 'EX', '0'),
  command('SET', 'k', 'v', 'EX', '99999999999999999999'),
  command('SET', 'k', 'v', 'EX', '9223372036854775807'),
  command('SET', 'k', 'v', 'PX', 'abc'),
  command('SET', 'k', 'v', 'PX', '1e3'),
  command('SET', 'k', 'v', 'PXAT', '-9223372036854775809'),
  command('EXPIRE', 'k', '9223372036854775807'),
  command('PEXPIRE', 'k', '-9223372036854775808'),
  command('INCRBY', 'n', '9223372036854775807') + command('INCRBY', 'n', '9223372036854775807'),
  command('INCRBY', 'n', 'NaN'),
  command('DECRBY', 'n', '-9223372036854775808'),
  command('SELECT', '99999999999999999999'),
  command('SELECT', '-1'),
  command('SCAN', '-1'),
  command('SCAN', '99999999999999999999999'),
  command('SCAN', '0', 'COUNT', '-1'),
  command('SCAN', '0', 'COUNT', '99999999999999999999'),
];

test.serial('resp: huge, negative and non-numeric numbers are answered with an error or a value, and nothing breaks', async (t) => {
  t.timeout(120_000);
  const server = await serverFor(t, { server: 'resp' });
  const answers: string[] = [];
  let base = 0;
  let after = 0;
  const sample = await underAttack(server, async () => {
    base = fdsOf(server.pid);
    for (const request of BAD_NUMBERS) answers.push(await statusOf(server, request, /^[-+:$*_][^\r]*\r\n/));
    after = await settledFds(server, base, BOUNDS.badNumbers.fdsAfter);
  });
  const unanswered = BAD_NUMBERS.map((request, i) => [JSON.stringify(request.slice(0, 60)), answers[i] ?? '']).filter(([, answer]) => !/^[-+:$*_]/.test(answer ?? ''));
  t.deepEqual(unanswered, [], 'each gets a reply (redis answers every one of them)');
  checkSample(t, server, sample, { rssMiB: BOUNDS.badNumbers.rssMiB });
  t.true(after - base <= BOUNDS.badNumbers.fdsAfter, `${after - base} descriptors left`);
});
