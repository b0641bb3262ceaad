// examples/11-ipc-unix-and-tcp.ts: the same client and server in two processes, over a Unix socket
// and over localhost TCP. The servers really run in child processes.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ChildServer, type Transport, main, replyTo, request, serve, spawnServer } from '../../examples/11-ipc-unix-and-tcp.js';

const SCRIPT = fileURLToPath(new URL('../../examples/11-ipc-unix-and-tcp.js', import.meta.url));
const execFileAsync = promisify(execFile);

function tempDir(t: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-ipc-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function childServer(t: ExecutionContext, transport: Transport, where: string): Promise<ChildServer> {
  const server = await spawnServer(transport, where);
  t.teardown(() => server.stop());
  return server;
}

for (const transport of ['unix', 'tcp'] as const) {
  test(`${transport}: a server in a child process answers this process's client, then stops on SIGTERM with exit 0`, async (t) => {
    const where = transport === 'unix' ? join(tempDir(t), 'ipc.sock') : '0';
    const server = await childServer(t, transport, where);
    const pid = server.child.pid ?? 0;
    t.true(pid > 0 && pid !== process.pid);
    t.regex(server.where, transport === 'unix' ? /^unix:\/.+ipc\.sock$/ : /^tcp:127\.0\.0\.1:\d+$/);
    t.is(await request(transport, server.target, 'first'), replyTo('first', pid));
    const big = 'b'.repeat(300000);
    t.is(await request(transport, server.target, big), replyTo(big, pid));
    t.is(await server.stop(), 0);
    if (transport === 'unix') t.false(existsSync(where)); // the listener's path went with it
  });

  test(`${transport}: the client as a child process talks to the server as another child process`, async (t) => {
    const where = transport === 'unix' ? join(tempDir(t), 'ipc.sock') : '0';
    const server = await childServer(t, transport, where);
    const { stdout } = await execFileAsync(process.execPath, [SCRIPT, 'client', transport, server.target, 'from', 'a', 'child'], { timeout: 30000 });
    t.is(stdout, `${replyTo('from a child', server.child.pid ?? 0)}\n`);
  });
}

test('The same server code serves both transports in-process too', async (t) => {
  const dir = tempDir(t);
  const unix = serve('unix', join(dir, 'in.sock'));
  const tcp = serve('tcp', '0');
  t.teardown(() => Promise.all([unix.stop(), tcp.stop()]));
  t.is(await request('unix', unix.where.slice('unix:'.length), 'u'), replyTo('u'));
  t.is(await request('tcp', tcp.where.split(':')[2] ?? '', 't'), replyTo('t'));
});

test('main with no arguments runs the demo: both transports, the server in a child each time', async (t) => {
  const lines: string[] = [];
  const replies = await main([], (line) => lines.push(line));
  t.is(replies.length, 2);
  t.regex(replies[0] ?? '', /^pid \d+ got: hello over unix$/);
  t.regex(replies[1] ?? '', /^pid \d+ got: hello over tcp$/);
  t.false(replies.some((r) => r.startsWith(`pid ${process.pid} `)));
  t.regex(lines[0] ?? '', /^unix:.+: "pid \d+ got: hello over unix" \(this client is pid \d+\)$/);
});

test('A bad command line fails with a clear error, and a server that cannot start is reported', async (t) => {
  await t.throwsAsync(main(['serve'], () => {}), { instanceOf: RangeError, message: /^Unknown command "serve"/ });
  await t.throwsAsync(main(['client', 'udp', 'x'], () => {}), { instanceOf: RangeError, message: 'Transport must be unix or tcp, got udp' });
  const missingDir = join(tempDir(t), 'no', 'such', 'dir', 'ipc.sock');
  await t.throwsAsync(spawnServer('unix', missingDir), { message: 'The server process did not start: FileNotFoundError: [Errno 2] No such file or directory' });
});
