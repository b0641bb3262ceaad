// makefile(): a buffered reader and writer over a socket, as Python's socket.makefile('rwb'). Writes
// collect in a buffer and reach the peer only on flush() or when the buffer fills: the HOWTO's trap
// of writing a request and waiting for a reply that cannot come until the request is flushed.
import type { WaitOptions } from '../reactor/wait-ready.js';
import { ValueError } from './errors.js';

/** What SocketFile needs of a socket (the awaitable calls), so it can be tested over any of them. */
export interface FileSocket {
  /** Resolves once every byte of `data` was accepted for sending (Socket.sendall). */
  sendall(data: Uint8Array, options?: WaitOptions): Promise<void>;
  /** Resolves with 1 to `size` bytes, or an empty Buffer at EOF (Socket.recvAsync). */
  recvAsync(size: number, options?: WaitOptions): Promise<Buffer>;
}

/** Options of `Socket.makefile()`; both sizes must be at least 1 (ValueError otherwise). */
export interface SocketFileOptions {
  /** Write buffer size in bytes; default 8192 (Python's io.DEFAULT_BUFFER_SIZE). */
  readonly bufferSize?: number;
  /** The longest line readline() returns whole, in bytes; longer lines come back in pieces of this size. Default 65536. */
  readonly maxLineBytes?: number;
}

const DEFAULT_BUFFER_SIZE = 8192;
const DEFAULT_MAX_LINE = 65536;
const READ_CHUNK = 65536;

/**
 * The buffered binary file `Socket.makefile()` returns, as Python's `socket.makefile('rwb')`: writes
 * collect until flush() or a full buffer; reads and readline() go through a read buffer. Every
 * method waits as the socket's awaitable calls do: the socket's timeout bounds each send or receive
 * (TimeoutError), not the whole call, and `options.signal` aborts it. After close() every call
 * throws ValueError.
 */
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

  /** True once close() has run (Python's `file.closed`); the socket itself may still be open. */
  get closed(): boolean {
    return this.#isClosed;
  }

  /**
   * Buffers a copy of `data` and resolves with its length; once the buffer holds at least bufferSize
   * bytes it is flushed first, so awaiting write() applies the socket's backpressure.
   */
  async write(data: Uint8Array | string, options?: WaitOptions): Promise<number> {
    this.#checkOpen();
    const bytes = Buffer.from(typeof data === 'string' ? Buffer.from(data) : data);
    this.#pendingWrites.push(bytes);
    this.#pendingBytes += bytes.length;
    if (this.#pendingBytes >= this.#bufferSize) await this.flush(options);
    return bytes.length;
  }

  /** Sends everything written so far, resolving once the socket accepted it all (Socket.sendall). */
  async flush(options?: WaitOptions): Promise<void> {
    this.#checkOpen();
    if (this.#pendingBytes === 0) return;
    const data = Buffer.concat(this.#pendingWrites, this.#pendingBytes);
    this.#pendingWrites = [];
    this.#pendingBytes = 0;
    await this.#socket.sendall(data, options);
  }

  /**
   * Up to `size` bytes, fewer only at EOF (an empty Buffer at EOF); without `size`, everything until
   * EOF, buffered with no limit, so pass a size for untrusted peers.
   */
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
