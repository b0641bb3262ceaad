// The ciphertext pipe under node:tls for an SSLSocket: a Duplex that moves bytes through a switchboard
// Socket's public non-blocking calls (tryRecv/trySend, woken by readiness), so TLS runs over TCP,
// Unix and socketpair() alike, and bytes read before TLS began (STARTTLS) go first. No TLS logic here.
import { Duplex } from 'node:stream';
import { SHUT_WR } from '../constants.js';
import { socketError } from '../errors.js';
import type { Socket } from '../socket.js';

/** One recv() of ciphertext: the size of a few TLS records. */
const READ_CHUNK = 65536;

interface PendingWrite {
  rest: Uint8Array;
  readonly done: (error?: Error | null) => void;
}

/**
 * The Duplex node:tls reads and writes ciphertext through: reads are tryRecv() calls on the wrapped
 * Socket when it is readable (the leftover first), writes trySend() what fits and wait for
 * writability for the rest; end() is a SHUT_WR after the queued bytes.
 */
export class CiphertextChannel extends Duplex {
  readonly #socket: Socket;
  #wantsData = false;
  #hasEnded = false;
  #pending: PendingWrite | null = null;
  #isScheduled = false;
  readonly #onReadiness = (): void => this.#schedule();

  /** `leftover`: ciphertext already taken from `socket` by its previous reader, delivered first. */
  /** Over `socket`, which it watches for readiness; `leftover` is read first. */
  constructor(socket: Socket, leftover?: Uint8Array) {
    super({ allowHalfOpen: true });
    this.#socket = socket;
    if (leftover !== undefined && leftover.length > 0) this.push(Buffer.from(leftover));
    socket.watch(this.#onReadiness);
  }

  /** Ciphertext node:tls handed us that the socket's send buffer has not taken yet. */
  get queuedBytes(): number {
    return (this.#pending?.rest.length ?? 0) + this.writableLength;
  }

  /** True while a write waits for the socket to become writable (Python's SSLWantWriteError). */
  get isWriteBlocked(): boolean {
    return this.#pending !== null;
  }

  override _read(): void {
    this.#wantsData = true;
    this.#pump();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.#pending = { rest: chunk, done };
    this.#flush();
  }

  override _final(done: (error?: Error | null) => void): void {
    try {
      if (this.#socket.fileno() >= 0) this.#socket.shutdown(SHUT_WR);
      done();
    } catch (error) {
      done(error instanceof Error ? error : null);
    }
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.#socket.unwatch(this.#onReadiness);
    done(error);
  }

  /** Readiness notifications come from inside the socket's own calls: act on them a microtask later. */
  #schedule(): void {
    if (this.#isScheduled) return;
    this.#isScheduled = true;
    queueMicrotask(() => {
      this.#isScheduled = false;
      this.#flush();
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#wantsData && !this.#hasEnded && !this.destroyed) {
      let data: Buffer | null;
      try {
        data = this.#socket.fileno() < 0 ? Buffer.alloc(0) : this.#socket.tryRecv(READ_CHUNK);
      } catch (error) {
        this.destroy(error instanceof Error ? error : socketError('EIO', undefined, String(error)));
        return;
      }
      if (data === null) return;
      if (data.length === 0) {
        this.#hasEnded = true;
        this.push(null);
        return;
      }
      this.#wantsData = this.push(data);
    }
  }

  #flush(): void {
    const pending = this.#pending;
    if (pending === null || this.destroyed) return;
    let sent: number;
    try {
      sent = this.#socket.trySend(pending.rest);
    } catch (error) {
      this.#pending = null;
      pending.done(error instanceof Error ? error : null);
      return;
    }
    if (sent < 0) return;
    pending.rest = pending.rest.subarray(sent);
    if (pending.rest.length > 0) return;
    this.#pending = null;
    pending.done();
  }
}
