// The CLI's usage rules through the built bin: --version, the port range, --host as a person writes
// it (a name, [::1]), and the one flag table refusing a flag the chosen server does not take.
import test from 'ava';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { SERVE_OPTIONS, SERVERS } from '../../src/cli/servers.js';
import { cli, launch, nextLine } from './run-cli.js';

test('switchboard --version prints the package version and exits 0', async (t) => {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  const { code, stdout } = await cli('--version');
  t.is(code, 0);
  t.is(stdout, `switchboard ${manifest.version}\n`);
});

for (const port of ['99999', '-1', '65536', '1.5', 'http']) {
  test(`serve --port ${port} exits 2 with one line naming the flag and its range`, async (t) => {
    for (const args of [['--port', port], [`--port=${port}`]]) {
      const { code, stderr } = await cli('serve', 'echo', ...args);
      t.is(code, 2, args.join(' '));
      t.is(stderr, `switchboard: --port takes a port number from 0 to 65535 (0 picks a free one), got '${port}'\n`);
    }
  });
}

test('serve refuses a flag the chosen server does not take, naming the flag and whose it is', async (t) => {
  const { code, stdout, stderr } = await cli('serve', 'discard', '--max-line-bytes', '5');
  t.is(code, 2);
  t.is(stdout, '');
  t.is(stderr, 'switchboard: --max-line-bytes does not apply to serve discard (only to chat)\n');
  const http = await cli('serve', 'resp', '--header-timeout=3', '--port', '0');
  t.is(http.code, 2);
  t.is(http.stderr, 'switchboard: --header-timeout does not apply to serve resp (only to http)\n');
});

test('the flag table names only servers that exist, and serve --help shows every row', async (t) => {
  const help = await cli('serve', '--help');
  for (const [name, option] of Object.entries(SERVE_OPTIONS)) {
    if (option.servers !== 'all') for (const server of option.servers) t.true(server in SERVERS, `--${name}: ${server}`);
    t.regex(help.stdout, new RegExp(`^  --${name}\\b`, 'm'), name);
  }
});

test('a server-specific flag is taken by its server', async (t) => {
  const { child, lines } = launch('serve', 'chat', '--max-line-bytes', '64', '--port', '0');
  t.teardown(() => child.kill('SIGKILL'));
  t.regex(await nextLine(lines), /^listening on 127\.0\.0\.1:\d+$/);
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  t.is(code, 0);
});

for (const [host, shown] of [
  ['[::1]', /^listening on \[::1\]:\d+$/],
  ['localhost', /^listening on (127\.0\.0\.1|\[::1\]):\d+$/],
] as const) {
  test(`serve --host ${host} listens (the CLI resolves names and takes bracketed IPv6)`, async (t) => {
    const { child, lines } = launch('serve', 'echo', '--host', host, '--port', '0');
    t.teardown(() => child.kill('SIGKILL'));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const line = await nextLine(lines).catch((error: unknown) => `${String(error)}: ${stderr}`);
    t.regex(line, shown);
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    t.is(code, 0);
  });
}

test('serve --host with brackets around something not IPv6 exits 2 naming the flag', async (t) => {
  const { code, stderr } = await cli('serve', 'echo', '--host', '[localhost]');
  t.is(code, 2);
  t.is(stderr, "switchboard: --host takes an address or a host name, got '[localhost]'\n");
});
