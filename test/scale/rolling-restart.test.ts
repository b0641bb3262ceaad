// SIGHUP to a `serve --workers 2` primary replaces the workers one at a time, under steady load,
// with no failed request; these replacements do not count toward the crash-loop limit.
import test from 'ava';
import { request } from 'node:http';
import { launch } from './cli-process.js';

/** One GET / on a new connection (no keep-alive); resolves with who served it, or the error's code. */
function get(port: number): Promise<{ ok: boolean; servedBy: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, headers: { Connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ok: res.statusCode === 200, servedBy: String(res.headers['x-served-by'] ?? '') }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, servedBy: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, servedBy: error.code ?? error.message }));
    req.end();
  });
}

test('SIGHUP replaces the workers one at a time under steady load (4 clients, new connection per request): no request fails, and six restarts in a row are not a crash loop', async (t) => {
  t.timeout(120000);
  const server = launch(t, 'serve', 'http', '--port', '0', '--workers', '2');
  const port = await server.listeningPort();
  const ROLLS = 6;
  let isLoading = true;
  const results: { ok: boolean; servedBy: string }[] = [];
  // Steady load: 4 clients, each one request at a time, bounded in count.
  const clients = Array.from({ length: 4 }, async () => {
    for (let i = 0; i < 20000 && isLoading; i++) results.push(await get(port));
  });
  for (let roll = 1; roll <= ROLLS; roll++) {
    const before = results.length;
    server.kill('SIGHUP');
    await server.waitForStderr(new RegExp(`(rolling restart done[^]*){${roll}}`));
    // Requests ran across the restart.
    t.true(results.length > before, `requests were answered during roll ${roll}`);
  }
  const afterRolls = results.length;
  // Some more load on the last pair of workers, then stop.
  while (results.length < afterRolls + 50) await get(port).then((r) => results.push(r));
  isLoading = false;
  await Promise.all(clients);
  const failed = results.filter((r) => !r.ok);
  t.log(`${results.length} requests, ${failed.length} failed, over ${ROLLS} rolling restarts of 2 workers`);
  t.deepEqual(failed, [], 'no request failed');
  const workers = new Set(results.map((r) => /^worker (\d+)/.exec(r.servedBy)?.[1]));
  t.true(workers.has(String(2 + 2 * ROLLS)) || workers.has(String(1 + 2 * ROLLS)), `the last workers served: ${[...workers].join(',')}`);
  t.notRegex(server.stderr, /keep dying|a worker died/);
  t.is(server.child.exitCode, null, 'the primary is still running');
  server.kill('SIGTERM');
  t.is(await server.exitCode(), 0);
});
