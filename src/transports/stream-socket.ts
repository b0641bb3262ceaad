// The calls the byte transport makes on what it reads and writes: a Socket, or an SSLSocket once
// startTLS switched the connection. A contract only; both classes implement it as they are.
import type { Selectable } from '../reactor/selectable.js';
import type { Address } from './address.js';
import type { OptionValue } from './socket-options.js';

export interface StreamSocket extends Selectable {
  /** Bytes accepted (possibly fewer than given), -1 when nothing fits now; throws on failure. */
  /** With `isHandedOver`, the caller will not modify `data` again: it may be queued uncopied. */
  trySend(data: Uint8Array, isHandedOver?: boolean): number;
  /** Up to `size` bytes, an empty Buffer at EOF, null when nothing is there yet; throws on failure. */
  tryRecv(size: number): Buffer | null;
  shutdown(how: number): void;
  close(): void;
  cork(): void;
  uncork(): void;
  getsockopt(level: number, option: number): number;
  setsockopt(level: number, option: number, value: OptionValue): void;
  getsockname(): Address;
  getpeername(): Address;
}
