// `serve --proxy-protocol` through the built CLI, alone and under --workers 2: curl's own PROXY
// header (--haproxy-protocol) is served; the per-peer limit counts the client the header names, not
// the balancer (in the primary under --workers); no header, or a source not allowed, is closed.
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI, launch } from './cli-process.js';
import { RawHttp } from './raw-http.js';

const execFileAsync = promisify(execFile);

/** A connection that sends a v1 header for `client`, then GET / (kept open); resolves once answered or closed. */
async function viaProxy(port: number, client: string): Promise<RawHttp> {
  const connection = new RawHttp(port);
  connection.socket.write(`PROXY TCP4 ${client} 127.0.0.1 40000 80\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n`);
  await connection.until(() => (connection.head !== '' && connection.bodyBytes >= connection.contentLength) || connection.isClosed);
  return connection;
}

for (const workers of ['1', '2']) {
  test(`serve http --proxy-protocol --workers ${workers}: curl --haproxy-protocol is served; --max-connections-per-peer counts the client named by the header`, async (t) => {
    const server = launch(t, 'serve', 'http', '--port', '0', '--workers', workers, '--proxy-protocol', '--max-connections-per-peer', '1');
    const port = await server.listeningPort();
    let stdout: string;
    try {
      ({ stdout } = await execFileAsync('curl', ['-s', '--max-time', '10', '--haproxy-protocol', `http://127.0.0.1:${port}/`]));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') t.fail('curl is not installed (Debian package curl)');
      throw error;
    }
    t.regex(stdout, /^hello from switchboard/);
    const first = await viaProxy(port, '192.0.2.1');
    t.regex(first.head, /^HTTP\/1\.1 200 /, 'client 192.0.2.1, first connection');
    const second = await viaProxy(port, '192.0.2.1');
    t.regex(second.head, /^HTTP\/1\.1 503 /, 'client 192.0.2.1 again: over its limit of 1, though the balancer address is the same');
    const other = await viaProxy(port, '192.0.2.2');
    t.regex(other.head, /^HTTP\/1\.1 200 /, 'another client through the same balancer is served');
    for (const c of [first, second, other]) c.socket.destroy();
    server.kill('SIGTERM');
    t.is(await server.exitCode(), 0);
  });
}

test('serve --proxy-protocol closes a connection without a header, and one from a source --proxy-from does not allow', async (t) => {
  const open = launch(t, 'serve', 'http', '--port', '0', '--proxy-protocol');
  const port = await open.listeningPort();
  const plain = new RawHttp(port);
  plain.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  await plain.closed();
  t.is(plain.head, '', 'a request without a PROXY header is not answered');
  await open.waitForStderr(/does not start with one/);

  const strict = launch(t, 'serve', 'http', '--port', '0', '--proxy-protocol', '--proxy-from', '10.0.0.0/8,fd00::/8');
  const strictPort = await strict.listeningPort();
  const foreign = new RawHttp(strictPort);
  foreign.socket.write('PROXY TCP4 192.0.2.1 127.0.0.1 1 2\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n');
  await foreign.closed();
  t.is(foreign.head, '');
  await strict.waitForStderr(/127\.0\.0\.1: not an allowed balancer/);
});

test('serve --proxy-from with something that is not an address or prefix is a usage error naming the flag', async (t) => {
  const error = await t.throwsAsync(execFileAsync(process.execPath, [CLI, 'serve', 'http', '--port', '0', '--proxy-protocol', '--proxy-from', 'balancer.example']));
  t.is((error as unknown as { code: number }).code, 2);
  t.regex((error as unknown as { stderr: string }).stderr, /--proxy-from takes numeric addresses or CIDR prefixes/);
});
