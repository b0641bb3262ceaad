// The RESP server on real loopback sockets, driven by the project's reactor: a raw node:net client
// sending pipelined batches, a client that stops reading (backpressure), and redis-cli and
// redis-benchmark (required: the test fails, saying what to install, without them).
import test, { type ExecutionContext } from 'ava';
import { execFile, execFileSync } from 'node:child_process';
import * as net from 'node:net';
import { promisify } from 'node:util';
import { SelectorReactor } from '../../../src/reactor/selector-reactor.js';
import { listenTCP } from '../../../src/transports/endpoints.js';
import { respFactory } from '../../../src/protocols/resp/resp-server.js';

const run = promisify(execFile);
/** A safety bound on each exchange, so a broken server fails the test instead of hanging it. */
const EXCHANGE_TIMEOUT_MS = 10_000;

/** Serves a fresh store on 127.0.0.1 and a free port until the test ends; returns the port. */
async function serve(t: ExecutionContext): Promise<number> {
  const reactor = new SelectorReactor();
  const factory = respFactory({ scheduler: { callLater: (seconds, fn) => reactor.callLater(seconds, fn) } });
  const listening = await listenTCP(reactor, 0, factory, { host: '127.0.0.1' });
  const running = reactor.run();
  t.teardown(async () => {
    listening.stopListening();
    factory.server.close();
    reactor.stop();
    await running;
  });
  const address = listening.address;
  if (typeof address === 'string') throw new TypeError(`Expected a TCP address, got ${address}`);
  return address[1];
}

interface Exchange {
  readonly received: Buffer;
  /** True if the server closed the connection. */
  readonly isClosed: boolean;
}

/** Sends `data`, then reads until `expectedBytes` have come or the server closes. */
function exchange(port: number, data: string | Buffer, expectedBytes: number, options: { pauseFirst?: boolean } = {}): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let received = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`Timed out with ${received} of ${expectedBytes} bytes`));
    }, EXCHANGE_TIMEOUT_MS);
    const finish = (isClosed: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ received: Buffer.concat(chunks), isClosed });
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received >= expectedBytes) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('error', reject);
    if (options.pauseFirst === true) {
      // Read nothing until everything is sent, so the server's write buffer fills first.
      socket.pause();
      socket.write(data, () => socket.resume());
    } else {
      socket.write(data);
    }
  });
}

const command = (...args: string[]): string => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

test('a node:net client gets a pipelined batch answered in order, then QUIT closes', async (t) => {
  const port = await serve(t);
  const batch = ['PING\r\n', command('SET', 'k', 'v'), command('GET', 'k'), 'INCR n\r\nINCR n\r\n', command('MGET', 'k', 'n', 'none'), 'DEL k\r\nQUIT\r\nPING\r\n'].join('');
  const expected = '+PONG\r\n+OK\r\n$1\r\nv\r\n:1\r\n:2\r\n*3\r\n$1\r\nv\r\n$1\r\n2\r\n$-1\r\n:1\r\n+OK\r\n';
  const { received, isClosed } = await exchange(port, batch, Number.POSITIVE_INFINITY);
  t.is(received.toString('latin1'), expected);
  t.true(isClosed);
});

test('a protocol error over a socket gets redis\'s reply, then the server closes', async (t) => {
  const port = await serve(t);
  const { received, isClosed } = await exchange(port, 'PING\r\n*1\r\n$-5\r\n', Number.POSITIVE_INFINITY);
  t.is(received.toString('latin1'), '+PONG\r\n-ERR Protocol error: invalid bulk length\r\n');
  t.true(isClosed);
});

test('a client that reads nothing until it has sent 32 GETs of 1 MiB still gets every byte, in order', async (t) => {
  const port = await serve(t);
  const value = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < value.length; i++) value[i] = (i * 31) & 0xff;
  const set = Buffer.concat([Buffer.from(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${value.length}\r\n`), value, Buffer.from('\r\n')]);
  const reply = Buffer.concat([Buffer.from(`$${value.length}\r\n`), value, Buffer.from('\r\n')]);
  const data = Buffer.concat([set, Buffer.from('GET big\r\n'.repeat(32))]);
  const { received } = await exchange(port, data, 5 + 32 * reply.length, { pauseFirst: true });
  t.is(received.length, 5 + 32 * reply.length);
  t.true(received.subarray(0, 5).equals(Buffer.from('+OK\r\n')));
  for (let i = 0; i < 32; i++) {
    const start = 5 + i * reply.length;
    if (!received.subarray(start, start + reply.length).equals(reply)) {
      t.fail(`reply ${i} differs`);
      return;
    }
  }
});

function installed(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('redis-cli and redis-benchmark run against the server', async (t) => {
  const port = await serve(t);
  // A missing prerequisite fails, saying what to install: a skipped check would pass for nothing.
  for (const tool of ['redis-cli', 'redis-benchmark']) {
    if (!installed(tool)) {
      t.fail(`${tool} is not installed: apt-get install redis-tools (or redis-server) provides it`);
      return;
    }
  }
  const cli = async (...args: string[]): Promise<string> => (await run('redis-cli', ['-p', String(port), ...args], { timeout: 10_000 })).stdout.trim();
  t.is(await cli('ping'), 'PONG');
  t.is(await cli('set', 'foo', 'bar'), 'OK');
  t.is(await cli('get', 'foo'), 'bar');
  t.is(await cli('incr', 'counter'), '1');
  const { stdout } = await run('redis-benchmark', ['-p', String(port), '-n', '2000', '-c', '4', '-P', '8', '-t', 'ping,set,get,incr,mset', '--csv'], { timeout: 60_000 });
  const tests = stdout
    .split('\n')
    .slice(1)
    .filter((line) => line.length > 0)
    .map((line) => line.split(',')[0]);
  t.deepEqual(tests, ['"PING_INLINE"', '"PING_MBULK"', '"SET"', '"GET"', '"INCR"', '"MSET (10 keys)"']);
  t.log(stdout.trim());
});
