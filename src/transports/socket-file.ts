// makefile(): a buffered reader and writer over a socket, as Python's socket.makefile('rwb'). Writes
// collect in a buffer and reach the peer only on flush() or when the buffer fills: the HOWTO's trap
// of writing a request and waiting for a reply that cannot come until the request is flushed.
import type { WaitOptions } from '../reactor/wait-ready.js';
import { ValueError } from './errors.js';
import { type SocketData, bytesOf } from './bytes-like.js';
import { ReadBuffer } from './read-buffer.js';

/** What SocketFile needs of a socket (the awaitable calls), so it can be tested over any of them. */
export interface FileSocket {
  /** Resolves once every byte of `data` was accepted for sending (Socket.sendall). */
  sendall(data: Uint8Array, options?: WaitOptions): Promise<void>;
  /** Resolves with 1 to `size` bytes, or an empty Buffer at EOF (Socket.recvAsync). */
  recvAsync(size: number, options?: WaitOptions): Promise<Buffer>;
}

/** Options of `Socket.makefile()`; every size must be at least 1 (ValueError otherwise). */
export interface SocketFileOptions {
  /** Write buffer size in bytes; default 8192 (Python's io.DEFAULT_BUFFER_SIZE). */
  readonly bufferSize?: number;
  /** The longest line readline() returns whole, in bytes; longer lines come back in pieces of this size. Default 65536. */
  readonly maxLineBytes?: number;
  /**
   * The most bytes read() without a size buffers while waiting for EOF; past it, ReadLimitError.
   * Default 16 MiB. Python's read() has no limit: pass Infinity for that, only for a trusted peer.
   */
  readonly maxReadBytes?: number;
}

/** read() without a size met more than maxReadBytes before EOF; what it read stays buffered for read(n). */
export class ReadLimitError extends RangeError {
  /** `'ReadLimitError'`. */
  override name = 'ReadLimitError';
  /** Always `'ERR_READ_LIMIT'`, for a `switch (err.code)`. */
  readonly code = 'ERR_READ_LIMIT' as const;
  /** The file's maxReadBytes, which the stream went past. */
  readonly limit: number;

  constructor(limit: number) {
    super(`Cannot read to EOF: more than the limit of ${limit} bytes came before it`);
    this.limit = limit;
  }
}

const DEFAULT_BUFFER_SIZE = 8192;
const DEFAULT_MAX_LINE = 65536;
const DEFAULT_MAX_READ = 16 * 1024 * 1024;
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
  readonly #maxRead: number;
  #pendingWrites: Buffer[] = [];
  #pendingBytes = 0;
  readonly #readBuffer = new ReadBuffer();
  #isEOF = false;
  #isClosed = false;

  constructor(socket: FileSocket, options: SocketFileOptions = {}) {
    this.#socket = socket;
    this.#bufferSize = options.bufferSize ?? DEFAULT_BUFFER_SIZE;
    this.#maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE;
    this.#maxRead = options.maxReadBytes ?? DEFAULT_MAX_READ;
    // Written as !(size >= 1) so that NaN is refused too.
    if (!(this.#bufferSize >= 1 && this.#maxLine >= 1 && this.#maxRead >= 1)) throw new ValueError('buffer sizes must be positive');
  }

  /** True once close() has run (Python's `file.closed`); the socket itself may still be open. */
  get closed(): boolean {
    return this.#isClosed;
  }

  /**
   * Buffers a copy of `data` and resolves with its length; once the buffer holds at least bufferSize
   * bytes it is flushed first, so awaiting write() applies the socket's backpressure.
   */
  async write(data: SocketData, options?: WaitOptions): Promise<number> {
    const view = bytesOf(data, 'write');
    this.#checkOpen();
    const bytes = Buffer.from(view);
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
   * Up to `size` bytes, fewer only at EOF (an empty Buffer at EOF). Without `size`, everything until
   * EOF, as Python's read(), but at most maxReadBytes (16 MiB by default; Python has no limit): once
   * more arrived before EOF it throws ReadLimitError and keeps what it read, for read(n).
   */
  async read(size?: number, options?: WaitOptions): Promise<Buffer> {
    this.#checkOpen();
    if (size === undefined) return this.#readToEOF(options);
    while (this.#readBuffer.bytes < size && !this.#isEOF) await this.#fill(READ_CHUNK, options);
    return this.#readBuffer.take(size);
  }

  /** One line including its '\n' (or what is left at EOF; empty at EOF), at most maxLineBytes long. */
  async readline(options?: WaitOptions): Promise<Buffer> {
    this.#checkOpen();
    const buffer = this.#readBuffer;
    let scanned = 0;
    for (;;) {
      const newline = buffer.indexOf(0x0a, scanned);
      if (newline >= 0 && newline < this.#maxLine) return buffer.take(newline + 1);
      if (buffer.bytes >= this.#maxLine) return buffer.take(this.#maxLine);
      if (this.#isEOF) return buffer.take(buffer.bytes);
      scanned = buffer.bytes;
      await this.#fill(READ_CHUNK, options);
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

  async #readToEOF(options?: WaitOptions): Promise<Buffer> {
    const buffer = this.#readBuffer;
    // Ask for no more than one byte past the limit: proof enough that EOF is too far, and the most
    // this buffers beyond it.
    while (!this.#isEOF && buffer.bytes <= this.#maxRead) await this.#fill(Math.min(READ_CHUNK, this.#maxRead + 1 - buffer.bytes), options);
    if (buffer.bytes > this.#maxRead) throw new ReadLimitError(this.#maxRead);
    return buffer.take(buffer.bytes);
  }

  async #fill(size: number, options?: WaitOptions): Promise<void> {
    const chunk = await this.#socket.recvAsync(size, options);
    if (chunk.length === 0) this.#isEOF = true;
    else this.#readBuffer.push(chunk);
  }

  #checkOpen(): void {
    if (this.#isClosed) throw new ValueError('I/O operation on closed file');
  }
}
