// The in-memory StreamEnd of socketpair(): a send lands in the peer's receive queue at once, so the
// pair is synchronous and deterministic, as an AF_UNIX pair is in the kernel (socketpair-basics).
import type { StreamEnd, StreamEvents } from './stream-end.js';

/**
 * One end of socketpair(): write() is the peer's data event at once, end() its EOF. Nothing is queued
 * here (queuedBytes is what the peer has not read), and the node:net-only calls do nothing.
 */
export class PairStreamEnd implements StreamEnd {
  readonly #peer: StreamEvents;
  readonly #peerQueued: () => number;
  #isOpen = true;

  /** `peerQueued` gives the bytes waiting unread at the peer: what AF_UNIX counts against SO_SNDBUF. */
  constructor(peer: StreamEvents, peerQueued: () => number) {
    this.#peer = peer;
    this.#peerQueued = peerQueued;
  }

  get queuedBytes(): number {
    return this.#peerQueued();
  }

  get undeliveredBytes(): number {
    return 0;
  }

  write(chunk: Buffer): void {
    if (this.#isOpen) this.#peer.data(chunk);
  }

  end(): void {
    if (this.#isOpen) this.#peer.end();
  }

  close(): void {
    this.end();
    this.#isOpen = false;
  }

  reset(): void {
    this.close();
  }

  cork(): void {}

  uncork(): void {}

  pause(): void {}

  resume(): void {}

  setNoDelay(): void {}

  setKeepAlive(): void {}

  localEndpoint(): undefined {
    return undefined;
  }
}
