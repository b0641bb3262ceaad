// The socket HOWTO, "Creating a Socket" / "IPC": two processes on one machine, over a Unix socket
// and over localhost TCP.
//
// "If you need fast IPC between two processes on one machine, you should look into pipes or shared
// memory. If you do decide to use AF_INET sockets, bind the "server" socket to 'localhost'. On most
// platforms, this will take a shortcut around a couple of layers of network code and be quite a bit
// faster."
//
// The same server and the same client run over AF_UNIX (a path) and AF_INET ('localhost'): only
// the family and the address differ. The exchange is the HTTP-like one of "Disconnecting": the
// client sends, shuts down its sending side, and reads the reply until EOF; the reply names the
// server's process id, to show that another process answered.
//
//     npm run build && node dist/examples/11-ipc-unix-and-tcp.js              # both, server in a child process
//     node dist/examples/11-ipc-unix-and-tcp.js server unix /tmp/ipc.sock     # until Ctrl-C
//     node dist/examples/11-ipc-unix-and-tcp.js server tcp 9011
//     node dist/examples/11-ipc-unix-and-tcp.js client unix /tmp/ipc.sock hello
//     node dist/examples/11-ipc-unix-and-tcp.js client tcp 9011 hello
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AF_INET, AF_UNIX, type AddressInput, SHUT_WR, SOCK_STREAM, type Socket, socket } from '../src/index.js';

export type Transport = 'unix' | 'tcp';
/** The longest request or reply read, so that a peer that never stops cannot fill our memory. */
export const MAX_MESSAGE = 1 << 20;
const SCRIPT = fileURLToPath(import.meta.url);

/** The family and address for a transport: a path for Unix, ['localhost', port] for TCP. */
export function endpoint(transport: Transport, where: string): { family: typeof AF_UNIX | typeof AF_INET; address: AddressInput } {
  if (transport === 'unix') return { family: AF_UNIX, address: where };
  const port = Number(where);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`Not a port: ${where}`);
  return { family: AF_INET, address: ['localhost', port] };
}

async function recvUntilEOF(sock: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  for (;;) {
    const chunk = await sock.recvAsync(65536);
    if (chunk.length === 0) return Buffer.concat(chunks, received);
    received += chunk.length;
    if (received > MAX_MESSAGE) throw new RangeError(`More than ${MAX_MESSAGE} bytes before EOF`);
    chunks.push(chunk);
  }
}

/** The reply the server gives: who answered, and what it was asked. */
export function replyTo(request: string, pid = process.pid): string {
  return `pid ${pid} got: ${request}`;
}

// ---- the server -------------------------------------------------------------------------------------

export interface IpcServer {
  /** 'unix:<path>' or 'tcp:<host>:<port>', as printed on the "listening on" line. */
  readonly where: string;
  stop(): Promise<void>;
}

export function serve(transport: Transport, where: string): IpcServer {
  const { family, address } = endpoint(transport, where);
  const serversocket = socket(family, SOCK_STREAM);
  serversocket.bind(address); // TCP: 'localhost', as the HOWTO advises for IPC
  serversocket.listen(5);
  const bound = serversocket.getsockname();
  const stopping = new AbortController();
  const tasks = new Set<Promise<void>>();
  const loop = (async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      let conn: Socket;
      try {
        [conn] = await serversocket.acceptAsync({ signal: stopping.signal });
      } catch (error) {
        if (stopping.signal.aborted) return;
        throw error;
      }
      const task = answer(conn);
      tasks.add(task);
      void task.finally(() => tasks.delete(task));
    }
  })();
  return {
    where: typeof bound === 'string' ? `unix:${bound}` : `tcp:${bound[0]}:${bound[1]}`,
    async stop() {
      stopping.abort();
      await loop;
      serversocket.close(); // for AF_UNIX this also removes the path
      await Promise.all(tasks);
    },
  };
}

