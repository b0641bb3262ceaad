// The attacks of the hostile suite, as functions of a running server: the *.attack.ts tests run
// them on the built CLI and assert the bounds; measure-peers.ts runs the same ones on node:http and
// redis-server for the figures beside ours in docs/limits.md.
import { countAnswers, writeFor } from './attack-helpers.js';
import { type Sample, type ServerProcess, attackFor, openMany, underAttack, within } from './harness.js';

const MiB = 1024 * 1024;
const GET = 'GET / HTTP/1.1\r\nHost: hostile\r\n\r\n';

/** What an attack measured, and what it got back (answers counted, bytes the client got in). */
export interface Outcome<T> {
  readonly sample: Sample;
  readonly result: T;
}

/** Eight connections each write 10,000 pipelined GETs at once; resolves with the answers counted per connection. */
export async function pipelinedGets(server: ServerProcess): Promise<Outcome<number[]>> {
  let answered: number[] = [];
  const sample = await underAttack(server, async () => {
    const sockets = await openMany(server, 8);
    const counts = sockets.map((socket) => countAnswers(socket, 'HTTP/1.1 200 ', 10_000));
    for (const socket of sockets) socket.write(GET.repeat(10_000));
    answered = await within(Promise.all(counts), 180_000, []);
    for (const socket of sockets) socket.destroy();
  });
  return { sample, result: answered };
}

/** `POST /echo` with a 1 MiB body, head and body in one Buffer. */
function postOfOneMiB(): Buffer {
  return Buffer.concat([Buffer.from(`POST /echo HTTP/1.1\r\nHost: hostile\r\nContent-Length: ${MiB}\r\n\r\n`), Buffer.alloc(MiB, 0x62)]);
}

/** One client POSTs 1 MiB bodies to /echo for 8 s and never reads; resolves with the bytes it got in. */
export async function postsNeverRead(server: ServerProcess): Promise<Outcome<number>> {
  const request = postOfOneMiB();
  let written = 0;
  const sample = await underAttack(server, async () => {
    const [socket] = await openMany(server, 1);
    if (socket === undefined) return;
    socket.pause();
    written = await writeFor(socket, 8000, () => request);
    socket.destroy();
  });
  return { sample, result: written };
}

/** 16 clients pipeline ten GET /bytes/65536 every 10 ms for 8 s and never read. */
export async function pacedGetsNeverRead(server: ServerProcess): Promise<Outcome<undefined>> {
  const sample = await underAttack(server, async () => {
    const sockets = await openMany(server, 16);
    for (const socket of sockets) socket.pause();
    const ask = 'GET /bytes/65536 HTTP/1.1\r\nHost: hostile\r\n\r\n'.repeat(10);
    await Promise.all(sockets.map(async (socket) => {
      const until = performance.now() + 8000;
      while (performance.now() < until && !socket.destroyed) {
        socket.write(ask);
        await attackFor(10);
      }
    }));
    for (const socket of sockets) socket.destroy();
  });
  return { sample, result: undefined };
}

/** POSTs a 4 MiB chunked body in 1-byte chunks; resolves with whether it was answered 200. */
export async function oneByteChunks(server: ServerProcess): Promise<Outcome<boolean>> {
  let echoed = false;
  const sample = await underAttack(server, async () => {
    const [socket] = await openMany(server, 1);
    if (socket === undefined) return;
    socket.on('data', () => undefined);
    const answer = countAnswers(socket, 'HTTP/1.1 200 ', 1);
    socket.write('POST /echo HTTP/1.1\r\nHost: hostile\r\nTransfer-Encoding: chunked\r\n\r\n');
    const piece = Buffer.from('1\r\nz\r\n'.repeat(64 * 1024));
    for (let sent = 0; sent < 4 * MiB && !socket.destroyed; sent += 64 * 1024) {
      if (!socket.write(piece)) await new Promise<void>((resolve) => socket.once('drain', () => resolve()));
    }
    socket.write('0\r\n\r\n');
    echoed = (await within(answer, 60_000, 0)) === 1;
    socket.destroy();
  });
  return { sample, result: echoed };
}

/** 30 pipelined HEAD /bytes/<1 TiB> in one write; resolves with the answers counted (-1: not all within 60 s). */
export async function headsOfHugeBodies(server: ServerProcess): Promise<Outcome<number>> {
  let heads = 0;
  const sample = await underAttack(server, async () => {
    const [socket] = await openMany(server, 1);
    if (socket === undefined) return;
    const answers = countAnswers(socket, 'HTTP/1.1 200 ', 30);
    socket.write('HEAD /bytes/1099511627776 HTTP/1.1\r\nHost: hostile\r\n\r\n'.repeat(30));
    heads = await within(answers, 60_000, -1);
    socket.destroy();
  });
  return { sample, result: heads };
}

