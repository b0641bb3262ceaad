// The hostile suite's harness: runs the BUILT CLI (`node dist/src/cli.js serve ...`) in a child
// process, reads its RSS and descriptor count from /proc (not from any counter of its own), and
// checks that a normal client on another connection is answered within 2 s while an attack runs.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { testCerts } from '../helpers/tls-certs.js';

/**
 * The built CLI: dist/src/cli.js beside this file's dist/test/hostile, or SWITCHBOARD_HOSTILE_CLI
 * (to run the suite against another build, e.g. the one before the fixes).
 */
export const CLI = process.env['SWITCHBOARD_HOSTILE_CLI'] ?? fileURLToPath(new URL('../../src/cli.js', import.meta.url));
/** How long a normal client may wait for its answer during an attack (issue 13). */
export const ANSWER_WITHIN_MS = 2000;
const MiB = 1024 * 1024;

/** What the server under attack is: its kind (for the probe), and whether it speaks TLS. */
export interface ServerSpec {
  readonly server: 'echo' | 'http' | 'resp' | 'chat';
  readonly tls?: boolean;
  readonly flags?: readonly string[];
}

/** A server running in a child process. */
export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  readonly spec: ServerSpec;
  /** True while the process has not exited. */
  alive(): boolean;
  /** Its exit code or signal, once it exited. */
  readonly exit: Promise<string>;
  /** What it wrote on stderr (the first 64 KiB). */
  stderr(): string;
  /** Opens a connection the way the server expects (TLS with the test CA for a --tls server). */
  connect(): net.Socket;
  stop(): Promise<void>;
}

/** Starts `serve <server> --port 0` from the built CLI and resolves once it says 'listening on'. */
export function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const args = [CLI, 'serve', spec.server, '--port', '0', ...(spec.flags ?? [])];
  if (spec.tls === true) {
    const certs = testCerts();
    args.push('--tls-cert', certs.server.certFile, '--tls-key', certs.server.keyFile);
  }
  return startProcess(spec, process.execPath, args);
}

/**
 * Starts any server (a reference server, for the figures beside ours) that prints
 * 'listening on <address>:<port>', or, given `port`, is ready once that port accepts.
 */
export async function startProcess(spec: ServerSpec, command: string, args: readonly string[], port?: number): Promise<ServerProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 65536) stderr += chunk.toString();
  });
  const exit = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  let isAlive = true;
  void exit.then(() => (isAlive = false));
  const listening = port === undefined ? await listeningPort(child, exit, () => stderr) : await acceptingPort(port, exit);
  const pid = child.pid ?? -1;
  return {
    pid,
    port: listening,
    spec,
    alive: () => isAlive,
    exit,
    stderr: () => stderr,
    connect: () => connectTo(listening, spec.tls === true),
    async stop() {
      if (!isAlive) return;
      child.kill('SIGKILL');
      await exit;
    },
  };
}

function listeningPort(child: ChildProcess, exit: Promise<string>, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on \S*:(\d+)/.exec(out);
      if (match !== null) resolve(Number(match[1]));
    });
    void exit.then((status) => reject(new Error(`the server exited (${status}) before listening: ${stderr()}`)));
  });
}

async function acceptingPort(port: number, exit: Promise<string>): Promise<number> {
  let hasExited = false;
  void exit.then(() => (hasExited = true));
  for (let attempt = 0; attempt < 200 && !hasExited; attempt++) {
    const isUp = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(true));
      socket.once('error', () => resolve(false));
      socket.once('connect', () => socket.destroy());
    });
    if (isUp) return port;
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing accepted on port ${port}`);
}

/** A port free now on 127.0.0.1 (for a reference server that cannot pick its own). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** A client connection to 127.0.0.1:port, over TLS (verifying the test CA) when asked. */
export function connectTo(port: number, useTLS: boolean): net.Socket {
  const socket = useTLS
    ? tls.connect({ host: '127.0.0.1', port, ca: testCerts().ca, servername: 'localhost' })
    : net.connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  return socket;
}

/** The process's resident set in bytes, from /proc/<pid>/status VmRSS (0 once it is gone). */
export function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}

/** How many descriptors the process holds, from /proc/<pid>/fd (0 once it is gone). */
export function fdsOf(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) the process used, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // After "pid (comm) ": state is field 3, utime field 14, stime field 15 (1-based).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** One normal request the server must answer: a GET /, a PING, an echoed line, a chat line relayed. */
export function probe(server: ServerProcess, timeoutMs = 10_000): Promise<number> {
  if (server.spec.server === 'chat') return chatProbe(server, timeoutMs);
  const started = performance.now();
  const [ask, expect] =
    server.spec.server === 'http'
      ? ['GET / HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n', /^HTTP\/1\.1 200 /]
      : server.spec.server === 'resp'
        ? ['PING\r\n', /^\+PONG\r\n/]
        : ['probe\n', /^probe\n/];
  return new Promise((resolve, reject) => {
    const socket = server.connect();
    let got = '';
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms (got ${JSON.stringify(got.slice(0, 80))})`)), timeoutMs);
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error === undefined) resolve(performance.now() - started);
      else reject(error);
    };
    socket.on('data', (chunk: Buffer) => {
      got += chunk.toString('latin1');
      if (expect.test(got)) finish();
    });
    socket.once('close', () => finish(new Error(`closed before answering (got ${JSON.stringify(got.slice(0, 80))})`)));
    socket.write(ask);
  });
}

