// The RESP server against a real redis-server 7.0.15, started by the test: the same seeded random
// commands, over every implemented command, with empty, binary and CRLF-containing keys and
// values, in RESP2 and RESP3, pipelined and one at a time, on two connections each (so WATCH sees
// another client's writes), and the replies compared byte for byte. The exceptions, each for a
// reason that makes equality impossible, not for a difference we chose:
// - KEYS and a full SCAN are compared as sets: the order of keys is each server's hash order.
//   CONFIG GET of several parameters as a set of pairs, for the same reason (redis's dict of
//   matches, hashed with a seed chosen at random when the process starts).
// - One SCAN step from an odd cursor ("", "+0", "\0"): the error, or that it is a 2-element array;
//   cursors are each server's own (hash buckets there, insertion order here).
// - TTL within 1 and PTTL within 1000: the two servers read their clocks at different moments.
// - HELLO's `id` and CLIENT ID: ids count the connections each server has seen.
// - INFO: the text describes each process (pid, memory); only its type is compared.
// - CLIENT SETINFO is not sent: redis 7.0 refuses it and we accept it, on purpose (see connection-commands.ts).
// - COMMAND is not sent: ours lists only our commands, with the fields clients read (redis-cli
//   falls back to its own help), and CONFIG GET only with the parameters we report (a glob would
//   match hundreds in redis).
// - QUIT is sent once, at the end, on a connection of its own: it closes the connection.
// - SET with an expiry already past is not sent: redis keeps such a key until its next expiry
//   cycle, so DBSIZE right after it depends on timing in redis itself.
import test, { type ExecutionContext } from 'ava';
import { seededRandom } from '../../helpers/splits.js';
import { RawConnection, startRedisServer, startSwitchboardResp } from './redis-peer.js';
import { encodeRespCommand } from '../../../src/testing/index.js';

/** Commands sent per run (the issue asks for at least 20,000). */
const COMMANDS = 30_000;
/** A failure is replayed with RESP_DIFF_SEED=<the seed it logs>. */
const SEED = Number(process.env['RESP_DIFF_SEED'] ?? 20_261_206);

type Check = 'exact' | 'set' | 'pairs' | 'ttl' | 'hello' | 'type-only' | 'scan-step';

interface Generated {
  readonly args: Buffer[];
  readonly check: Check;
}

const b = (text: string): Buffer => Buffer.from(text, 'latin1');

class CommandMaker {
  readonly #next: () => number;
  readonly #now = Date.now();
  /** Whether each connection is inside MULTI, as both servers agree it is. */
  readonly inMulti = [false, false];

  constructor(seed: number) {
    this.#next = seededRandom(seed);
  }

