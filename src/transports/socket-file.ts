// makefile(): a buffered reader and writer over a socket, as Python's socket.makefile('rwb'). Writes
// collect in a buffer and reach the peer only on flush() or when the buffer fills: the HOWTO's trap
// of writing a request and waiting for a reply that cannot come until the request is flushed.
import type { WaitOptions } from '../reactor/wait-ready.js';
import { ValueError } from './errors.js';

/** What SocketFile needs of a socket (the awaitable calls), so it can be tested over any of them. */
export interface FileSocket {
  sendall(data: Uint8Array, options?: WaitOptions): Promise<void>;
  recvAsync(size: number, options?: WaitOptions): Promise<Buffer>;
}

export interface SocketFileOptions {
  /** Write buffer size in bytes (Python's io.DEFAULT_BUFFER_SIZE). */
  readonly bufferSize?: number;
  /** The longest line readline() returns whole; longer lines come back in pieces of this size. */
  readonly maxLineBytes?: number;
}

const DEFAULT_BUFFER_SIZE = 8192;
const DEFAULT_MAX_LINE = 65536;
const READ_CHUNK = 65536;

export class SocketFile {
  readonly #socket: FileSocket;
  readonly #bufferSize: number;
  readonly #maxLine: number;
  #pendingWrites: Buffer[] = [];
  #pendingBytes = 0;
  #readBuffer: Buffer = Buffer.alloc(0);
  #isEOF = false;
  #isClosed = false;

  constructor(socket: FileSocket, options: SocketFileOptions = {}) {
    this.#socket = socket;
    this.#bufferSize = options.bufferSize ?? DEFAULT_BUFFER_SIZE;
    this.#maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE;
    if (this.#bufferSize < 1 || this.#maxLine < 1) throw new ValueError('buffer sizes must be positive');
  }

  get closed(): boolean {
    return this.#isClosed;
  }

  /** Buffers `data`; sends the buffer once it holds at least bufferSize bytes. */
  async write(data: Uint8Array | string, options?: WaitOptions): Promise<number> {
    this.#checkOpen();
    const bytes = Buffer.from(typeof data === 'string' ? Buffer.from(data) : data);
    this.#pendingWrites.push(bytes);
    this.#pendingBytes += bytes.length;
    if (this.#pendingBytes >= this.#bufferSize) await this.flush(options);
    return bytes.length;
  }

  /** Sends everything written so far. */
  async flush(options?: WaitOptions): Promise<void> {
    this.#checkOpen();
    if (this.#pendingBytes === 0) return;
    const data = Buffer.concat(this.#pendingWrites, this.#pendingBytes);
    this.#pendingWrites = [];
    this.#pendingBytes = 0;
    await this.#socket.sendall(data, options);
  }

  /** Up to `size` bytes, fewer only at EOF; without `size`, everything until EOF. */
  async read(size?: number, options?: WaitOptions): Promise<Buffer> {
    this.#checkOpen();
    const want = size ?? Number.POSITIVE_INFINITY;
    while (this.#readBuffer.length < want && !this.#isEOF) await this.#fill(options);
    return this.#take(Math.min(want, this.#readBuffer.length));
  }

  /** One line including its '\n' (or what is left at EOF; empty at EOF), at most maxLineBytes long. */
  async readline(options?: WaitOptions): Promise<Buffer> {
    this.#checkOpen();
    let scanned = 0;
    for (;;) {
      const newline = this.#readBuffer.indexOf(0x0a, scanned);
      if (newline >= 0 && newline < this.#maxLine) return this.#take(newline + 1);
      if (this.#readBuffer.length >= this.#maxLine) return this.#take(this.#maxLine);
      if (this.#isEOF) return this.#take(this.#readBuffer.length);
      scanned = this.#readBuffer.length;
      await this.#fill(options);
    }
  }

  /** Flushes, then releases the file; the socket stays open (close it separately, as in Python). */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    try {
      await this.flush();
    } finally {
      this.#isClosed = true;
    }
  }

  async #fill(options?: WaitOptions): Promise<void> {
    const chunk = await this.#socket.recvAsync(READ_CHUNK, options);
    if (chunk.length === 0) this.#isEOF = true;
    else this.#readBuffer = this.#readBuffer.length === 0 ? chunk : Buffer.concat([this.#readBuffer, chunk]);
  }

  #take(n: number): Buffer {
    const out = this.#readBuffer.subarray(0, n);
    this.#readBuffer = this.#readBuffer.subarray(n);
    return out;
  }

  #checkOpen(): void {
    if (this.#isClosed) throw new ValueError('I/O operation on closed file');
  }
}
