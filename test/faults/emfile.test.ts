// Running out of file descriptors: `switchboard serve echo` in a child with `ulimit -n 96` is sent
// more connections than it has descriptors for. It must survive without spinning, say so once on
// stderr, and once those clients leave, serve a new one with its descriptor count back at baseline.
// Linux only (it counts descriptors in /proc/<pid>/fd).
import test from 'ava';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { connect, type Socket as NetSocket } from 'node:net';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
// Node's ESM loader opens the CLI's module files concurrently at startup: it needs about 62-68
// descriptors before it listens (64 left no room for a new module), so the limit leaves headroom.
const DESCRIPTOR_LIMIT = 96;
const CLIENTS = 150;

const descriptors = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

/** Polls `condition` every 20 ms until it holds; fails after `seconds` (a bound, not a guess). */
async function until(condition: () => boolean, seconds: number, what: string): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function echoOnce(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(message));
    let got = '';
    socket.on('data', (d: Buffer) => {
      got += d.toString();
    });
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
  });
}

test('serve echo out of descriptors survives, says so once, and serves again at its baseline', async (t) => {
  const child: ChildProcessWithoutNullStreams = spawn('sh', [
    '-c',
    `ulimit -n ${DESCRIPTOR_LIMIT} && exec "$0" "$@"`,
    process.execPath,
    CLI,
    'serve',
    'echo',
    '--port',
    '0',
    '--accept-backoff',
    '0.05',
  ]);
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const [first] = (await once(child.stdout, 'data')) as [Buffer];
  const port = Number(/:(\d+)\s*$/.exec(first.toString())?.[1]);
  t.true(port > 0, first.toString());
  const baseline = descriptors(child.pid ?? 0);

  const clients: NetSocket[] = [];
  let closedByServer = 0;
  t.teardown(() => {
    for (const c of clients) c.destroy();
  });
  for (let i = 0; i < CLIENTS; i++) {
    const client = connect(port, '127.0.0.1');
    client.on('error', () => {});
    client.on('close', () => {
      closedByServer += 1;
    });
    clients.push(client);
  }
  await until(() => stderr.includes('EMFILE'), 20, 'the server to say it is out of descriptors');
  // libuv closes at once what it cannot accept; the server keeps the rest open.
  await until(() => closedByServer > 0, 20, 'libuv to close the connections it had no descriptor for');
  t.is(child.exitCode, null, 'the server is still running');
  t.log(`of ${CLIENTS} clients, ${closedByServer} were closed by the server; baseline ${baseline} descriptors`);
  t.true(closedByServer < CLIENTS, 'the connections it had descriptors for stay open');

  for (const c of clients) c.destroy();
  await until(() => descriptors(child.pid ?? 0) === baseline, 20, 'the descriptor count to return to its baseline');
  t.is(await echoOnce(port, 'served again'), 'served again');
  await until(() => descriptors(child.pid ?? 0) === baseline, 20, 'the new client to leave no descriptor behind');

  t.is(stderr.match(/EMFILE/g)?.length, 1, `said once: ${stderr}`);
  t.regex(stderr, /^switchboard serve echo: Cannot accept: this process has no file descriptor left \(EMFILE\)/);
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  t.is(code, 0);
});

test('Socket.accept() raises OSError EMFILE after the connections it could take, and accepts again later', async (t) => {
  const loop = fileURLToPath(new URL('../fixtures/emfile-accept-loop.js', import.meta.url));
  const child = spawn('sh', ['-c', `ulimit -n ${DESCRIPTOR_LIMIT} && exec "$0" "$@"`, process.execPath, loop]);
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  await until(() => stdout.includes('listening on'), 20, 'the accept loop to listen');
  const port = Number(/listening on (\d+)/.exec(stdout)?.[1]);
  const pid = child.pid ?? 0;
  const baseline = descriptors(pid);
  const clients: NetSocket[] = [];
  t.teardown(() => {
    for (const c of clients) c.destroy();
  });
  for (let i = 0; i < CLIENTS; i++) {
    const client = connect(port, '127.0.0.1');
    client.on('error', () => {});
    clients.push(client);
  }
  await until(() => stdout.includes('accept raised'), 20, 'accept() to raise');
  const raised = /accept raised (\w+) (\w+) while holding (\d+)/.exec(stdout);
  t.is(raised?.[1], 'OSError');
  t.is(raised?.[2], 'EMFILE');
  t.true(Number(raised?.[3]) > 0 && Number(raised?.[3]) < CLIENTS, 'the connections that had descriptors were accepted first');
  for (const c of clients) c.destroy();
  await until(() => descriptors(pid) === baseline, 20, 'the loop to shed what it held');
  const late = connect(port, '127.0.0.1');
  late.on('error', () => {});
  clients.push(late);
  await once(late, 'connect');
  // Read now: the loop closes what it accepts from here on, and a closed socket forgets its port.
  const latePort = late.localPort ?? -1;
  await until(() => stdout.includes(`accepted from ${latePort}`), 20, 'the new client to be accepted');
  for (const line of stdout.split('\n').filter((l) => l.startsWith('accept raised'))) t.regex(line, /^accept raised OSError EMFILE/);
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  t.is(code, 0);
});
