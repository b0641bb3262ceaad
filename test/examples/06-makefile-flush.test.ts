// examples/06-makefile-flush.ts: a request written to a makefile() but not flushed gets no reply
// (shown with a short timeout); flushed, it does.
import test from 'ava';
import { TimeoutError, socketpair } from '../../src/index.js';
import { LineServer, ask, askWithoutFlush, main, showTrapAndFix } from '../../examples/06-makefile-flush.js';

test('The trap: without flush the reply never comes and the server has received nothing; flush fixes it', async (t) => {
  const outcome = await showTrapAndFix(0.2);
  const error = outcome.trapError;
  if (!(error instanceof TimeoutError)) return t.fail(`expected a TimeoutError, got ${String(error)}`);
  t.is(error.code, 'ETIMEDOUT');
  t.deepEqual(outcome.receivedDuringTrap, []);
  t.is(outcome.replyAfterFlush, 'you said: are you there?\n');
  t.is(outcome.reply, 'you said: and now?\n');
});

test('main prints the trap and the fix', async (t) => {
  const lines: string[] = [];
  await main([], (line) => lines.push(line));
  t.deepEqual(lines, [
    'write without flush, then readline: TimeoutError: timed out',
    '  the server had received []: the request was still in our buffer',
    'flush, then readline: "you said: are you there?\\n"',
    'write, flush, readline: "you said: and now?\\n"',
  ]);
});

test('ask writes, flushes and reads the reply; the server answers every line until EOF', async (t) => {
  const [a, b] = socketpair();
  t.teardown(() => (a.close(), b.close()));
  const server = new LineServer(b);
  const f = a.makefile();
  t.is(await ask(f, 'one'), 'you said: one\n');
  t.is(await ask(f, 'two'), 'you said: two\n');
  a.shutdown(1);
  await server.done;
  t.deepEqual(server.received, ['one', 'two']);
  t.is(server.error, undefined);
});

test('A request as big as the write buffer goes out without flush: the trap bites small writes', async (t) => {
  const [a, b] = socketpair();
  t.teardown(() => (a.close(), b.close()));
  const server = new LineServer(b);
  const f = a.makefile({ bufferSize: 64 });
  const question = 'q'.repeat(64);
  t.is(await askWithoutFlush(f, question), `you said: ${question}\n`);
  t.deepEqual(server.received, [question]);
});
