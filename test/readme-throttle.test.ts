// The README's Throttling section: its block is examples/readme-throttle.ts as it is, and the server
// it starts echoes a payload larger than one second's budget complete (no timing asserted).
import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serveForTest } from './helpers/reactor-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('README shows examples/readme-throttle.ts as it is', (t) => {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const source = readFileSync(`${ROOT}examples/readme-throttle.ts`, 'utf8').replace("'../src/index.js'", "'switchboard'");
  t.true(readme.includes(`\`\`\`ts\n${source}\`\`\``), 'the README block differs from the file');
});

test('the README throttled echo server returns more than a window of bytes complete', async (t) => {
  const probe = await serveForTest(() => ({ buildProtocol: () => ({ connectionMade() {}, dataReceived() {}, connectionLost() {} }) }));
  await probe.stop();
  const child = spawn(process.execPath, [`${ROOT}dist/examples/readme-throttle.js`], { env: { ...process.env, PORT: String(probe.port) } });
  t.teardown(() => child.kill('SIGKILL'));
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  t.regex(line.toString(), /^listening on/);
  const payload = Buffer.alloc(100_000, 'throttled ');
  const echoed = await new Promise<Buffer>((resolve, reject) => {
    const client = connect(probe.port, '127.0.0.1', () => client.end(payload));
    t.teardown(() => client.destroy());
    const chunks: Buffer[] = [];
    client.on('data', (d: Buffer) => chunks.push(d));
    client.on('end', () => resolve(Buffer.concat(chunks)));
    client.on('error', reject);
  });
  t.true(echoed.equals(payload));
});