/** 200 connections send a complete head announcing 1,000,000 bytes, then a byte each every 200 ms for 5 s. */
export async function slowBodies(server: ServerProcess): Promise<Outcome<undefined>> {
  const sample = await underAttack(server, async () => {
    const sockets = await openMany(server, 200);
    for (const socket of sockets) socket.write('POST /echo HTTP/1.1\r\nHost: hostile\r\nContent-Length: 1000000\r\n\r\n');
    for (let i = 0; i < 25; i++) {
      for (const socket of sockets) if (!socket.destroyed) socket.write('s');
      await attackFor(200);
    }
    for (const socket of sockets) socket.destroy();
  });
  return { sample, result: undefined };
}

/** A RESP command as a multibulk array. */
export function command(...args: string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}

/** `connections` connections each send *1048576 and 1,048,575 `$0`, never the last, and hold them 3 s. */
export async function unfinishedArrays(server: ServerProcess, connections: number): Promise<Outcome<undefined>> {
  const attack = Buffer.concat([Buffer.from('*1048576\r\n'), Buffer.from('$0\r\n\r\n'.repeat(1_048_575))]);
  const sample = await underAttack(server, async () => {
    const sockets = await openMany(server, connections);
    await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.write(attack, () => resolve()))));
    // Written to the kernel: hold the connections while the server reads and keeps them.
    await attackFor(3000);
    for (const socket of sockets) socket.destroy();
  });
  return { sample, result: undefined };
}

/** Stores a 4 MiB value, then one client asks MGET of it 100 times and never reads, for 4 s. */
export async function amplifiedMget(server: ServerProcess): Promise<Outcome<boolean>> {
  const [loader] = await openMany(server, 1);
  if (loader === undefined) throw new Error('no connection');
  const stored = countAnswers(loader, '+OK\r\n', 1);
  loader.write(command('SET', 'big', 'v'.repeat(4 * MiB)));
  const isStored = (await stored) === 1;
  loader.destroy();
  const sample = await underAttack(server, async () => {
    const [socket] = await openMany(server, 1);
    if (socket === undefined) return;
    socket.pause();
    socket.write(command('MGET', ...Array<string>(100).fill('big')));
    await attackFor(4000);
    socket.destroy();
  });
  return { sample, result: isStored };
}

/** 100,000 PINGs in one write; resolves with the PONGs counted (-1: not all within 60 s). */
export async function pipelinedPings(server: ServerProcess): Promise<Outcome<number>> {
  let answered = 0;
  const sample = await underAttack(server, async () => {
    const [socket] = await openMany(server, 1);
    if (socket === undefined) return;
    const answers = countAnswers(socket, '+PONG\r\n', 100_000);
    socket.write(command('PING').repeat(100_000));
    answered = await within(answers, 60_000, -1);
    socket.destroy();
  });
  return { sample, result: answered };
}

/** 16 chat clients never read while one talks (1,000-byte lines, 64 every 5 ms) for 8 s; resolves with the MiB it sent. */
export async function deafChatClients(server: ServerProcess): Promise<Outcome<number>> {
  const line = `${'x'.repeat(1000)}\n`;
  let written = 0;
  const sample = await underAttack(server, async () => {
    const deaf = await openMany(server, 16);
    for (const socket of deaf) socket.pause();
    const [talker] = await openMany(server, 1);
    if (talker === undefined) return;
    talker.on('data', () => undefined);
    // 64 lines every 5 ms (at most 12.5 MiB/s): as fast as a reading client on this machine keeps
    // up with. Any faster, a reader sharing the talker's CPU falls behind and is dropped as slow
    // too, which is the rule, not a failure; the deaf clients pass their 1 MiB backlog either way.
    const burst = line.repeat(64);
    const until = performance.now() + 8000;
    while (performance.now() < until && !talker.destroyed) {
      written += await writeFor(talker, 0, () => burst);
      await attackFor(5);
    }
    for (const socket of [...deaf, talker]) socket.destroy();
  });
  return { sample, result: written / MiB };
}

/** The harmless form of postsNeverRead: for as long (8 s), one client POSTs 1 MiB bodies to /echo, each once the last is echoed back; resolves with the bytes it sent. */
export async function postsRead(server: ServerProcess): Promise<Outcome<number>> {
  const request = postOfOneMiB();
  let written = 0;
  const sample = await underAttack(server, async () => {
    const [socket] = await openMany(server, 1);
    if (socket === undefined) return;
    let got = 0;
    let wanted = 0;
    let onEchoed: (() => void) | undefined;
    socket.on('data', (chunk: Buffer) => {
      got += chunk.length;
      // Each answer is a head and the 1 MiB body: once the bytes in pass the bodies asked, it is in.
      if (got >= wanted) onEchoed?.();
    });
    const until = performance.now() + 8000;
    while (performance.now() < until && !socket.destroyed) {
      wanted += MiB;
      const echoed = new Promise<void>((resolve) => (onEchoed = resolve));
      socket.write(request);
      written += request.length;
      await within(echoed, 60_000, undefined);
    }
    socket.destroy();
  });
  return { sample, result: written };
}
