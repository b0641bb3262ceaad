// `serve --workers 2` through the built CLI: one answer whatever worker serves a client (resp
// refuses to split its store; chat is one room), global connection limits, and a primary whose
// workers keep dying exits non-zero so a supervisor notices.
import test from 'ava';
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { LineClient } from '../helpers/line-client.js';
import { CLI, launch } from './cli-process.js';

const execFileAsync = promisify(execFile);

test('serve resp --workers 2 refuses at start with one line saying why and what instead', async (t) => {
  const error = await t.throwsAsync(execFileAsync(process.execPath, [CLI, 'serve', 'resp', '--port', '0', '--workers', '2'], { timeout: 20000 }));
  const { code, stderr } = error as unknown as { code: number; stderr: string };
  t.is(code, 2);
  t.is(stderr.trim().split('\n').length, 1, stderr);
  t.regex(stderr, /store lives in one process/);
  t.regex(stderr, /one process per core.*own port.*real Redis/);
});

test('serve --help says, for every server, whether it holds shared state and what --workers does with it', async (t) => {
  const { stdout } = await execFileAsync(process.execPath, [CLI, 'serve', '--help']);
  for (const [name, says] of [
    ['echo', /no shared state/],
    ['discard', /no shared state/],
    ['http', /no shared state/],
    ['chat', /one room.*primary/],
    ['resp', /one store: refuses --workers/],
  ] as const) {
    const section = stdout.slice(stdout.indexOf('Shared state under --workers:'));
    const line = section.split('\n').find((l) => l.startsWith(`  ${name} `)) ?? '';
    t.regex(line, says, name);
  }
});

/** Joins the chat, reads the greeting, returns the client and its name. */
async function join(port: number): Promise<{ client: LineClient; name: string }> {
  const client = new LineClient(port);
  const greeting = await client.waitFor(/^\* welcome, /);
  return { client, name: /^\* welcome, ([^;]+);/.exec(greeting)?.[1] ?? '' };
}

test('serve chat --workers 2 is one room: lines, joins, leaves and nick changes reach every client on either worker, in order per sender', async (t) => {
  const server = launch(t, 'serve', 'chat', '--port', '0', '--workers', '2');
  const port = await server.listeningPort();
  // Round robin over two workers: consecutive clients land on different workers.
  const a = await join(port);
  const b = await join(port);
  const c = await join(port);
  t.teardown(() => [a, b, c].forEach((x) => x.client.close()));
  t.deepEqual(new Set([a.name, b.name, c.name]).size, 3, 'three different guest names across workers');
  await a.client.waitFor(`* ${c.name} joined`);
  await b.client.waitFor(`* ${c.name} joined`);
  b.client.send('/nick bravo\n');
  await a.client.waitFor(`* ${b.name} is now bravo`);
  await c.client.waitFor(`* ${b.name} is now bravo`);
  const count = 200;
  a.client.send(Array.from({ length: count }, (_, i) => `line ${i}\n`).join(''));
  for (const other of [b.client, c.client]) {
    await other.waitFor(`${a.name}: line ${count - 1}`);
    const got = other.lines.filter((l) => l.startsWith(`${a.name}: line `));
    t.deepEqual(got, Array.from({ length: count }, (_, i) => `${a.name}: line ${i}`), 'every line, in the order sent');
  }
  c.client.send('/who\n');
  t.is(await c.client.waitFor(/^\* here: /), `* here: ${a.name}, bravo, ${c.name}`);
  t.false(a.client.lines.some((l) => l.endsWith(': /who')), '/who is not sent to the room');
  c.client.close();
  await a.client.waitFor(`* ${c.name} left`);
  await b.client.waitFor(`* ${c.name} left`);
  server.kill('SIGTERM');
  t.is(await server.exitCode(), 0);
});

/** One HTTP/1.1 request on a new connection kept open; resolves with the status line and the socket. */
function request(port: number): Promise<{ status: string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    let got = '';
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(got)?.[1] ?? 0);
      if (got.length >= end + 4 + length) resolve({ status: got.slice(0, got.indexOf('\r\n')), close: () => socket.destroy() });
    });
  });
}

test('--max-connections 2 --workers 2 serves 2 at once over both workers, not 2 per worker; a closed one frees its place', async (t) => {
  const server = launch(t, 'serve', 'http', '--port', '0', '--workers', '2', '--max-connections', '2');
  const port = await server.listeningPort();
  const first = await request(port);
  const second = await request(port);
  t.is(first.status, 'HTTP/1.1 200 OK');
  t.is(second.status, 'HTTP/1.1 200 OK');
  const refused = [];
  for (let i = 0; i < 4; i++) refused.push(await request(port));
  t.deepEqual(refused.map((r) => r.status), Array(4).fill('HTTP/1.1 503 Service Unavailable'));
  for (const r of refused) r.close();
  first.close();
  // The worker reports the close to the primary; a new client is served once it has (bounded retries).
  let status = '';
  for (let i = 0; i < 200 && status !== 'HTTP/1.1 200 OK'; i++) {
    const next = await request(port);
    status = next.status;
    next.close();
  }
  t.is(status, 'HTTP/1.1 200 OK');
  second.close();
});

test('a primary whose workers keep dying gives up and exits 1 (not 0), so a supervisor restarts it', async (t) => {
  t.timeout(60000);
  const server = launch(t, 'serve', 'echo', '--port', '0', '--workers', '2');
  await server.listeningPort();
  const killed = new Set<number>();
  const kill = (pid: number): void => {
    if (killed.has(pid) || server.child.exitCode !== null) return;
    killed.add(pid);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already: its death is counted all the same.
    }
  };
  // Only workers that are up are killed: the first two, then each replacement once it says
  // "worker N ready (pid P)". A worker killed while it was still starting sometimes left the
  // primary waiting on Node 26 (no exit reported; see the closing note of session 4).
  for (const pid of server.children()) kill(pid);
  server.child.stderr.on('data', () => {
    for (const match of server.stderr.matchAll(/ready \(pid (\d+)\)/g)) kill(Number(match[1]));
  });
  t.is(await server.exitCode(), 1);
  t.regex(server.stderr, /workers keep dying \(11 restarts in a minute\); stopping with exit status 1/);
  t.true(killed.size >= 11, `${killed.size} workers killed`);
});
