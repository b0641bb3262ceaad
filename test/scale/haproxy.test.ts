// The README recipe "Past one process, past one machine", run for real: three hosts (network
// namespaces, each with its own address) run `serve http --workers 2 --proxy-protocol` behind
// HAProxy (Debian's 2.6) with health checks. The test waits on HAProxy's stats socket, never on
// sleeps. It shows the spread over hosts, the client address each server saw through PROXY, a host
// killed (requests between the kill and HAProxy marking it down counted and reported; none failing
// after), and a rolling restart of one host with no failed request.
import test from 'ava';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliProcess, launchUnder } from './cli-process.js';
import { makeHosts } from './netns-hosts.js';

/** HAProxy's health checks and retries, as the README states them. */
const CHECK = { inter: '200ms', fall: 3, rise: 2, timeout: '1s', retries: 3 } as const;
/** The load: this many requests at a time, keep-alive between the client and HAProxy. */
const CONCURRENCY = 8;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

/** One HAProxy `show stat` over the stats socket: server name -> status (UP, DOWN, ...) of backend `be`. */
function serverStates(socketPath: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write('show stat\n'));
    socket.on('data', (d: string) => (text += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [header = '', ...rows] = text.split('\n');
      const columns = header.replace(/^# /, '').split(',');
      const status = columns.indexOf('status');
      const states = new Map<string, string>();
      for (const row of rows) {
        const cells = row.split(',');
        if (cells[0] === 'be' && cells[1] !== 'BACKEND') states.set(cells[1] ?? '', cells[status] ?? '');
      }
      resolve(states);
    });
  });
}

