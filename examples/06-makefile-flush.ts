// The socket HOWTO, "Using a Socket": the file-like socket (makefile) and why it needs flush.
//
// "you can transform your client socket into a file-like beast and use read and write ... you need
// to use flush on sockets. These are buffered "files", and a common mistake is to write something,
// and then read for a reply. Without a flush in there, you may wait forever for the reply, because
// the request may still be in your output buffer."
//
// Python's f = s.makefile('rwb') is s.makefile() here; its write, flush, readline and read are
// awaited. The trap is shown with a bounded wait (settimeout) instead of forever; then the fix.
//
//     npm run build && node dist/examples/06-makefile-flush.js
import { pathToFileURL } from 'node:url';
import { AF_INET, SHUT_WR, SOCK_STREAM, type Socket, type SocketFile, TimeoutError, socket } from '../src/index.js';

/** How long the trap waits for the reply that cannot come. */
export const TRAP_TIMEOUT = 0.3;
/** The longest line a server or client here reads, so that a peer cannot make readline buffer without end. */
const MAX_LINE = 4096;

/** The server: answers each line it reads with "you said: <line>", flushing each answer. */
export class LineServer {
  /** The lines received so far (to see when the request arrived). */
  readonly received: string[] = [];
  /** Why serving ended early, if it did. */
  error: unknown = undefined;
  /** Resolves when the client has closed its side (never rejects: see `error`). */
  readonly done: Promise<void>;

  constructor(conn: Socket) {
    this.done = this.#serve(conn).catch((error: unknown) => {
      this.error = error;
    });
  }

  async #serve(conn: Socket): Promise<void> {
    const f = conn.makefile({ maxLineBytes: MAX_LINE });
    for (let line = await f.readline(); line.length > 0; line = await f.readline()) {
      const text = line.toString().replace(/\r?\n$/, '');
      this.received.push(text);
      await f.write(`you said: ${text}\n`);
      await f.flush(); // the server must flush too, or the client waits for it
    }
    await f.close();
  }
}

/** The mistake: write the request, then read for the reply, without a flush in between. */
export async function askWithoutFlush(f: SocketFile, question: string): Promise<string> {
  await f.write(`${question}\n`);
  return (await f.readline()).toString();
}

/** The fix: flush after writing, so the request leaves our buffer before we wait for the reply. */
export async function ask(f: SocketFile, question: string): Promise<string> {
  await f.write(`${question}\n`);
  await f.flush();
  return (await f.readline()).toString();
}

export interface TrapOutcome {
  /** What the server had received when the trap's wait timed out. */
  readonly receivedDuringTrap: readonly string[];
  readonly trapError: unknown;
  /** The reply once the buffered request was flushed. */
  readonly replyAfterFlush: string;
  /** A second question asked the right way. */
  readonly reply: string;
}

/** The trap and the fix, on one connection to a LineServer over localhost. */
export async function showTrapAndFix(timeout = TRAP_TIMEOUT): Promise<TrapOutcome> {
  const serversocket = socket(AF_INET, SOCK_STREAM);
  serversocket.bind(['localhost', 0]);
  serversocket.listen(5);
  const s = socket(AF_INET, SOCK_STREAM);
  try {
    const accepting = serversocket.acceptAsync();
    await s.connectAsync(serversocket.getsockname());
    const [conn] = await accepting;
    const server = new LineServer(conn);
    try {
      const f = s.makefile({ maxLineBytes: MAX_LINE });
      s.settimeout(timeout); // bounds the trap's wait: in Python you would wait forever
      let trapError: unknown;
      try {
        await askWithoutFlush(f, 'are you there?');
      } catch (error) {
        if (!(error instanceof TimeoutError)) throw error;
        trapError = error;
      }
      const receivedDuringTrap = [...server.received];
      s.settimeout(null);
      // The request is still in the buffer: flushing sends it, and its reply comes. (Python's file
      // refuses to read again after a timeout; this one stays usable.)
      await f.flush();
      const replyAfterFlush = (await f.readline()).toString();
      const reply = await ask(f, 'and now?');
      await f.close();
      s.shutdown(SHUT_WR);
      await server.done;
      return { receivedDuringTrap, trapError, replyAfterFlush, reply };
    } finally {
      conn.close();
    }
  } finally {
    s.close();
    serversocket.close();
  }
}

export async function main(_args: readonly string[], print: (line: string) => void = console.log): Promise<TrapOutcome> {
  const outcome = await showTrapAndFix();
  print(`write without flush, then readline: ${String(outcome.trapError)}`);
  print(`  the server had received ${JSON.stringify(outcome.receivedDuringTrap)}: the request was still in our buffer`);
  print(`flush, then readline: ${JSON.stringify(outcome.replyAfterFlush)}`);
  print(`write, flush, readline: ${JSON.stringify(outcome.reply)}`);
  return outcome;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(String(error));
    process.exitCode = 1;
  });
}
