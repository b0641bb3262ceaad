// The client libraries people use, with their default options, against this server: ioredis
// (INFO ready check), node-redis (HELLO 3: RESP3 by default) and redis-py 4.3.4 (Debian's
// python3-redis, run with /usr/bin/python3). Each connects with a client name and database 1,
// pipelines, runs a transaction, iterates SCAN, and carries on after the server restarts.
import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { RestartableResp } from './redis-peer.js';

/** Resolves once `check` holds, polling on the event loop (no guessed sleep); fails after `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error('The condition did not hold in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('ioredis with its defaults: ready check, name, database 1, pipeline, transaction, scan stream, reconnect', async (t) => {
  t.timeout(60_000);
  const server = await RestartableResp.start(t);
  const client = new Redis({ host: '127.0.0.1', port: server.port, connectionName: 'ioredis-app', db: 1 });
  t.teardown(() => client.disconnect());
  await once(client, 'ready');
  t.is(await client.client('GETNAME'), 'ioredis-app');
  t.is(await client.set('k', 'v'), 'OK');
  t.deepEqual(
    await client.pipeline().set('a', '1').incr('a').get('a').exec(),
    [
      [null, 'OK'],
      [null, 2],
      [null, '2'],
    ],
  );
  t.deepEqual(await client.multi().append('a', 'x').strlen('a').type('a').exec(), [
    [null, 2],
    [null, 2],
    [null, 'string'],
  ]);
  await client.mset(...Array.from({ length: 50 }, (_, i) => [`s${i}`, String(i)]).flat());
  const scanned = new Set<string>();
  for await (const keys of client.scanStream({ match: 's*', count: 7 })) for (const key of keys as string[]) scanned.add(key);
  t.is(scanned.size, 50);
  await client.select(0);
  t.is(await client.get('k'), null, 'database 0 is another keyspace');
  await client.select(1);

  server.stop();
  await server.start();
  // ioredis reconnects by itself, selects database 1 and sets the name again.
  await eventually(async () => (await client.set('after', 'restart')) === 'OK');
  t.is(await client.client('GETNAME'), 'ioredis-app');
  t.is(await client.dbsize(), 1, 'the restarted server started empty and the write went to database 1');
});

test('node-redis with its defaults (RESP3 HELLO): name, database 1, pipeline, transaction, scan iterator, reconnect', async (t) => {
  t.timeout(60_000);
  const server = await RestartableResp.start(t);
  const client = createClient({ socket: { host: '127.0.0.1', port: server.port }, name: 'node-redis-app', database: 1 });
  const errors: unknown[] = [];
  client.on('error', (error: unknown) => errors.push(error));
  await client.connect();
  t.teardown(() => client.destroy());
  t.is(await client.clientGetName(), 'node-redis-app');
  const hello: unknown = await client.sendCommand(['HELLO']);
  t.is(JSON.stringify(hello).includes('"proto",3') || JSON.stringify(hello).includes('"proto":3'), true, `node-redis speaks RESP3: ${JSON.stringify(hello)}`);
  t.is(await client.get('missing'), null);
  const [set, incr, get] = await Promise.all([client.set('a', '1'), client.incr('a'), client.get('a')]);
  t.deepEqual([set, incr, get], ['OK', 2, '2']);
  t.deepEqual(await client.multi().set('b', 'x').append('b', 'yz').get('b').exec(), ['OK', 3, 'xyz']);
  await client.mSet(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`s${i}`, String(i)])));
  const scanned = new Set<string>();
  for await (const batch of client.scanIterator({ MATCH: 's*', COUNT: 7 })) for (const key of [batch].flat()) scanned.add(String(key));
  t.is(scanned.size, 50);

  server.stop();
  await server.start();
  await eventually(async () => (await client.set('after', 'restart')) === 'OK');
  t.is(await client.clientGetName(), 'node-redis-app');
  t.is(await client.dbSize(), 1);
  t.true(errors.length > 0, 'the client saw the restart');
});

const REDIS_PY = String.raw`
import json, sys, redis
port = int(sys.argv[1])
r = redis.Redis(host='127.0.0.1', port=port, db=1, client_name='redis-py-app')
out = {}
out['ping'] = r.ping()
out['name'] = r.client_getname()
r.set('k', 'v')
with r.pipeline(transaction=False) as p:
    out['pipeline'] = p.set('a', 1).incr('a').get('a').execute()
with r.pipeline() as p:
    out['transaction'] = p.append('b', 'x').strlen('b').type('b').execute()
r.mset({'s%d' % i: i for i in range(50)})
out['scan'] = len(set(r.scan_iter(match='s*', count=7)))
def bump(pipe):
    value = int(pipe.get('a'))
    pipe.multi()
    pipe.set('a', value + 1)
out['watched'] = r.transaction(bump, 'a')
out['a'] = r.get('a')
print(json.dumps(out, default=lambda b: b.decode('latin1') if isinstance(b, bytes) else str(b)), flush=True)
sys.stdin.readline()
after = {}
after['set'] = r.set('after', 'restart')
after['name'] = r.client_getname()
after['dbsize'] = r.dbsize()
print(json.dumps(after, default=lambda b: b.decode('latin1') if isinstance(b, bytes) else str(b)), flush=True)
`;

test('redis-py 4.3.4 (/usr/bin/python3) with its defaults: name, database 1, pipeline, transaction, scan_iter, reconnect', async (t) => {
  t.timeout(60_000);
  const server = await RestartableResp.start(t);
  const child = spawn('/usr/bin/python3', ['-c', REDIS_PY, String(server.port)], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.teardown(() => {
    if (child.exitCode === null) child.kill();
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  const exited = once(child, 'exit');
  const lines = async (count: number): Promise<string[]> => {
    while (stdout.split('\n').length <= count && child.exitCode === null) await once(child.stdout, 'data').then(([data]) => (stdout += String(data)));
    return stdout.split('\n');
  };
  child.stdout.on('data', () => {});
  const [first] = await lines(1);
  if (first === undefined || first === '') {
    await exited;
    t.fail(`redis-py failed (install python3-redis for /usr/bin/python3): ${stderr}`);
    return;
  }
  t.deepEqual(JSON.parse(first), {
    ping: true,
    name: 'redis-py-app',
    pipeline: [true, 2, '2'],
    transaction: [1, 1, 'string'],
    scan: 50,
    watched: [true],
    a: '3',
  });
  server.stop();
  await server.start();
  child.stdin.write('go\n');
  const [, second] = await lines(2);
  await exited;
  t.deepEqual(JSON.parse(second ?? 'null'), { set: true, name: 'redis-py-app', dbsize: 1 }, stderr);
});