/** Waits until HAProxy's stats say `wanted` for every listed server (polling its socket, bounded). */
async function waitForStates(socketPath: string, wanted: Record<string, string>, seconds = 30): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    let states = new Map<string, string>();
    try {
      states = await serverStates(socketPath);
    } catch {
      // The socket is not there yet.
    }
    if (Object.entries(wanted).every(([name, state]) => states.get(name)?.startsWith(state) === true)) return;
    if (Date.now() > deadline) throw new Error(`HAProxy never reported ${JSON.stringify(wanted)}; last: ${JSON.stringify([...states])}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
  }
}

interface Outcome {
  readonly ok: boolean;
  readonly servedBy: string;
  readonly at: number;
}

/** Runs requests through HAProxy, CONCURRENCY at a time, until `stop()` says so or `max` were made. */
function load(port: number, agent: Agent, stop: () => boolean, max: number): Promise<Outcome[]> {
  const results: Outcome[] = [];
  const one = (): Promise<Outcome> =>
    new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ ok: res.statusCode === 200, servedBy: String(res.headers['x-served-by'] ?? `status ${res.statusCode}`), at: Date.now() }));
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, servedBy: error.code ?? error.message, at: Date.now() }));
      req.end();
    });
  const worker = async (): Promise<void> => {
    while (!stop() && results.length < max) results.push(await one());
  };
  return Promise.all(Array.from({ length: CONCURRENCY }, worker)).then(() => results);
}

function hostOf(servedBy: string, pids: Map<number, string>): string {
  const pid = Number(/\(pid (\d+)\)/.exec(servedBy)?.[1]);
  return pids.get(pid) ?? `unknown (${servedBy})`;
}

test('HAProxy recipe: three hosts of serve http --workers 2 --proxy-protocol behind HAProxy: spread, client addresses, a host killed, a rolling restart', async (t) => {
  t.timeout(180000);
  const net = makeHosts(3);
  t.teardown(() => net.remove());
  t.log(net.isolated ? `hosts: network namespaces ${net.hosts.map((h) => `${h.name} (${h.address})`).join(', ')}` : `network namespaces could not be made (${net.reason}): loopback addresses ${net.hosts.map((h) => h.address).join(', ')} stand in`);
  const servers: CliProcess[] = [];
  for (const host of net.hosts) {
    servers.push(launchUnder(t, host.prefix, ['serve', 'http', '--host', host.address, '--port', '8080', '--workers', '2', '--proxy-protocol', '--proxy-from', host.balancerAddress]));
  }
  for (const server of servers) await server.listeningPort();
  const pidToHost = new Map<number, string>();
  const learnPids = (): void =>
    servers.forEach((s, i) => {
      if (s.child.exitCode === null && s.child.signalCode === null) s.children().forEach((pid) => pidToHost.set(pid, `h${i + 1}`));
    });
  learnPids();

  const dir = mkdtempSync(join(tmpdir(), 'sb-haproxy-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const stats = join(dir, 'stats.sock');
  const port = await freePort();
  const config = [
    'global',
    `  stats socket ${stats} mode 600 level admin`,
    'defaults',
    '  mode http',
    '  timeout connect 1s',
    '  timeout client 10s',
    '  timeout server 10s',
    `  timeout check ${CHECK.timeout}`,
    `  retries ${CHECK.retries}`,
    '  option redispatch 1',
    '  retry-on all-retryable-errors',
    'frontend fe',
    `  bind 127.0.0.1:${port}`,
    '  default_backend be',
    'backend be',
    '  balance roundrobin',
    '  option httpchk GET /',
    `  default-server send-proxy-v2 check inter ${CHECK.inter} fall ${CHECK.fall} rise ${CHECK.rise}`,
    ...net.hosts.map((h, i) => `  server h${i + 1} ${h.address}:8080`),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'haproxy.cfg'), config);
  const haproxy: ChildProcess = spawn('haproxy', ['-f', join(dir, 'haproxy.cfg'), '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  haproxy.stderr?.on('data', (d: Buffer) => t.log(`haproxy: ${d.toString().trim()}`));
  haproxy.on('error', (error) => t.fail(`haproxy could not start (${error.message}): install Debian's haproxy (2.6)`));
  t.teardown(() => haproxy.kill('SIGKILL'));
  await waitForStates(stats, { h1: 'UP', h2: 'UP', h3: 'UP' });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  t.teardown(() => agent.destroy());

  // 1. Spread, and the client address each server saw.
  const spread = await load(port, agent, () => false, 300);
  const byHost = new Map<string, number>();
  for (const r of spread) byHost.set(hostOf(r.servedBy, pidToHost), (byHost.get(hostOf(r.servedBy, pidToHost)) ?? 0) + 1);
  t.log(`spread: ${spread.length} requests (keep-alive client, ${CONCURRENCY} at a time): ${[...byHost].map(([h, n]) => `${h} ${n}`).join(', ')}`);
  t.deepEqual(spread.filter((r) => !r.ok), []);
  t.deepEqual([...byHost.keys()].sort(), ['h1', 'h2', 'h3']);
  const clients = new Set(spread.map((r) => /for (\S+):\d+$/.exec(r.servedBy)?.[1]));
  t.log(`client addresses the servers saw through PROXY: ${[...clients].join(', ')} (HAProxy connects from ${net.hosts.map((h) => h.balancerAddress).join(', ')})`);
  t.deepEqual([...clients], ['127.0.0.1'], 'the servers saw the client, not the balancer');

  // 2. A host killed under load: count what fails until HAProxy marks it DOWN, then nothing may fail.
  let isDown = false;
  let phase = 'before';
  const killedAt = { kill: 0, down: 0 };
  const during = load(port, agent, () => phase === 'done', 100000);
  const victim = servers[1];
  if (victim === undefined) throw new Error('no second host');
  const victims = [victim.child.pid ?? 0, ...victim.children()];
  killedAt.kill = Date.now();
  for (const pid of victims) process.kill(pid, 'SIGKILL');
  await waitForStates(stats, { h2: 'DOWN' });
  isDown = true;
  killedAt.down = Date.now();
  const afterDown = await load(port, agent, () => false, 500);
  phase = 'done';
  const inBetween = (await during).filter((r) => r.at >= killedAt.kill && r.at <= killedAt.down);
  t.log(`host h2 killed: HAProxy marked it DOWN after ${killedAt.down - killedAt.kill} ms; ${inBetween.length} requests in between, ${inBetween.filter((r) => !r.ok).length} failed; ${afterDown.length} after, ${afterDown.filter((r) => !r.ok).length} failed`);
  t.true(isDown);
  t.deepEqual(afterDown.filter((r) => !r.ok), [], 'no request fails once HAProxy has marked the host down');
  t.false(afterDown.some((r) => hostOf(r.servedBy, pidToHost) === 'h2'));

  // 3. A rolling restart of h1 under load: no failed request.
  let isRolled = false;
  const rolling = load(port, agent, () => isRolled, 100000);
  const first = servers[0];
  if (first === undefined) throw new Error('no first host');
  first.kill('SIGHUP');
  await first.waitForStderr(/rolling restart done/);
  learnPids();
  const tail = await load(port, agent, () => false, 300);
  isRolled = true;
  const duringRoll = await rolling;
  const failed = [...duringRoll, ...tail].filter((r) => !r.ok);
  t.log(`rolling restart of h1: ${duringRoll.length} requests during it, ${tail.length} after, ${failed.length} failed`);
  t.deepEqual(failed, []);
  t.true(tail.some((r) => /^worker [34] /.test(r.servedBy) && hostOf(r.servedBy, pidToHost) === 'h1'), 'h1\'s new workers serve');
  for (const s of servers) if (s !== victim) s.kill('SIGTERM');
  for (const s of servers) if (s !== victim) t.is(await s.exitCode(), 0);
});

test('the README recipe states the check interval, fall, rise, retries and redispatch this test runs', (t) => {
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
  t.true(readme.includes(`default-server send-proxy-v2 check inter ${CHECK.inter} fall ${CHECK.fall} rise ${CHECK.rise}`));
  for (const line of [`retries ${CHECK.retries}`, `timeout check ${CHECK.timeout}`, 'option redispatch 1', 'retry-on all-retryable-errors', 'option httpchk GET /']) t.true(readme.includes(`  ${line}\n`), line);
  t.regex(readme, /serve http --host \S+ --port 8080 --workers 2 --proxy-protocol --proxy-from/);
});
