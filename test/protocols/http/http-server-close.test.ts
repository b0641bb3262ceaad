// Answers that always arrive (issue 14): error answers and last responses go through the lingering
// close, so a client still sending gets them instead of a reset; and the connection ends when the
// request says so. Over loopback with raw node:net clients, curl and python3's http.client.
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { httpFactory } from '../../../src/protocols/apps/http-app.js';
import { serveForTest, type RunningTestServer } from '../../helpers/reactor-server.js';
import { connected, rawExchange } from './raw-client.js';

const execFileAsync = promisify(execFile);

async function server(t: { teardown(fn: () => Promise<void>): void }): Promise<RunningTestServer> {
  const running = await serveForTest((scheduler) => httpFactory({ scheduler }));
  t.teardown(() => running.stop());
  return running;
}

/** Sends `head`, then keeps sending `total` bytes of body while reading; resolves with what was read until close. */
async function sendWhileReading(port: number, head: string, total: number): Promise<{ reply: string; wasReset: boolean }> {
  const socket = await connected(port);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let wasReset = false;
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      wasReset = error.code === 'ECONNRESET' || error.code === 'EPIPE';
    });
    socket.on('close', () => resolve({ reply: Buffer.concat(chunks).toString('latin1'), wasReset }));
    socket.write(head);
    const piece = Buffer.alloc(64 * 1024, 0x7a);
    let sent = 0;
    const pump = (): void => {
      while (sent < total && !socket.destroyed) {
        sent += piece.length;
        if (!socket.write(piece)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!socket.destroyed) socket.end();
    };
    pump();
  });
}

test('HTTP server: a client sending a 100 KB header line receives the 431, not a reset', async (t) => {
  const { port } = await server(t);
  const { reply } = await sendWhileReading(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Long: ${'a'.repeat(100_000)}`, 0);
  t.regex(reply, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
});

test('HTTP server: a client sending a 20 MB body over the limit receives the 413 while it sends', async (t) => {
  const { port } = await server(t);
  const { reply } = await sendWhileReading(port, 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n', 20_000_000);
  t.regex(reply, /^HTTP\/1\.1 413 Content Too Large\r\n/);
});

test('HTTP server: curl posting 20 MB gets the 413 (curl reads the early answer)', async (t) => {
  const { port } = await server(t);
  const { stdout } = await execFileAsync('sh', ['-c', `head -c 20000000 /dev/zero | curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H 'Content-Type: application/octet-stream' --data-binary @- http://127.0.0.1:${port}/echo`]).catch((error: unknown) => {
    throw new Error(`curl failed (install the Debian package curl): ${String(error)}`);
  });
  t.is(stdout, '413');
});

test('HTTP server: GET /bytes/3000000 with Connection: close, then a client byte, delivers all 3,000,000 bytes', async (t) => {
  const { port } = await server(t);
  const socket = await connected(port);
  const received = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let sentByte = false;
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      // The byte arrives while the answer is still being written: a plain close would reset.
      if (!sentByte) {
        sentByte = true;
        socket.write('x');
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.write('GET /bytes/3000000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  });
  const end = received.indexOf('\r\n\r\n');
  t.regex(received.toString('latin1', 0, end), /^HTTP\/1\.1 200 OK\r\n[\s\S]*Connection: close/);
  t.is(received.length - end - 4, 3_000_000);
});

test('HTTP server answers an HTTP/1.0 request without keep-alive and nothing after it', async (t) => {
  const { port } = await server(t);
  const reply = await rawExchange(port, 'GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n');
  t.is([...reply.matchAll(/HTTP\/1\.0 200 /g)].length, 1);
  t.true(reply.endsWith('hello from switchboard\n'));
});

test('HTTP server answers Connection: close and nothing after it', async (t) => {
  const { port } = await server(t);
  const reply = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n');
  t.is([...reply.matchAll(/HTTP\/1\.1 200 /g)].length, 1);
});

test('HTTP server answers an HTTP/1.1 request without Host, or with two, 400 and closes', async (t) => {
  const { port } = await server(t);
  t.regex(await rawExchange(port, 'GET / HTTP/1.1\r\n\r\n'), /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*Host/);
  t.regex(await rawExchange(port, 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'), /^HTTP\/1\.1 400 /);
  t.regex(await rawExchange(port, 'GET / HTTP/1.0\r\n\r\n'), /^HTTP\/1\.0 200 /);
});

test('HTTP server answers an unknown method 400 and not the request pipelined behind it', async (t) => {
  const { port } = await server(t);
  const reply = await rawExchange(port, 'FOO / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n');
  t.regex(reply, /^HTTP\/1\.1 400 Bad Request\r\n/);
  t.is([...reply.matchAll(/HTTP\/1\.1 \d{3} /g)].length, 1);
});

test('python3 http.client gets one answer to Connection: close and sees the connection closed', async (t) => {
  const { port } = await server(t);
  const script = [
    'import http.client, sys',
    `c = http.client.HTTPConnection("127.0.0.1", ${port}, timeout=10)`,
    'c.request("GET", "/bytes/100000", headers={"Connection": "close"})',
    'r = c.getresponse()',
    'body = r.read()',
    'print(r.status, len(body), r.getheader("Connection"), r.getheader("Date") is not None, r.will_close)',
  ].join('\n');
  const { stdout } = await execFileAsync('python3', ['-c', script]).catch((error: unknown) => {
    throw new Error(`python3 failed (install the Debian package python3): ${String(error)}`);
  });
  t.is(stdout.trim(), '200 100000 close True True');
});
