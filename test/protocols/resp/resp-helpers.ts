// Helpers for the RESP tests: the splits of an input (every single cut, every pair of cuts, one byte
// at a time), switchboard/testing's recording Transport with a write hook, and a wall-clock manual
// time in milliseconds (the store's EXAT/PXAT are wall-clock) that is also a Scheduler.
import { RecordingTransport as KitRecordingTransport } from '../../../src/testing/index.js';
import type { Protocol } from '../../../src/contract/index.js';
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

/**
 * switchboard/testing's RecordingTransport with what these tests also read: each write copied as it
 * was when written (`writes`), the output as latin1 text, how often close() was called, and a hook
 * run after each write (to pause writing or lose the connection, as a real transport may).
 */
export class RecordingTransport extends KitRecordingTransport {
  readonly writes: Buffer[] = [];
  closeCalls = 0;
  /** Called after each write is recorded (to pause writing, or to lose the connection). */
  onWrite: ((transport: RecordingTransport) => void) | undefined;

  constructor() {
    super();
    this.localAddress = ['127.0.0.1', 6380];
    this.peerAddress = ['127.0.0.1', 50000];
  }

  /** Everything written so far, as latin1 text. */
  get output(): string {
    return Buffer.concat(this.writes).toString('latin1');
  }

  override write(data: Uint8Array): void {
    super.write(data);
    this.writes.push(Buffer.from(data));
    this.onWrite?.(this);
  }

  override close(): void {
    this.closeCalls += 1;
    super.close();
  }
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
