// A raw HTTP/1.1 client over node:net for the drain tests: it counts what arrives without keeping
// it, can stop reading (so a response stays in flight), and tells when the server closed.
import { connect, type Socket } from 'node:net';

/** One connection, with what arrived on it so far. */
export class RawHttp {
  readonly socket: Socket;
  /** The head of the first response (up to its blank line), once it came. */
  head = '';
  /** Body bytes of the first response received so far. */
  bodyBytes = 0;
  #pending = '';
  #waiters: { test: () => boolean; resolve: () => void }[] = [];
  isClosed = false;
  readonly connected: Promise<void>;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.connected = new Promise((resolve) => this.socket.once('connect', () => resolve()));
    this.socket.on('error', () => {});
    this.socket.on('data', (d: Buffer) => this.#take(d));
    this.socket.on('close', () => {
      this.isClosed = true;
      this.#check();
    });
  }

  /** Content-Length of the first response (0 before its head came). */
  get contentLength(): number {
    return Number(/content-length: (\d+)/i.exec(this.head)?.[1] ?? 0);
  }

  /** Resolves once `test()` holds (checked on every arrival and on close). */
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }

  /** Resolves once the first response is complete. */
  complete(): Promise<void> {
    return this.until(() => this.head !== '' && this.bodyBytes >= this.contentLength);
  }

  /** Resolves once the server closed the connection. */
  closed(): Promise<void> {
    return this.until(() => this.isClosed);
  }

  #take(data: Buffer): void {
    if (this.head === '') {
      this.#pending += data.toString('latin1');
      const end = this.#pending.indexOf('\r\n\r\n');
      if (end >= 0) {
        this.head = this.#pending.slice(0, end + 4);
        this.bodyBytes = this.#pending.length - end - 4;
        this.#pending = '';
      }
    } else {
      this.bodyBytes += data.length;
    }
    this.#check();
  }

  #check(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }
}

/** Opens a connection, sends GET / keep-alive and waits for the whole answer: an idle keep-alive connection. */
export async function idleKeepAlive(port: number): Promise<RawHttp> {
  const client = new RawHttp(port);
  client.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  await client.complete();
  return client;
}
