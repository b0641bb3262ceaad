// A socket's options as Python's getsockopt/setsockopt see them (SOL_SOCKET and TCP_NODELAY): the
// values, their checks and their defaults. The Socket applies what a change means for its stream and
// buffers, and answers itself the options that read its state (SO_ERROR, SO_ACCEPTCONN).
import {
  DEFAULT_TCP_RCVBUF,
  DEFAULT_TCP_SNDBUF,
  DEFAULT_UNIX_BUFFER,
  IPPROTO_TCP,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_SNDBUF,
  SO_TYPE,
  TCP_NODELAY,
} from '../constants.js';
import { socketError } from '../errors.js';
import { BitFlags } from './bit-flags.js';
import { bufferLimits } from './sysctl.js';

/** Linux's SOCK_MIN_SNDBUF and SOCK_MIN_RCVBUF: the smallest buffers a setsockopt leaves. */
const MIN_SNDBUF = 4608;
const MIN_RCVBUF = 2304;

// SocketOptions' flags, as bits of one number.
const IS_SNDBUF_SET = 1 << 0;
const NO_DELAY = 1 << 1;
const KEEP_ALIVE = 1 << 2;
const REUSE_ADDR = 1 << 3;
const LINGER_ZERO = 1 << 4;
const LINGER_ON = 1 << 5;

/** `SO_LINGER` as Python packs it: `[onoff, seconds]`, or the packed `struct linger` bytes. */
export type LingerValue = readonly [number, number] | Uint8Array;
/** What `setsockopt` takes: a number (a size, or 0/1 for a flag), a boolean flag, or a LingerValue for SO_LINGER. */
export type OptionValue = number | boolean | LingerValue;
/** What the socket must do after a change: nothing, re-check reading or sending, or update its stream. */
export type OptionEffect = 'none' | 'receive-buffer' | 'send-buffer' | 'stream';

/** The option values of one socket, with Linux's defaults, and the checks `setsockopt` applies. */
export class SocketOptions extends BitFlags {
  readonly #isTcp: boolean;
  /** SO_RCVBUF in bytes as Linux reports it (a set value doubled, floored, capped): the receive capacity. */
  rcvbuf: number;
  /** SO_SNDBUF in bytes as Linux reports it (a set value doubled, floored, capped). */
  sndbuf: number;


  /** SO_SNDBUF was set (Linux's SOCK_SNDBUF_LOCK): the send room stays at `sndbuf`, no autotuning. */
  get isSndbufSet(): boolean {
    return this.hasFlag(IS_SNDBUF_SET);
  }
  set isSndbufSet(on: boolean) {
    this.setFlag(IS_SNDBUF_SET, on);
  }
  /** TCP_NODELAY. */
  get noDelay(): boolean {
    return this.hasFlag(NO_DELAY);
  }
  set noDelay(on: boolean) {
    this.setFlag(NO_DELAY, on);
  }
  /** SO_KEEPALIVE. */
  get keepAlive(): boolean {
    return this.hasFlag(KEEP_ALIVE);
  }
  set keepAlive(on: boolean) {
    this.setFlag(KEEP_ALIVE, on);
  }
  /** SO_REUSEADDR, read by the bind table at bind() and listen(). */
  get reuseAddr(): boolean {
    return this.hasFlag(REUSE_ADDR);
  }
  set reuseAddr(on: boolean) {
    this.setFlag(REUSE_ADDR, on);
  }
  /** SO_LINGER on with l_linger 0: close() resets the connection (RST) instead of a FIN. */
  get lingerZero(): boolean {
    return this.hasFlag(LINGER_ZERO);
  }
  set lingerZero(on: boolean) {
    this.setFlag(LINGER_ZERO, on);
  }
  /** SO_LINGER's l_onoff, what Python's getsockopt(SOL_SOCKET, SO_LINGER) returns (the first int). */
  get lingerOn(): boolean {
    return this.hasFlag(LINGER_ON);
  }
  set lingerOn(on: boolean) {
    this.setFlag(LINGER_ON, on);
  }

  /** `isTcp`: TCP's defaults and TCP_NODELAY, else AF_UNIX's (the family's rules say which). */
  constructor(isTcp: boolean) {
    super();
    this.#isTcp = isTcp;
    // Linux's initial values: tcp_rmem[1] and tcp_wmem[1], and AF_UNIX's 212992 (docs/semantics.md 3).
    this.rcvbuf = this.#isTcp ? DEFAULT_TCP_RCVBUF : DEFAULT_UNIX_BUFFER;
    this.sndbuf = this.#isTcp ? DEFAULT_TCP_SNDBUF : DEFAULT_UNIX_BUFFER;
  }

  /** An accepted socket starts with its listener's buffer sizes, TCP_NODELAY and SO_KEEPALIVE. */
  inheritFrom(listener: SocketOptions): void {
    this.rcvbuf = listener.rcvbuf;
    this.sndbuf = listener.sndbuf;
    this.isSndbufSet = listener.isSndbufSet;
    this.noDelay = listener.noDelay;
    this.keepAlive = listener.keepAlive;
  }

