// A protocol that records what happens to it and lets a case await the milestones: the probe the
// connection cases are written with (Twisted's AccumulatingProtocol).
import type { Factory, Protocol, Transport } from '../contract/index.js';
import { deferred } from './deferred.js';

/** How a Recorder answers its events, beyond recording them. */
export interface RecorderOptions {
  /** What eofReceived() returns (true keeps our side open for writing). */
  readonly keepOpenOnEOF?: boolean;
  /** Called once the connection is made. */
  readonly onMade?: (transport: Transport, recorder: Recorder) => void;
  /** Called with each chunk. */
  readonly onData?: (data: Uint8Array, transport: Transport, recorder: Recorder) => void;
  /** Called when the peer half-closes, before eofReceived() returns keepOpenOnEOF. */
  readonly onEOF?: (transport: Transport, recorder: Recorder) => void;
}

/** A Protocol that records its events and data, with promises for the milestones a case waits on. */
export class Recorder implements Protocol {
  /** The transport, from connectionMade on. */
  transport: Transport | undefined;
  /** Every chunk received, copied, in order. */
  readonly chunks: Buffer[] = [];
  /** Total bytes received. */
  received = 0;
  /** The order things happened in: 'made', 'eof', 'pause', 'resume', 'lost'. */
  readonly events: string[] = [];
  /** The reason connectionLost() was given (undefined for a clean close, or before it). */
  lostReason: Error | undefined;
  readonly #made = deferred<Transport>();
  readonly #lost = deferred<Error | undefined>();
  readonly #eof = deferred<void>();
  /** Resolves with the transport at connectionMade. */
  readonly made = this.#made.promise;
  /** Resolves with the reason at connectionLost. */
  readonly lost = this.#lost.promise;
  /** Resolves at eofReceived. */
  readonly eof = this.#eof.promise;
  readonly #options: RecorderOptions;
  #waiters: { bytes: number; resolve: () => void }[] = [];
  #eventWaiters: { name: string; resolve: () => void }[] = [];

  constructor(options: RecorderOptions = {}) {
    this.#options = options;
  }

  connectionMade(transport: Transport): void {
    this.transport = transport;
    this.#event('made');
    this.#made.resolve(transport);
    this.#options.onMade?.(transport, this);
  }

  dataReceived(data: Uint8Array): void {
    this.chunks.push(Buffer.from(data));
    this.received += data.length;
    this.#waiters = this.#waiters.filter((w) => {
      if (this.received < w.bytes) return true;
      w.resolve();
      return false;
    });
    if (this.transport !== undefined) this.#options.onData?.(data, this.transport, this);
  }

  eofReceived(): boolean {
    this.#event('eof');
    this.#eof.resolve();
    if (this.transport !== undefined) this.#options.onEOF?.(this.transport, this);
    return this.#options.keepOpenOnEOF ?? false;
  }

  connectionLost(reason?: Error): void {
    this.lostReason = reason;
    this.#event('lost');
    this.#lost.resolve(reason);
  }

  pauseWriting(): void {
    this.#event('pause');
  }

  resumeWriting(): void {
    this.#event('resume');
  }

  /** Resolves once at least `bytes` have arrived in total. */
  receivedAtLeast(bytes: number): Promise<void> {
    if (this.received >= bytes) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ bytes, resolve }));
  }

  /** Resolves once `name` has been recorded. */
  happened(name: string): Promise<void> {
    if (this.events.includes(name)) return Promise.resolve();
    return new Promise((resolve) => this.#eventWaiters.push({ name, resolve }));
  }

  /** Everything received so far, as one Buffer. */
  data(): Buffer {
    return Buffer.concat(this.chunks);
  }

  #event(name: string): void {
    this.events.push(name);
    this.#eventWaiters = this.#eventWaiters.filter((w) => {
      if (w.name !== name) return true;
      w.resolve();
      return false;
    });
  }
}

/**
 * A factory handing out the given recorders in order (one per connection; an Error past the last),
 * recording failed connects in `failures`, the first also as the `failed` promise.
 */
export function factoryOf(...recorders: Recorder[]): Factory & { failures: Error[]; failed: Promise<Error> } {
  const queue = [...recorders];
  const failures: Error[] = [];
  const failed = deferred<Error>();
  return {
    failures,
    failed: failed.promise,
    buildProtocol() {
      const next = queue.shift();
      if (next === undefined) throw new Error('factoryOf: more connections than recorders');
      return next;
    },
    connectionFailed(reason) {
      failures.push(reason);
      failed.resolve(reason);
    },
  };
}

/** A protocol that writes back whatever it receives, and closes when the peer finishes. */
export function echoFactory(): Factory {
  return {
    buildProtocol: () => new Recorder({ onData: (data, transport) => transport.write(data) }),
  };
}