/** Two chat clients: the time from one saying a line until the other hears it. */
async function chatProbe(server: ServerProcess, timeoutMs: number): Promise<number> {
  const sockets: net.Socket[] = [];
  const open = async (): Promise<net.Socket> => {
    const socket = server.connect();
    sockets.push(socket);
    const isOpen = await within(new Promise<boolean>((resolve) => socket.once('connect', () => resolve(true))), timeoutMs, false);
    if (!isOpen) throw new Error(`a chat client could not connect within ${timeoutMs} ms`);
    return socket;
  };
  try {
    // The listener joins first (the server accepts in order), so it hears the speaker join: then
    // both are in the room.
    const listener = await open();
    const joined = new Promise<boolean>((resolve) => listener.once('data', () => resolve(true)));
    const speaker = await open();
    if (!(await within(joined, timeoutMs, false))) throw new Error(`a chat join was not announced within ${timeoutMs} ms`);
    const started = performance.now();
    const word = `probe${Math.floor(Math.random() * 1e9)}`;
    const relayed = new Promise<boolean>((resolve) => {
      // Only the tail that could hold the start of the word is kept: the listener hears the whole
      // flood too, and searching everything heard so far made it too slow to keep up (then the
      // server rightly dropped it as a slow client).
      let tail = '';
      listener.on('data', (chunk: Buffer) => {
        const text = tail + chunk.toString('latin1');
        if (text.includes(word)) resolve(true);
        tail = text.slice(-word.length);
      });
      listener.once('close', () => resolve(false));
    });
    speaker.write(`${word}\n`);
    if (!(await within(relayed, timeoutMs, false))) throw new Error(`a chat line was not relayed within ${timeoutMs} ms`);
    return performance.now() - started;
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}

/** What the sampler saw while an attack ran. */
export interface Sample {
  /** RSS before the attack, in MiB. */
  readonly baseRssMiB: number;
  /** Descriptors before the attack. */
  readonly baseFds: number;
  /** The highest RSS seen during the attack, in MiB. */
  readonly peakRssMiB: number;
  /** The most descriptors seen during the attack. */
  readonly peakFds: number;
  /** The slowest normal answer during the attack, in ms (Infinity if one failed). */
  readonly slowestAnswerMs: number;
  /** Why a normal answer failed, if one did. */
  readonly probeFailure: string | undefined;
  /** How many normal answers were asked for. */
  readonly probes: number;
}

/** The pause between one normal request's answer and the next request. */
const PROBE_PAUSE_MS = 100;

/**
 * Runs `attack` against `server` while sampling its RSS and descriptors every 50 ms and sending a
 * normal request 100 ms after each answer (one at a time, each allowed 10 s so a stall is measured,
 * not cut short). Resolves when the attack does and the probe in flight is answered.
 */
export async function underAttack(server: ServerProcess, attack: () => Promise<void>): Promise<Sample> {
  await probe(server);
  const baseRss = rssOf(server.pid);
  const baseFds = fdsOf(server.pid);
  let peakRss = baseRss;
  let peakFds = baseFds;
  const sample = (): void => {
    peakRss = Math.max(peakRss, rssOf(server.pid));
    peakFds = Math.max(peakFds, fdsOf(server.pid));
  };
  const sampler = setInterval(sample, 50);
  let isAttacking = true;
  let slowest = 0;
  let failure: string | undefined;
  let probes = 0;
  const probing = (async () => {
    while (isAttacking && failure === undefined) {
      probes += 1;
      try {
        slowest = Math.max(slowest, await probe(server));
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
        slowest = Number.POSITIVE_INFINITY;
      }
      // Paced: back to back, the probes (a new connection each, over 1,000 a second on an idle
      // machine) were a load of their own and grew the heap the attack is judged by.
      if (isAttacking) await attackFor(PROBE_PAUSE_MS);
    }
  })();
  try {
    await attack();
  } finally {
    isAttacking = false;
    await probing;
    sample();
    clearInterval(sampler);
  }
  return {
    baseRssMiB: baseRss / MiB,
    baseFds,
    peakRssMiB: peakRss / MiB,
    peakFds,
    slowestAnswerMs: slowest,
    probeFailure: failure,
    probes,
  };
}

/** Text for a test's log line: the figures the closing note in docs/limits.md quotes. */
export function describe(sample: Sample): string {
  const growth = sample.peakRssMiB - sample.baseRssMiB;
  return `RSS ${sample.baseRssMiB.toFixed(1)} -> ${sample.peakRssMiB.toFixed(1)} MiB (+${growth.toFixed(1)}), fds ${sample.baseFds} -> ${sample.peakFds}, slowest normal answer ${sample.slowestAnswerMs.toFixed(0)} ms over ${sample.probes}${sample.probeFailure === undefined ? '' : `, failed: ${sample.probeFailure}`}`;
}

/** Opens `count` connections and resolves once each is connected (TLS: handshake done). */
export async function openMany(server: ServerProcess, count: number): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = server.connect();
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once(server.spec.tls === true ? 'secureConnect' : 'connect', () => resolve());
      socket.once('close', () => reject(new Error(`connection ${i} closed before it was made`)));
    });
  }
  return sockets;
}

/** Resolves after `ms` on a real timer: an attack's duration (a bounded load loop), never a wait for a result. */
export function attackFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `promise`, or `fallback` if it has not settled within `ms` (the timer is cleared, so it never holds the process open). */
export async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
