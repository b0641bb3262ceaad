// The README's programs are the files in examples/readme-*.ts (the import path aside), and they run.
import test from 'ava';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { httpFactory } from '../src/protocols/apps/http-app.js';
import { serveForTest } from './helpers/reactor-server.js';
import { testCerts } from './helpers/tls-certs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(`${ROOT}README.md`, 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

for (const name of ['readme-client', 'readme-select-server', 'readme-custom-server', 'readme-json-server', 'readme-testing', 'readme-tls']) {
  test(`README shows examples/${name}.ts as it is`, (t) => {
    const source = readFileSync(`${ROOT}examples/${name}.ts`, 'utf8')
      .replace("'../src/index.js'", "'switchboard'")
      .replace("'../src/testing/index.js'", "'switchboard/testing'");
    t.true(blocks.includes(source), `the README block for ${name} differs from the file`);
  });
}

function run(name: string, port: number): ChildProcess {
  return spawn(process.execPath, [`${ROOT}dist/examples/${name}.js`], { env: { ...process.env, PORT: String(port) } });
}

function freePort(): Promise<number> {
  return serveForTest(() => ({ buildProtocol: () => ({ connectionMade() {}, dataReceived() {}, connectionLost() {} }) })).then(async (s) => {
    await s.stop();
    return s.port;
  });
}

/** Waits for the example to say it listens, then sends `message` and reads as much back. */
async function talk(child: ChildProcess, port: number, message: string, done: (got: string) => boolean = (got) => got.length >= message.length): Promise<string> {
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) resolve();
    });
    child.once('exit', () => reject(new Error(`the example exited before listening: ${out}`)));
  });
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (done(got)) {
        socket.destroy();
        resolve(got);
      }
    });
    socket.on('connect', () => socket.write(Buffer.from(message, 'latin1')));
  });
}

test('the README client fetches a page from a local HTTP server', async (t) => {
  const server = await serveForTest(() => httpFactory());
  t.teardown(() => server.stop());
  const child = run('readme-client', server.port);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  t.is(code, 0);
  t.regex(out, /^HTTP\/1\.0 200 OK[\s\S]*hello from switchboard\n$/);
});

test('the README select() server echoes', async (t) => {
  const port = await freePort();
  const child = run('readme-select-server', port);
  t.teardown(() => child.kill('SIGKILL'));
  t.is(await talk(child, port, 'through select()'), 'through select()');
});

test('the README handler-class server answers in capitals', async (t) => {
  const port = await freePort();
  const child = run('readme-custom-server', port);
  t.teardown(() => child.kill('SIGKILL'));
  t.is(await talk(child, port, 'quiet words'), 'QUIET WORDS');
});

test('the README testing example passes its own assertions', async (t) => {
  const child = spawn(process.execPath, [`${ROOT}dist/examples/readme-testing.js`]);
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  t.is(code, 0);
  t.is(out, 'ok\n');
});

test('the README length-prefixed JSON server sums numbers, refuses bad params, and answers a non-JSON frame and goes on', async (t) => {
  const port = await freePort();
  const child = run('readme-json-server', port);
  t.teardown(() => child.kill('SIGKILL'));
  const frame = (value: unknown): Buffer => {
    const body = Buffer.from(JSON.stringify(value));
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    return Buffer.concat([head, body]);
  };
  const notJson = Buffer.from('\0\0\0\x08not json', 'latin1');
  const requests = Buffer.concat([frame({ id: 1, params: [1, 2, 3.5] }), notJson, frame({ id: 2, params: 'x' })]).toString('latin1');
  /** The whole frames in `got` (a frame cut by the network is left out until the rest comes). */
  const frames = (got: string): Buffer[] => {
    const whole: Buffer[] = [];
    for (let bytes = Buffer.from(got, 'latin1'); bytes.length >= 4 && bytes.length >= 4 + bytes.readUInt32BE(0); bytes = bytes.subarray(4 + bytes.readUInt32BE(0))) {
      whole.push(bytes.subarray(4, 4 + bytes.readUInt32BE(0)));
    }
    return whole;
  };
  const reply = await talk(child, port, requests, (got) => frames(got).length >= 3);
  t.deepEqual(frames(reply).map((body) => JSON.parse(body.toString()) as unknown), [{ id: 1, result: 6.5 }, { error: 'Cannot decode frame: invalid JSON' }, { id: 2, error: 'params must be an array of numbers' }]);
});

test('the README TLS example echoes over a verified TLS connection', async (t) => {
  const certs = testCerts();
  const env = { ...process.env, TLS_CERT: certs.server.certFile, TLS_KEY: certs.server.keyFile, TLS_CA: certs.caFile };
  const child = spawn(process.execPath, [`${ROOT}dist/examples/readme-tls.js`], { env });
  t.teardown(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  t.is(code, 0);
  t.is(out, 'TLSv1.3 hello over TLS\n');
});