  /**
   * The bytes a TCP send may hold before it would block: SO_SNDBUF when set; otherwise the room
   * Linux's autotuning grows to on loopback (`tcp_wmem[2]`), while getsockopt still reports the
   * default. AF_UNIX does not autotune.
   */
  get sendCapacity(): number {
    return this.#isTcp && !this.isSndbufSet ? Math.max(this.sndbuf, bufferLimits().tcpWmemMax) : this.sndbuf;
  }

  /** getsockopt for the plain-value options; OSError `ENOPROTOOPT` for the rest. */
  get(level: number, option: number): number {
    this.#checkLevel(level, 'getsockopt');
    if (level === IPPROTO_TCP && option === TCP_NODELAY) return this.noDelay ? 1 : 0;
    if (level !== SOL_SOCKET) throw socketError('ENOPROTOOPT', 'getsockopt');
    switch (option) {
      case SO_TYPE:
        return SOCK_STREAM;
      case SO_RCVBUF:
        return this.rcvbuf;
      case SO_SNDBUF:
        return this.sndbuf;
      case SO_REUSEADDR:
        return this.reuseAddr ? 1 : 0;
      case SO_KEEPALIVE:
        return this.keepAlive ? 1 : 0;
      case SO_LINGER:
        return this.lingerOn ? 1 : 0;
      default:
        throw socketError('ENOPROTOOPT', 'getsockopt');
    }
  }

  /** setsockopt: checks and stores `value`, and says what the socket must update; OSError `ENOPROTOOPT` for an option it does not know. */
  set(level: number, option: number, value: OptionValue): OptionEffect {
    this.#checkLevel(level, 'setsockopt');
    if (level === IPPROTO_TCP && option === TCP_NODELAY) {
      this.noDelay = Boolean(value);
      return 'stream';
    }
    if (level !== SOL_SOCKET) throw socketError('ENOPROTOOPT', 'setsockopt');
    switch (option) {
      case SO_RCVBUF:
        this.rcvbuf = linuxBufferSize(value, bufferLimits().rmemMax, MIN_RCVBUF);
        return 'receive-buffer';
      case SO_SNDBUF:
        this.sndbuf = linuxBufferSize(value, bufferLimits().wmemMax, MIN_SNDBUF);
        this.isSndbufSet = true;
        return 'send-buffer';
      case SO_REUSEADDR:
        this.reuseAddr = Boolean(value);
        return 'none';
      case SO_KEEPALIVE:
        this.keepAlive = Boolean(value);
        return 'stream';
      case SO_LINGER:
        [this.lingerOn, this.lingerZero] = parseLinger(value);
        return 'none';
      default:
        throw socketError('ENOPROTOOPT', 'setsockopt');
    }
  }

  /** AF_UNIX has no protocol level: Linux's sock_no_{get,set}sockopt answer EOPNOTSUPP (not ENOPROTOOPT). */
  #checkLevel(level: number, call: string): void {
    if (!this.#isTcp && level !== SOL_SOCKET) throw socketError('EOPNOTSUPP', call);
  }
}

/**
 * sock_setsockopt's rule: the value, as an unsigned int, capped at `max` (wmem_max/rmem_max), then
 * doubled (Linux's allowance for bookkeeping, which we count as capacity: measured on loopback, two
 * sockets set to 100,000 hold 392,951 bytes in flight) and raised to the floor.
 */
function linuxBufferSize(value: OptionValue, max: number, floor: number): number {
  const asInt = typeof value === 'boolean' ? Number(value) : value;
  if (typeof asInt !== 'number' || !Number.isInteger(asInt)) throw new TypeError('setsockopt: buffer size must be an integer');
  // A negative int is a huge unsigned one to the kernel: it is capped like any too-large value.
  const requested = asInt < 0 ? max : Math.min(asInt, max);
  return Math.max(requested * 2, floor);
}

/** [l_onoff set, l_onoff set with l_linger 0 (close sends an RST)]. */
function parseLinger(value: OptionValue): [isOn: boolean, isZero: boolean] {
  let onoff: number;
  let seconds: number;
  if (value instanceof Uint8Array) {
    if (value.byteLength < 8) throw socketError('EINVAL', 'setsockopt', 'SO_LINGER takes an 8-byte struct linger');
    const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
    [onoff, seconds] = [view.getInt32(0, true), view.getInt32(4, true)];
  } else if (Array.isArray(value)) {
    [onoff, seconds] = value;
  } else {
    // Python passes an int as 4 bytes, shorter than struct linger: the kernel answers EINVAL.
    throw socketError('EINVAL', 'setsockopt', 'SO_LINGER takes [onoff, seconds] or an 8-byte struct linger');
  }
  return [onoff !== 0, onoff !== 0 && seconds === 0];
}