  int(low: number, high: number): number {
    return low + Math.floor(this.#next() * (high - low + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new RangeError('Empty choice');
    return item;
  }

  chance(p: number): boolean {
    return this.#next() < p;
  }

  key(): Buffer {
    if (this.chance(0.2)) return b(`r${this.int(0, 40)}`);
    return b(this.pick(['', 'k', 'key:1', 'a\r\nb', '\x00\xff', 'n', 'counter', '*', ' sp ']));
  }

  value(): Buffer {
    if (this.chance(0.01)) return Buffer.alloc(this.int(65_536, 100_000), this.int(0, 255));
    if (this.chance(0.2)) return Buffer.from(Array.from({ length: this.int(0, 300) }, () => this.int(0, 255)));
    return b(this.pick(['', 'v', '0', '1', '-5', '10', '9223372036854775807', '-9223372036854775808', '99999999999999999999', 'a b', 'x\r\ny', '\x00\x01\xff', '3.5', ' 1', '007']));
  }

  keys(low: number, high: number): Buffer[] {
    return Array.from({ length: this.int(low, high) }, () => this.key());
  }

  setOptions(): string[] {
    const options: string[] = [];
    if (this.chance(0.2)) options.push(this.pick(['NX', 'XX', 'nx']));
    if (this.chance(0.2)) options.push('GET');
    const expire = this.int(0, 9);
    if (expire === 1) options.push('EX', String(this.int(100, 1_000_000)));
    if (expire === 2) options.push('PX', String(this.int(100_000, 1_000_000_000)));
    if (expire === 3) options.push('EXAT', String(Math.floor(this.#now / 1000) + this.int(1000, 1_000_000)));
    if (expire === 4) options.push('PXAT', this.pick(['9223372036854775807', String(this.#now + this.int(1_000_000, 1_000_000_000))]));
    if (expire === 5) options.push(this.pick(['KEEPTTL', 'EX', 'PX 0', 'EX -1', 'EX abc', 'EX 9223372036854775807', 'BOGUS']));
    return options.flatMap((option) => option.split(' '));
  }

  /** One command for connection `conn`, with how its reply is compared. */
  command(conn: number): Generated {
    const inMulti = this.inMulti[conn] === true;
    const exact = (...args: (string | Buffer)[]): Generated => ({ args: args.map((arg) => (typeof arg === 'string' ? b(arg) : arg)), check: 'exact' });
    const roll = this.int(0, 99);
    if (roll < 14) return exact('SET', this.key(), this.value(), ...this.setOptions());
    if (roll < 24) return exact('GET', this.key());
    if (roll < 28) return exact('MGET', ...this.keys(1, 6));
    if (roll < 31) return exact('MSET', ...this.keys(1, 3).flatMap((key) => [key, this.value()]), ...(this.chance(0.1) ? [b('odd')] : []));
    if (roll < 36) return exact(this.pick(['INCR', 'DECR']), this.key());
    if (roll < 39) return exact(this.pick(['INCRBY', 'DECRBY']), this.key(), this.pick(['1', '-1', '0', '100', '9223372036854775807', '-9223372036854775808', 'x', '1.5']));
    if (roll < 43) return exact('APPEND', this.key(), this.value());
    if (roll < 45) return exact('STRLEN', this.key());
    if (roll < 47) return exact('TYPE', this.key());
    if (roll < 51) return exact(this.pick(['DEL', 'EXISTS']), ...this.keys(1, 4));
    if (roll < 55) {
      const flags = this.pick([[], [], ['NX'], ['XX'], ['GT'], ['LT'], ['NX', 'XX'], ['GT', 'LT'], ['foo']]);
      const seconds = this.chance(0.1) ? -1 : this.int(100, 1_000_000);
      return this.chance(0.5) ? exact('EXPIRE', this.key(), String(seconds), ...flags) : exact('PEXPIRE', this.key(), String(seconds * 1000 + this.int(0, 999)), ...flags);
    }
    if (roll < 57) return exact('PERSIST', this.key());
    if (roll < 60 && !inMulti) return { args: [b(this.pick(['TTL', 'PTTL'])), this.key()], check: 'ttl' };
    if (roll < 62 && !inMulti) return { args: [b('KEYS'), b(this.pick(['*', 'k*', '*e*', '?', 'r[0-9]*', '[', '\\*', 'a\r\nb', 'r1?']))], check: 'set' };
    if (roll < 64) return exact('DBSIZE');
    if (roll < 66) return exact('SELECT', this.pick(['0', '1', '2', '15', '16', '-1', 'x']));
    if (roll < 67) return exact('SWAPDB', this.pick(['0', '1', '15']), this.pick(['0', '1', '16', 'x']));
    if (roll < 68 && this.chance(0.15)) return exact(this.pick(['FLUSHDB', 'FLUSHALL']), ...(this.chance(0.2) ? [this.pick(['ASYNC', 'sync', 'bad'])] : []));
    if (roll < 72) return exact('WATCH', ...this.keys(1, 3));
    if (roll < 73) return exact('UNWATCH');
    if (roll < 77) {
      this.inMulti[conn] = true;
      return exact('MULTI');
    }
    if (roll < 81) {
      this.inMulti[conn] = false;
      return exact(this.pick(['EXEC', 'EXEC', 'DISCARD']));
    }
    if (roll < 83 && !inMulti) return { args: [b('HELLO'), ...(this.chance(0.9) ? [b(this.pick(['2', '3', '3', '4', 'x']))] : [])], check: 'hello' };
    if (roll < 85 && !inMulti) {
      const sub = this.int(0, 3);
      if (sub === 0) return exact('CLIENT', 'SETNAME', this.pick(['app', '', 'a b', 'n\xe9']));
      if (sub === 1) return exact('CLIENT', 'GETNAME');
      if (sub === 2) return { args: [b('CLIENT'), b('ID')], check: 'type-only' };
      return exact('CLIENT', this.pick(['NOSUCH', 'GETNAME']), ...(this.chance(0.5) ? [b('x')] : []));
    }
    if (roll < 86 && !inMulti) return { args: [b('INFO'), ...(this.chance(0.5) ? [b(this.pick(['keyspace', 'server', 'clients', 'memory']))] : [])], check: 'type-only' };
    if (roll < 90) return exact('PING', ...(this.chance(0.3) ? [this.value()] : []));
    if (roll < 92) return exact('ECHO', this.value());
    if (roll < 93 && !inMulti) return { args: [b('SCAN'), b(this.pick(['0', '', '\x00\x01', ' 1', '+0', '-0', '18446744073709551616', 'x', '1x']))], check: 'scan-step' };
    if (roll < 94) return exact('NOSUCH', this.value());
    if (roll < 95) {
      const names = Array.from({ length: inMulti ? 1 : this.int(1, 3) }, () => b(this.pick(['save', 'appendonly', 'databases', 'maxmemory', 'MAXMEMORY-POLICY', 'proto-max-bulk-len', 'nosuch'])));
      return { args: [b('CONFIG'), b('GET'), ...names], check: 'pairs' };
    }
    return exact(this.pick(['GET', 'SET', 'APPEND', 'STRLEN', 'TYPE', 'EXPIRE', 'SELECT', 'MSET', 'WATCH']));
  }
}

/** The integer of a `:n` reply, or undefined. */
function integerOf(reply: Buffer): bigint | undefined {
  const text = reply.toString('latin1');
  return /^:-?\d+\r\n$/.test(text) ? BigInt(text.slice(1, -2)) : undefined;
}

/** The bulk strings of a flat aggregate reply (an array, or a map of bulk strings), in order. */
function elementsOf(reply: Buffer): string[] {
  const text = reply.toString('latin1');
  const items: string[] = [];
  let at = text.indexOf('\r\n') + 2;
  while (at < text.length) {
    const end = text.indexOf('\r\n', at);
    const length = Number(text.slice(at + 1, end));
    items.push(text.slice(end + 2, end + 2 + length));
    at = end + 2 + length + 2;
  }
  return items;
}

/** The elements of a flat array of bulk strings, sorted, as one string with the array's header. */
function sortedElements(reply: Buffer): string {
  return `${reply.toString('latin1', 0, reply.indexOf('\r\n'))} ${JSON.stringify(elementsOf(reply).sort())}`;
}

/** A map reply (or RESP2's flat array of pairs) as its header and its pairs, sorted. */
function sortedPairs(reply: Buffer): string {
  const items = elementsOf(reply);
  const pairs = Array.from({ length: items.length / 2 }, (_, i) => `${items[2 * i]}=${items[2 * i + 1]}`).sort();
  return `${reply.toString('latin1', 0, reply.indexOf('\r\n'))} ${JSON.stringify(pairs)}`;
}

/** Whether our reply equals redis's under `check`'s rule (see the file comment). */
function isSame(check: Check, command: readonly Buffer[], ours: Buffer, theirs: Buffer): boolean {
  if (check === 'exact') return ours.equals(theirs);
  if (check === 'set') return sortedElements(ours) === sortedElements(theirs);
  if (check === 'pairs') return sortedPairs(ours) === sortedPairs(theirs);
  // One SCAN step: the cursors and the keys in a step are each server's own; errors must match.
  if (check === 'scan-step') return ours[0] === 0x2d || theirs[0] === 0x2d ? ours.equals(theirs) : ours.subarray(0, 4).equals(theirs.subarray(0, 4));
  if (check === 'type-only') return ours[0] === theirs[0] || (ours[0] === 0x24 && theirs[0] === 0x3d);
  if (check === 'hello') {
    const mask = (reply: Buffer): string => reply.toString('latin1').replace(/(\$2\r\nid\r\n:)\d+/, '$1N');
    return mask(ours) === mask(theirs);
  }
  const a = integerOf(ours);
  const c = integerOf(theirs);
  if (a === undefined || c === undefined || a < 0n || c < 0n) return ours.equals(theirs);
  const tolerance = command[0]?.toString().toUpperCase() === 'PTTL' ? 1000n : 1n;
  return (a > c ? a - c : c - a) <= tolerance;
}

interface Side {
  readonly name: string;
  readonly connections: RawConnection[];
}

async function fullScan(connection: RawConnection, options: readonly string[]): Promise<Buffer> {
  let cursor = '0';
  const keys: Buffer[] = [];
  for (let round = 0; round < 100_000; round++) {
    const [reply] = await connection.request(encodeRespCommand(['SCAN', cursor, ...options]), 1);
    if (reply === undefined || reply[0] !== 0x2a) return reply ?? Buffer.alloc(0);
    const text = reply.toString('latin1');
    const lines = text.split('\r\n');
    cursor = lines[2] ?? '0';
    const listAt = text.indexOf('*', 4);
    const elements = sortedElements(reply.subarray(listAt));
    keys.push(...(JSON.parse(elements.slice(elements.indexOf(' ') + 1)) as string[]).map(b));
    if (cursor === '0') break;
  }
  return b(JSON.stringify(keys.map((key) => key.toString('latin1')).sort()));
}

test('the same 30,000 seeded random commands get the same replies from this server and redis-server 7.0.15', async (t: ExecutionContext) => {
  t.timeout(120_000);
  const redis = await startRedisServer(t);
  const ourPort = await startSwitchboardResp(t);
  const sides: Side[] = [
    { name: 'switchboard', connections: await Promise.all([RawConnection.open(ourPort), RawConnection.open(ourPort)]) },
    { name: 'redis-server', connections: await Promise.all([RawConnection.open(redis.port), RawConnection.open(redis.port)]) },
  ];
  t.teardown(() => sides.forEach((side) => side.connections.forEach((connection) => connection.close())));
  const maker = new CommandMaker(SEED);
  const counts = { commands: 0, batches: 0, pipelined: 0, scans: 0, differences: 0 };
  const differences: string[] = [];
  /** The last commands sent, shown with the first difference: what led to it. */
  const recent: string[] = [];
  const show = (args: readonly Buffer[]): string => args.map((arg) => JSON.stringify(arg.length > 40 ? `${arg.toString('latin1', 0, 40)}...(${arg.length})` : arg.toString('latin1'))).join(' ');
  while (counts.commands < COMMANDS) {
    const conn = maker.int(0, 1);
    if (!maker.inMulti.includes(true) && maker.chance(0.02)) {
      const options = [...(maker.chance(0.5) ? ['MATCH', maker.pick(['*', 'r*', 'k?y*', '*\r\n*'])] : []), ...(maker.chance(0.5) ? ['COUNT', String(maker.pick([1, 2, 10, 1000]))] : []), ...(maker.chance(0.3) ? ['TYPE', maker.pick(['string', 'list', 'none'])] : [])];
      const [ours, theirs] = await Promise.all(sides.map((side) => fullScan(side.connections[conn] as RawConnection, options)));
      counts.scans += 1;
      counts.commands += 1;
      if (ours === undefined || theirs === undefined || !ours.equals(theirs)) differences.push(`full SCAN ${options.join(' ')}: ours ${String(ours)} redis ${String(theirs)}`);
      continue;
    }
    const size = maker.chance(0.3) ? 1 : maker.int(2, 40);
    const batch = Array.from({ length: size }, () => maker.command(conn));
    const data = Buffer.concat(batch.map((command) => encodeRespCommand(command.args)));
    const [ours, theirs] = await Promise.all(sides.map((side) => (side.connections[conn] as RawConnection).request(data, size)));
    counts.batches += 1;
    counts.commands += size;
    if (size > 1) counts.pipelined += size;
    batch.forEach((command, i) => {
      const a = ours?.[i];
      const c = theirs?.[i];
      recent.push(`[${conn}] ${show(command.args)} -> ${JSON.stringify(c?.toString('latin1').slice(0, 60))}`);
      if (recent.length > 60) recent.shift();
      if (a === undefined || c === undefined || !isSame(command.check, command.args, a, c)) {
        const before = differences.length === 0 ? `after:\n${recent.join('\n')}\n` : '';
        differences.push(`${before}${show(command.args)}\n  ours:  ${JSON.stringify(a?.toString('latin1').slice(0, 300))}\n  redis: ${JSON.stringify(c?.toString('latin1').slice(0, 300))}`);
      }
    });
    if (differences.length > 20) break;
  }
  const quits = await Promise.all(
    [ourPort, redis.port].map(async (port) => {
      const connection = await RawConnection.open(port);
      const replies = await connection.request(Buffer.concat([encodeRespCommand(['PING']), encodeRespCommand(['QUIT']), encodeRespCommand(['PING'])]), 2);
      const closed = await connection.request(Buffer.alloc(0), 1).then(
        () => 'open',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      return `${replies.map(String).join('')} then ${closed}`;
    }),
  );
  t.is(quits[0], quits[1], 'QUIT');
  counts.commands += 3;
  counts.differences = differences.length;
  t.log(`seed ${SEED}: ${JSON.stringify(counts)}`);
  t.deepEqual(differences, []);
  t.true(counts.commands >= 20_000);
});
