// The calls the byte transport makes on what it reads and writes: a Socket, or an SSLSocket once
// startTLS switched the connection. A contract only; both classes implement it as they are.
import type { Selectable } from '../reactor/selectable.js';
import type { Address } from './address.js';
import type { OptionValue } from './kernel/socket-options.js';

/**
 * What SocketTransport reads and writes through: a Socket, or the SSLSocket over it after startTLS().
 * The non-throwing send/recv forms keep would-block out of the hot path; the rest are the socket calls
 * of the same names.
 */
export interface StreamSocket extends Selectable {
  /**
   * Bytes accepted (possibly fewer than given), -1 when nothing fits now; throws on failure.
   * With `isHandedOver`, the caller will not modify `data` again: it may be queued uncopied.
   */
  trySend(data: Uint8Array, isHandedOver?: boolean): number;
  /** Up to `size` bytes, an empty Buffer at EOF, null when nothing is there yet; throws on failure. */
  tryRecv(size: number): Buffer | null;
  /** Shuts down reading, writing or both (`SHUT_RD`, `SHUT_WR`, `SHUT_RDWR`), as Socket.shutdown(). */
  shutdown(how: number): void;
  /** Closes it (a FIN after queued data, or an RST); later calls throw `EBADF`, as Socket.close(). */
  close(): void;
  /** Holds what is sent until uncork(), so a dispatch's replies reach the kernel in one write. */
  cork(): void;
  /** Releases what was sent since cork() in one write. */
  uncork(): void;
  /** An option's value, as Socket.getsockopt() (`SO_ERROR` takes and clears the pending error). */
  getsockopt(level: number, option: number): number;
  /** Sets an option, as Socket.setsockopt() (`SO_LINGER` `[1, 0]`: close with a reset). */
  setsockopt(level: number, option: number, value: OptionValue): void;
  /** This end's address, as Socket.getsockname(). */
  getsockname(): Address;
  /** The peer's address; throws `ENOTCONN` when not connected, as Socket.getpeername(). */
  getpeername(): Address;
}
