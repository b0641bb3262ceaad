// Helpers for the RESP tests: the splits of an input (every single cut, every pair of cuts, one byte
// at a time), a recording Transport, and a manual clock that is also a Scheduler. Local to these
// tests on purpose: no sockets, no sleeps, no shared helpers that may change under us.
import { type Address, type Protocol, type Transport, TransportClosedError } from '../../../src/contract/index.js';
import type { Cancellable, Scheduler } from '../../../src/protocols/scheduler.js';
import { type RespCommand, RespParser, RespProtocolError, type RespValue, copyCommand } from '../../../src/protocols/resp/resp-parser.js';
import type { RespLimits } from '../../../src/protocols/resp/resp-limits.js';

/**
 * Partitions of `input`: whole, one byte at a time, every single cut, and every pair of cuts up to
 * `maxPairBytes` (pairs grow with the square of the length).
 */
export function* splits(input: Uint8Array, maxPairBytes = 200): Generator<Uint8Array[]> {
  const n = input.length;
  yield [input];
  yield Array.from({ length: n }, (_, i) => input.subarray(i, i + 1));
  for (let i = 1; i < n; i++) yield [input.subarray(0, i), input.subarray(i)];
  if (n > maxPairBytes) return;
  for (let i = 1; i < n; i++) {
    for (let j = i + 1; j < n; j++) yield [input.subarray(0, i), input.subarray(i, j), input.subarray(j)];
  }
}

/** What a parse produced, in a form `t.deepEqual` compares: strings for bulk strings (latin1). */
export interface ParseOutcome {
  readonly commands: unknown[];
  readonly error?: { readonly name: string; readonly code: string; readonly message: string };
}

export function show(value: RespValue): unknown {
  if (value === null) return null;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  return value.map(show);
}

/**
 * Feeds `chunks` to a fresh parser through one reused scratch buffer, overwritten after every feed,
 * keeping each command with copyCommand as the parser's contract asks: a parser that kept a view of
 * a chunk past the feed it came in (a line or bulk string cut across chunks) would emit garbage.
 */
export function parseChunks(chunks: readonly Uint8Array[], limits: Partial<RespLimits> = {}): ParseOutcome {
  const parser = new RespParser(limits);
  const commands: RespCommand[] = [];
  const scratch = Buffer.alloc(Math.max(1, ...chunks.map((c) => c.length)));
  try {
    for (const chunk of chunks) {
      scratch.set(chunk);
      parser.feed(scratch.subarray(0, chunk.length), (command) => commands.push(copyCommand(command)));
      scratch.fill(0x23);
    }
  } catch (error) {
    if (!(error instanceof RespProtocolError)) throw error;
    return { commands: commands.map(show), error: { name: error.name, code: error.code, message: error.message } };
  }
  return { commands: commands.map(show) };
}

export const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

/** A Transport that records what the protocol does to it; hooks let a test play the transport's part. */
export class RecordingTransport implements Transport {
  readonly writes: Buffer[] = [];
  readonly localAddress: Address = ['127.0.0.1', 6380];
  readonly peerAddress: Address = ['127.0.0.1', 50000];
  isReading = true;
  isClosing = false;
  closeCalls = 0;
  /** Called after each write is recorded (to pause writing, or to lose the connection). */
  onWrite: ((transport: RecordingTransport) => void) | undefined;

  /** Everything written so far, as latin1 text. */
  get output(): string {
    return Buffer.concat(this.writes).toString('latin1');
  }

  write(data: Uint8Array): void {
    if (this.isClosing) throw new TransportClosedError('Cannot write to a closed transport');
    this.writes.push(Buffer.from(data));
    this.onWrite?.(this);
  }

  writeEOF(): void {}

  close(): void {
    this.closeCalls += 1;
    this.isClosing = true;
  }

  abort(): void {
    this.isClosing = true;
  }

  pauseReading(): void {
    this.isReading = false;
  }

  resumeReading(): void {
    this.isReading = true;
  }

  getWriteBufferSize(): number {
    return 0;
  }

  setWriteBufferLimits(): void {}
}

/** Connects `protocol` to a new RecordingTransport. */
export function connect(protocol: Protocol): RecordingTransport {
  const transport = new RecordingTransport();
  protocol.connectionMade(transport);
  return transport;
}

/** A clock in milliseconds and a Scheduler on it; time moves only when a test calls advance(). */
export class ManualTime implements Scheduler {
  #now: number;
  #calls: { at: number; fn: () => void; isActive: boolean }[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.#now = startMs;
  }

  readonly now = (): number => this.#now;

  /** Calls scheduled and not yet run or cancelled. */
  get pending(): number {
    return this.#calls.filter((call) => call.isActive).length;
  }

  callLater(seconds: number, fn: () => void): Cancellable {
    const call = { at: this.#now + seconds * 1000, fn, isActive: true };
    this.#calls.push(call);
    return {
      cancel: () => {
        call.isActive = false;
      },
      active: () => call.isActive,
    };
  }

  /** Moves the clock forward, running each call that falls due, in time order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#calls.filter((call) => call.isActive && call.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.#now = Math.max(this.#now, due.at);
      due.isActive = false;
      due.fn();
    }
    this.#now = end;
    this.#calls = this.#calls.filter((call) => call.isActive);
  }
}
