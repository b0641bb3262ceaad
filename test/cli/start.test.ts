// `switchboard start` never hangs: whichever example server finds its default port held by another
// process, the ones already listening are closed and the process ends at once with one line and
// exit 2. The held port is the real default; the other servers take free ports (--ephemeral), so
// that other runs of this suite on the machine do not collide with this one.
import test from 'ava';
import { once } from 'node:events';
import { type Server, createServer } from 'node:net';
import { cli, launch, nextLine } from './run-cli.js';

async function hold(port: number): Promise<Server> {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  const [event] = await Promise.race([once(server, 'listening').then(() => ['listening']), once(server, 'error')]);
  if (event !== 'listening') throw new Error(`port ${port} on 127.0.0.1 is already held by another process; this test needs to hold it itself, so free it (${String(event)})`);
  return server;
}

for (const [name, port] of [
  ['http', 8080],
  ['echo', 9007],
  ['chat', 9010],
  ['resp', 6380],
] as const) {
  test(`start with ${name}'s port ${port} held elsewhere stops the others and exits 2 with one line`, async (t) => {
    const holder = await hold(port);
    t.teardown(() => holder.close());
    const { code, stdout, stderr } = await cli('start', '--ephemeral', '--ports', `${name}=${port}`);
    t.is(code, 2, stderr);
    t.is(stdout, '', 'no server says it is listening');
    t.is(stderr, `switchboard: ${name}: port ${port} on 127.0.0.1 is in use; nothing started (--ephemeral picks free ports, --ports moves one)\n`);
  });
}

test('start --ports puts a server on the port asked for', async (t) => {
  const free = createServer().listen(0, '127.0.0.1');
  await once(free, 'listening');
  const address = free.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise((resolve) => free.close(resolve));
  const { child, lines } = launch('start', '--ephemeral', '--ports', `echo=${port}`);
  t.teardown(() => child.kill('SIGKILL'));
  const said: string[] = [];
  for (let line = await nextLine(lines); !line.startsWith('Ctrl-C'); line = await nextLine(lines)) said.push(line);
  t.true(said.some((line) => line.startsWith(`echo  listening on 127.0.0.1:${port} `)), said.join('\n'));
  child.kill('SIGINT');
  const [code] = (await once(child, 'exit')) as [number | null];
  t.is(code, 0);
});

test('start refuses a --ports entry that names no example server or no port', async (t) => {
  for (const entry of ['gopher=70', 'http', 'http=99999', 'http=-1']) {
    const { code, stderr } = await cli('start', '--ports', entry);
    t.is(code, 2, entry);
    t.regex(stderr, new RegExp(`^switchboard: --ports takes NAME=PORT pairs .*, got '${entry}'\\n$`));
  }
});
