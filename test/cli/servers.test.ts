// The serve flags that wrap every server: --read-limit / --write-limit throttle each connection of
// any server kind (serve and serve --workers both build through SERVERS), 0 means no limit.
import test from 'ava';
import { EchoProtocol } from '../../src/protocols/apps/echo.js';
import { Throttle } from '../../src/protocols/throttle.js';
import { parseFlags } from '../../src/cli/flags.js';
import { SERVE_HELP } from '../../src/cli/serve-command.js';
import { SERVERS, SERVE_FLAGS } from '../../src/cli/servers.js';
import { ManualScheduler } from '../../src/testing/index.js';

const flagsOf = (...args: string[]) => parseFlags(args, SERVE_FLAGS).flags;

test('--read-limit and --write-limit throttle every connection of every server', (t) => {
  const scheduler = new ManualScheduler();
  for (const [name, kind] of Object.entries(SERVERS)) {
    for (const args of [['--read-limit', '1000'], ['--write-limit=2000'], ['--read-limit', '1', '--write-limit', '1']]) {
      const protocol = kind.build(flagsOf(...args), scheduler).buildProtocol(['127.0.0.1', 1]);
      t.true(protocol instanceof Throttle, `${name} ${args.join(' ')}`);
    }
  }
});

test('a limit of 0 or none leaves the server unthrottled', (t) => {
  const scheduler = new ManualScheduler();
  for (const args of [[], ['--read-limit', '0', '--write-limit', '0']]) {
    const protocol = SERVERS['echo']?.build(flagsOf(...args, '--idle-timeout', '0'), scheduler).buildProtocol(['127.0.0.1', 1]);
    t.true(protocol instanceof EchoProtocol);
  }
});

test('throttling needs a scheduler that tells the time', (t) => {
  const clockless = { callLater: (s: number, fn: () => void) => new ManualScheduler().callLater(s, fn) };
  t.throws(() => SERVERS['discard']?.build(flagsOf('--read-limit', '10'), clockless), { instanceOf: TypeError, message: /clock/ });
});

test('serve --help documents the throttle and back-off flags', (t) => {
  for (const flag of ['--read-limit N', '--write-limit N', '--accept-backoff S']) t.true(SERVE_HELP.includes(flag), flag);
  t.throws(() => flagsOf('--read-limit', 'fast'), { message: "--read-limit takes a whole number (0 or more), got 'fast'" });
});
