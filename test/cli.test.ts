// The command line as scripts use it (DESIGN.md section 6): help, one-line errors with a non-zero
// exit, `serve` printing its address first and exiting 0 on SIGTERM, and `start` (npm start).
import test from 'ava';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { testCerts } from './helpers/tls-certs.js';
import { CLI, cli, launch, nextLine } from './cli/run-cli.js';

const execFileAsync = promisify(execFile);

function exchange(port: number, send: string, until: (got: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      got += d.toString();
      if (until(got)) {
        socket.destroy();
        resolve(got);
      }
    });
    socket.on('connect', () => socket.write(send));
    // A connection dropped before the answer (a worker that just died) resolves with what came.
    socket.on('close', () => resolve(got));
  });
}

test('switchboard --help and every subcommand --help exit 0 with usage text', async (t) => {
  const top = await cli('--help');
  t.is(top.code, 0);
  t.regex(top.stdout, /usage: switchboard <command>/);
  for (const command of ['serve', 'start', 'scenarios', 'conformance']) {
    const help = await cli(command, '--help');
    t.is(help.code, 0, command);
    t.regex(help.stdout, new RegExp(`usage: switchboard ${command}`));
  }
});

test('switchboard explains user mistakes in one line and exits non-zero, without a stack trace', async (t) => {
  for (const args of [['frobnicate'], ['serve'], ['serve', 'gopher'], ['serve', 'echo', '--bogus'], ['serve', 'echo', '--port', 'x'], ['serve', 'echo', '--reactor', 'epoll'], ['scenarios', '/no/such/file.json'], ['conformance'], ['serve', 'echo', '--tls-cert', '/no/such/cert.pem'], ['serve', 'http', '--tls-cert', '/no/such/cert.pem', '--tls-key', '/no/such/key.pem'], ['serve', 'http', '--tls-cert', CLI, '--tls-key', CLI]]) {
    const { code, stderr } = await cli(...args);
    t.not(code, 0, args.join(' '));
    t.is(stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${stderr}`);
    t.notRegex(stderr, /\n\s+at /, args.join(' '));
  }
});

test('switchboard serve says a port is in use rather than crashing', async (t) => {
  const first = launch('serve', 'discard', '--port', '0');
  t.teardown(() => first.child.kill('SIGKILL'));
  const line = await nextLine(first.lines);
  const port = line.replace(/^listening on 127\.0\.0\.1:/, '');
  const second = await cli('serve', 'echo', '--port', port);
  t.not(second.code, 0);
  t.regex(second.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
});

for (const reactor of ['selector', 'select']) {
  test(`switchboard serve echo (--reactor ${reactor}) prints its address first, echoes, and exits 0 on SIGTERM`, async (t) => {
    const { child, lines } = launch('serve', 'echo', '--port', '0', '--reactor', reactor);
    t.teardown(() => child.kill('SIGKILL'));
    const line = await nextLine(lines);
    t.regex(line, /^listening on 127\.0\.0\.1:\d+$/);
    const port = Number(line.split(':').at(-1));
    t.is(await exchange(port, 'ping over the reactor', (got) => got.length >= 21), 'ping over the reactor');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    t.is(code, 0);
  });
}

test('switchboard serve listens on ::1 and prints the address in brackets', async (t) => {
  const { child, lines } = launch('serve', 'http', '--port', '0', '--host', '::1');
  t.teardown(() => child.kill('SIGKILL'));
  // A machine without IPv6 on loopback fails here, with the CLI's own line saying why.
  const first = await nextLine(lines);
  t.regex(first, /^listening on \[::1\]:\d+$/);
  child.kill('SIGINT');
  const [code] = (await once(child, 'exit')) as [number | null];
  t.is(code, 0);
});

test('switchboard start (npm start) runs the example servers, says how to try each, and stops on Ctrl-C', async (t) => {
  const { child, lines } = launch('start', '--ephemeral');
  t.teardown(() => child.kill('SIGKILL'));
  const servers = new Map<string, number>();
  for (;;) {
    const line = await nextLine(lines);
    if (line.startsWith('Ctrl-C')) break;
    const match = /^(\w+)\s+listening on 127\.0\.0\.1:(\d+)\s+try: (.+)$/.exec(line);
    t.truthy(match, line);
    if (match?.[1] !== undefined) servers.set(match[1], Number(match[2]));
  }
  t.true(servers.has('http') && servers.has('echo'), [...servers.keys()].join(','));
  const httpPort = servers.get('http') ?? 0;
  t.regex(await exchange(httpPort, 'GET / HTTP/1.0\r\n\r\n', (got) => got.includes('hello from switchboard')), /^HTTP\/1\.0 200 OK/);
  t.is(await exchange(servers.get('echo') ?? 0, 'echo me', (got) => got.length >= 7), 'echo me');
  child.kill('SIGINT');
  const [code] = (await once(child, 'exit')) as [number | null];
  t.is(code, 0);
});

function servedBy(port: number): Promise<string> {
  return exchange(port, 'GET / HTTP/1.0\r\n\r\n', (got) => got.includes('hello from switchboard')).then(
    (reply) => /X-Served-By: (worker \d+ \(pid \d+\))/.exec(reply)?.[1] ?? 'nobody',
  );
}

test('switchboard serve --workers 2 spreads connections over both workers, restarts one that dies, and stops on SIGTERM', async (t) => {
  const { child, lines } = launch('serve', 'http', '--port', '0', '--workers', '2');
  t.teardown(() => child.kill('SIGKILL'));
  const line = await nextLine(lines);
  t.regex(line, /^listening on 127\.0\.0\.1:\d+$/);
  const port = Number(line.split(':').at(-1));
  const seen = new Set<string>();
  for (let i = 0; i < 12; i++) seen.add(await servedBy(port));
  t.is(seen.size, 2, [...seen].join(', '));
  const victim = /pid (\d+)/.exec([...seen][0] ?? '')?.[1];
  t.truthy(victim);
  const replacementReady = new Promise<void>((resolve) => {
    let said = '';
    child.stderr.on('data', (d: Buffer) => {
      said += d.toString();
      if (said.includes('worker 3 ready')) resolve();
    });
  });
  process.kill(Number(victim), 'SIGKILL');
  await replacementReady;
  // Round robin over the two live workers: the replacement answers within two connections.
  let replaced = false;
  for (let i = 0; i < 4 && !replaced; i++) replaced = (await servedBy(port)).startsWith('worker 3 ');
  t.true(replaced, 'a replacement worker serves connections');
  t.is(child.exitCode, null, 'the primary is still running');
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  t.is(code, 0);
});

for (const workers of ['1', '2']) {
  test(`switchboard serve http --tls-cert --tls-key (--workers ${workers}) answers curl --cacert over HTTPS`, async (t) => {
    const certs = testCerts();
    const { child, lines } = launch('serve', 'http', '--port', '0', '--workers', workers, '--tls-cert', certs.server.certFile, '--tls-key', certs.server.keyFile);
    t.teardown(() => child.kill('SIGKILL'));
    const line = await nextLine(lines);
    t.regex(line, /^listening on 127\.0\.0\.1:\d+$/, 'the listening line is the same as without TLS');
    const port = line.split(':').at(-1) ?? '';
    const { stdout } = await execFileAsync('curl', ['-s', '--max-time', '10', '--cacert', certs.caFile, `https://localhost:${port}/`]).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('curl is not installed: apt-get install curl');
      throw error;
    });
    t.regex(stdout, /^hello from switchboard/);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    t.is(code, 0);
  });
}