async function answer(conn: Socket): Promise<void> {
  try {
    const request = await recvUntilEOF(conn);
    await conn.sendall(replyTo(request.toString()));
    conn.shutdown(SHUT_WR);
  } catch {
    // A client that goes away mid-exchange ends only its own exchange.
  } finally {
    conn.close();
  }
}

// ---- the client -------------------------------------------------------------------------------------

/** The same client for both transports: connect, send, shutdown(SHUT_WR), read the reply to EOF. */
export async function request(transport: Transport, where: string, message: string): Promise<string> {
  const { family, address } = endpoint(transport, where);
  const s = socket(family, SOCK_STREAM);
  try {
    await s.connectAsync(address);
    await s.sendall(message);
    s.shutdown(SHUT_WR);
    return (await recvUntilEOF(s)).toString();
  } finally {
    s.close();
  }
}

// ---- a server in another process ---------------------------------------------------------------------

export interface ChildServer {
  readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  /** As the child printed it: 'unix:<path>' or 'tcp:<host>:<port>'. */
  readonly where: string;
  /** The argument for request(): the path, or the port. */
  readonly target: string;
  /** SIGTERM, then resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `node 11-ipc-unix-and-tcp.js server <transport> <where>` and waits for its "listening on" line. */
export async function spawnServer(transport: Transport, where: string): Promise<ChildServer> {
  // --until-stdin-closes: if this process dies, the child's stdin closes and it stops too.
  const child = spawn(process.execPath, [SCRIPT, 'server', transport, where, '--until-stdin-closes'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < 4096) stderr += text;
  });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const [first] = await Promise.race([once(lines, 'line'), exited.then(() => [undefined])]);
  const line = typeof first === 'string' ? first : '';
  const match = /^listening on ((unix):(.+)|(tcp):[^:]+:(\d+))$/.exec(line);
  if (match === null) {
    child.kill();
    await exited;
    throw new Error(`The server process did not start: ${stderr.trim() || JSON.stringify(line)}`);
  }
  const target = match[3] ?? match[5] ?? '';
  return {
    child,
    where: match[1] ?? '',
    target,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      lines.close();
      return child.exitCode;
    },
  };
}

// ---- the command line ---------------------------------------------------------------------------------

function transportOf(word: string | undefined): Transport {
  if (word === 'unix' || word === 'tcp') return word;
  throw new RangeError(`Transport must be unix or tcp, got ${String(word)}`);
}

async function runServer(args: readonly string[], print: (line: string) => void): Promise<void> {
  const server = serve(transportOf(args[0]), args[1] ?? '0');
  print(`listening on ${server.where}`);
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
    if (args.includes('--until-stdin-closes')) {
      process.stdin.once('end', resolve);
      process.stdin.resume();
    }
  });
  await stopped;
  process.stdin.destroy();
  await server.stop();
}

/** Both transports, each with its server in a child process and the client in this one. */
async function demo(print: (line: string) => void): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-ipc-'));
  const replies: string[] = [];
  try {
    for (const [transport, where] of [['unix', join(dir, 'ipc.sock')], ['tcp', '0']] as const) {
      const server = await spawnServer(transport, where);
      try {
        const reply = await request(transport, server.target, `hello over ${transport}`);
        print(`${server.where}: ${JSON.stringify(reply)} (this client is pid ${process.pid})`);
        replies.push(reply);
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return replies;
}

export async function main(args: readonly string[], print: (line: string) => void = console.log): Promise<string[]> {
  const [command, ...rest] = args;
  if (command === undefined) return demo(print);
  if (command === 'server') {
    await runServer(rest, print);
    return [];
  }
  if (command === 'client') {
    const reply = await request(transportOf(rest[0]), rest[1] ?? '', rest.slice(2).join(' '));
    print(reply);
    return [reply];
  }
  throw new RangeError(`Unknown command ${JSON.stringify(command)}: use server, client, or nothing for the demo`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(String(error));
    process.exitCode = 1;
  });
}
