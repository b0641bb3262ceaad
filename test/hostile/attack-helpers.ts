// What the hostile suite's attack files share: starting a server for a test, the common
// assertions, counting answers, writing under backpressure, resets at random moments, bad numbers.
// Not a test file: importing an *.attack.js file would register its tests in the importer.
import type { ExecutionContext } from 'ava';
import type * as net from 'node:net';
import { seededRandom } from '../helpers/splits.js';
import { ANSWER_WITHIN_MS, type Sample, type ServerProcess, type ServerSpec, attackFor, describe, fdsOf, openMany, startServer, within } from './harness.js';

export async function serverFor(t: ExecutionContext, spec: ServerSpec): Promise<ServerProcess> {
  const server = await startServer(spec);
  t.teardown(() => server.stop());
  return server;
}

/** The assertions every attack shares: alive, answered within 2 s, RSS and descriptors bounded. */
export function checkSample(t: ExecutionContext, server: ServerProcess, sample: Sample, bound: { rssMiB?: number | undefined; fds?: number | undefined }): void {
  t.log(describe(sample));
  t.true(server.alive(), `the server died: ${server.stderr().slice(-2000)}`);
  t.is(sample.probeFailure, undefined);
  t.true(sample.slowestAnswerMs <= ANSWER_WITHIN_MS, `a normal client waited ${sample.slowestAnswerMs.toFixed(0)} ms`);
  if (bound.rssMiB !== undefined) {
    t.true(sample.peakRssMiB - sample.baseRssMiB <= bound.rssMiB, `RSS grew ${(sample.peakRssMiB - sample.baseRssMiB).toFixed(1)} MiB, bound ${bound.rssMiB.toFixed(1)}`);
  }
  if (bound.fds !== undefined) t.true(sample.peakFds - sample.baseFds <= bound.fds, `descriptors grew ${sample.peakFds - sample.baseFds}, bound ${bound.fds}`);
}

/** Resolves once `socket` has received `count` matches of `pattern` (counted across chunk edges) or closed; gives the count. */
export function countAnswers(socket: net.Socket, marker: string, count: number): Promise<number> {
  return new Promise((resolve) => {
    let seen = 0;
    let tail = '';
    const onData = (chunk: Buffer): void => {
      const text = tail + chunk.toString('latin1');
      let at = text.indexOf(marker);
      let last = -1;
      while (at >= 0) {
        seen += 1;
        last = at;
        at = text.indexOf(marker, at + marker.length);
      }
      // Keep what could be the start of a marker cut by the chunk's end.
      tail = text.slice(Math.max(last + marker.length, text.length - marker.length + 1));
      if (seen >= count) finish();
    };
    const finish = (): void => {
      socket.off('data', onData);
      resolve(seen);
    };
    socket.on('data', onData);
    socket.once('close', finish);
  });
}

/** Writes `make()` chunks while the kernel takes them (waiting on 'drain'), until `ms` pass or the socket closes. */
export async function writeFor(socket: net.Socket, ms: number, make: () => Buffer | string): Promise<number> {
  const until = performance.now() + ms;
  let written = 0;
  while (performance.now() < until && !socket.destroyed) {
    const chunk = make();
    written += chunk.length;
    if (!socket.write(chunk)) {
      const drained = await within(new Promise<boolean>((resolve) => socket.once('drain', () => resolve(true))), Math.max(0, until - performance.now()), false);
      if (!drained) break;
    }
  }
  return written;
}

/** Resolves once the server holds at most `bound` more descriptors than `base`, or after 10 s; gives the last count. */
export async function settledFds(server: ServerProcess, base: number, bound: number): Promise<number> {
  const until = performance.now() + 10_000;
  let fds = fdsOf(server.pid);
  while (fds - base > bound && performance.now() < until) {
    await attackFor(50);
    fds = fdsOf(server.pid);
  }
  return fds;
}

/** Sends a random prefix of `script` on each of `count` connections, then resets it (RST) at a random moment. */
export async function resetAtRandom(server: ServerProcess, script: Buffer, count: number, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const sockets = await openMany(server, count);
  await Promise.all(sockets.map(async (socket) => {
    socket.on('data', () => undefined);
    socket.write(script.subarray(0, Math.floor(random() * script.length)));
    if (random() < 0.5) await attackFor(Math.floor(random() * 20));
    socket.resetAndDestroy();
  }));
}

/** Sends `request` on its own connection; resolves with the status line, or '' if the server closed without one. */
export function statusOf(server: ServerProcess, request: string, firstLine: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const socket = server.connect();
    let got = '';
    const timer = setTimeout(() => finish(`no answer in 10 s: ${JSON.stringify(got.slice(0, 60))}`), 10_000);
    const finish = (status: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(status);
    };
    socket.on('data', (chunk: Buffer) => {
      got += chunk.toString('latin1');
      const line = firstLine.exec(got);
      if (line !== null) finish(line[0]);
    });
    socket.once('close', () => finish(got.length === 0 ? '' : `closed after ${JSON.stringify(got.slice(0, 60))}`));
    socket.write(request);
  });
}

