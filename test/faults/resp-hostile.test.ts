// Hostile RESP input: negative and huge bulk lengths, arrays nested past the limit, an inline line
// that never ends, a bulk string that never ends. Each gets redis-server's error and a close, and the
// bytes the server holds for that connection (its bufferedBytes, not the heap) stay under the limit
// that applies, sampled after every chunk, on the parser and on a real loopback server.
import test from 'ava';
import { connect } from 'node:net';
import { RespParser, RespProtocolError } from '../../src/protocols/resp/resp-parser.js';
import { RespServerProtocol } from '../../src/protocols/resp/resp-server.js';
import { RespStore } from '../../src/protocols/resp/store.js';
import type { RespLimits } from '../../src/protocols/resp/resp-limits.js';
import { serveForTest } from '../helpers/reactor-server.js';

const LIMITS: Partial<RespLimits> = { maxInlineBytes: 1024, maxBulkBytes: 4096, maxArrayLength: 64, maxDepth: 4, maxQueryBytes: 8192 };
const CHUNK = 100;

interface Hostile {
  readonly what: string;
  readonly input: Buffer;
  readonly error: string;
  /** The most the connection may hold for this input, from the limits above. */
  readonly bound: number;
  /** redis-server's reply before it closes; none for a query buffer over its limit (it only logs). */
  readonly reply?: string;
}

const HOSTILE: readonly Hostile[] = [
  { what: 'a negative bulk length', input: Buffer.from(`*1\r\n$-5\r\n${'x'.repeat(5000)}`), error: 'Protocol error: invalid bulk length', bound: 0 },
  {
    what: 'a huge bulk length',
    input: Buffer.from(`*1\r\n$99999999999\r\n${'x'.repeat(20_000)}`),
    error: 'Protocol error: invalid bulk length',
    bound: 1024,
  },
  { what: 'arrays nested past maxDepth', input: Buffer.from('*1\r\n'.repeat(1000)), error: "Protocol error: expected '$', got '*'", bound: 1024 },
  { what: 'an inline line that never ends', input: Buffer.from('SET k '.padEnd(100_000, 'v')), error: 'Protocol error: too big inline request', bound: 1024 },
  {
    what: 'a bulk string that runs past its length',
    input: Buffer.from(`*1\r\n$4096\r\n${'b'.repeat(10_000)}`),
    error: 'Protocol error: expected CRLF after bulk string',
    bound: 4096 + 2,
  },
  {
    // Every bulk string and the array are within their own limits; together they are not.
    what: 'a command of many bulk strings past maxQueryBytes',
    input: Buffer.from(`*64\r\n${`$4000\r\n${'q'.repeat(4000)}\r\n`.repeat(64)}`),
    error: 'Closing client that reached max query buffer length',
    bound: 8192 + CHUNK,
    reply: '',
  },
  {
    what: 'an array longer than maxArrayLength',
    input: Buffer.from(`*65\r\n${'$1\r\na\r\n'.repeat(65)}`),
    error: 'Protocol error: invalid multibulk length',
    bound: 1024,
  },
];

const chunksOf = (input: Buffer): Buffer[] => Array.from({ length: Math.ceil(input.length / CHUNK) }, (_, i) => input.subarray(i * CHUNK, (i + 1) * CHUNK));

/**
 * The chunks up to the one the parser fails on. A client sends no more than that over TCP: bytes
 * still unread when the server closes would make its close a reset (as on Linux, as redis-server's
 * would), and the reset could overtake the error reply.
 */
function untilFailure(input: Buffer): Buffer[] {
  const parser = new RespParser(LIMITS);
  const sent: Buffer[] = [];
  for (const chunk of chunksOf(input)) {
    sent.push(chunk);
    try {
      parser.feed(chunk, () => {});
    } catch {
      break;
    }
  }
  return sent;
}

for (const hostile of HOSTILE) {
  test(`RespParser holds no more than its limit for ${hostile.what}`, (t) => {
    const parser = new RespParser(LIMITS);
    let peak = 0;
    let failure: unknown;
    for (const chunk of chunksOf(hostile.input)) {
      try {
        parser.feed(chunk, () => t.fail('no command is complete'));
      } catch (error) {
        failure = error;
      }
      peak = Math.max(peak, parser.bufferedBytes);
    }
    t.true(failure instanceof RespProtocolError);
    t.is(failure instanceof Error ? failure.message : '', hostile.error);
    t.true(peak <= hostile.bound, `held ${peak} bytes, bound ${hostile.bound}`);
    t.is(parser.bufferedBytes, 0, 'a failed parser holds nothing');
  });
}

test('RespParser counts the bulk strings of an unfinished array and lets them go once it is complete', (t) => {
  const parser = new RespParser({ ...LIMITS, maxQueryBytes: 1 << 20 });
  const element = `$4096\r\n${'e'.repeat(4096)}\r\n`;
  parser.feed(Buffer.from(`*3\r\n${element}${element}$4096\r\n${'e'.repeat(100)}`), () => t.fail());
  // Counted as allocated: at least the payload, at most twice it (the arena doubles) plus 8 bytes an offset.
  t.true(parser.bufferedBytes >= 2 * 4096 + 100 && parser.bufferedBytes <= 2 * (2 * 4096 + 100) + 3 * 8, `held ${parser.bufferedBytes}`);
  let commands = 0;
  parser.feed(Buffer.from(`${'e'.repeat(3996)}\r\n`), () => {
    commands += 1;
  });
  t.is(commands, 1);
  t.is(parser.bufferedBytes, 0);
});

test('a RESP server over TCP answers each hostile input with the error and closes, holding no more than its limit', async (t) => {
  const protocols: RespServerProtocol[] = [];
  let peak = 0;
  const store = new RespStore();
  const server = await serveForTest(() => ({
    buildProtocol: () => {
      const protocol = new RespServerProtocol(store, { limits: LIMITS });
      const received = protocol.dataReceived.bind(protocol);
      protocol.dataReceived = (data) => {
        received(data);
        peak = Math.max(peak, protocol.bufferedBytes);
      };
      protocols.push(protocol);
      return protocol;
    },
  }));
  t.teardown(() => server.stop());
  for (const hostile of HOSTILE) {
    peak = 0;
    const reply = await new Promise<string>((resolve, reject) => {
      const client = connect(server.port, '127.0.0.1');
      let got = '';
      client.on('data', (d: Buffer) => {
        got += d.toString('latin1');
      });
      client.on('close', () => resolve(got));
      client.on('error', reject);
      client.on('connect', () => {
        for (const chunk of untilFailure(hostile.input)) client.write(chunk);
      });
    });
    t.is(reply, hostile.reply ?? `-ERR ${hostile.error}\r\n`, hostile.what);
    t.true(peak <= hostile.bound, `${hostile.what}: held ${peak} bytes, bound ${hostile.bound}`);
  }
  t.is(protocols.length, HOSTILE.length);
});