for (const [server, send, reply] of [
  ['echo', 'hello over TLS', 'hello over TLS'],
  ['resp', 'PING\r\n', '+PONG\r\n'],
] as const) {
  test(`switchboard serve ${server} --tls-cert --tls-key answers a verifying node:tls client`, async (t) => {
    const certs = testCerts();
    const { child, lines } = launch('serve', server, '--port', '0', '--tls-cert', certs.server.certFile, '--tls-key', certs.server.keyFile);
    t.teardown(() => child.kill('SIGKILL'));
    const port = Number((await nextLine(lines)).split(':').at(-1));
    const got = await new Promise<string>((resolve, reject) => {
      const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ca: readFileSync(certs.caFile) }, () => socket.write(send));
      let text = '';
      socket.on('error', reject);
      socket.on('data', (d: Buffer) => {
        text += d.toString('latin1');
        if (text.length >= reply.length) {
          socket.end();
          resolve(text);
        }
      });
    });
    t.is(got, reply);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    t.is(code, 0);
  });
}

test('under npm, a terminal\'s Ctrl-C (SIGINT to the whole process group, forwarded once more by npm) ends start with 0', async (t) => {
  const parent = fileURLToPath(new URL('fixtures/npm-like-parent.js', import.meta.url));
  // Its own process group, as a terminal's foreground job: a signal to the group reaches both.
  const child = spawn(process.execPath, [parent, CLI, 'start', '--ephemeral'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  t.teardown(() => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  });
  while (!(await nextLine(lines)).startsWith('Ctrl-C')) {
    // the servers' lines come first
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  if (child.pid === undefined) throw new Error('no pid');
  process.kill(-child.pid, 'SIGINT');
  t.is(await exited, 0, stderr);
  t.is(stderr, '');
});
