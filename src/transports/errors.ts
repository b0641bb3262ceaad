// Socket errors as Python's OSError tree: one class per errno family, each with `errno` and `code`.
// Not for protocol errors (those live with the codecs that raise them).
import { constants as osConstants } from 'node:os';
import { LINUX_ERRNO } from './linux-errno.js';

const ERRNO: Readonly<Record<string, number>> = osConstants.errno;

/** getaddrinfo's EAI_* codes (negative, as glibc and Python number them) for the resolver's codes. */
const GAI_ERRNO: Readonly<Record<string, number>> = {
  ENOTFOUND: -2,
  EAI_NONAME: -2,
  EAI_AGAIN: -3,
  EAI_FAIL: -4,
  ESERVFAIL: -4,
  ENODATA: -5,
  EAI_NODATA: -5,
  EAI_FAMILY: -6,
};

/** Linux numbers that Node's `os.constants.errno` leaves out. */

/** The errno number for a code such as `'ECONNRESET'` (negative for resolver codes), or 0 if unknown. */
export function errnoOf(code: string): number {
  return ERRNO[code] ?? LINUX_ERRNO[code]?.[0] ?? GAI_ERRNO[code] ?? 0;
}

/** The code for an errno number (`104` gives `'ECONNRESET'`), as Python's `errno.errorcode`. */
export function codeOf(errno: number): string {
  if (errno === ERRNO['EAGAIN']) return 'EAGAIN';
  if (errno < 0) {
    for (const [code, value] of Object.entries(GAI_ERRNO)) if (value === errno) return code;
    return String(errno);
  }
  for (const [code, value] of Object.entries(ERRNO)) if (value === errno) return code;
  for (const [code, [value]] of Object.entries(LINUX_ERRNO)) if (value === errno) return code;
  return String(errno);
}

/**
 * Python's `OSError`: a failed system call, with `errno` (number) and `code` (`'EBADF'`). Thrown as
 * is for the codes with no subclass of their own, such as `EBADF` (the socket is closed), `EINVAL`,
 * `EISCONN`, `ENOTCONN`, `EADDRINUSE` and `ENOPROTOOPT`; `socketError` picks the subclass for the rest.
 */
export class OSError extends Error {
  /** The class name, as Python prints it (`'OSError'`, `'ConnectionResetError'` ...). */
  override name = 'OSError';
  /**
   * The errno number for `code` as the platform numbers it (`ECONNRESET` is 104 on Linux); negative
   * for a resolver code, 0 if unknown; null for a timeout of `settimeout`, which (as Python's
   * `socket.timeout`) is no failed system call.
   */
  readonly errno: number | null;
  /** The symbolic code, as Node names it (`'ECONNRESET'`, `'EAGAIN'`), so `err.code` reads as in node:net. */
  readonly code: string;
  /** The call that failed (`'connect'`, `'recv'`, `'bind'` ...), or undefined when not recorded. */
  readonly syscall: string | undefined;

  /**
   * `message` defaults to Python's text, `[Errno 111] Connection refused` (the call is in `syscall`,
   * not in the text, as Python prints it). `errno` defaults to the code's number.
   */
  constructor(code: string, message?: string, syscall?: string, errno: number | null = errnoOf(code)) {
    super(message ?? describe(code));
    this.code = code;
    this.errno = errno;
    this.syscall = syscall;
  }
}

/**
 * The call would block (`EAGAIN`/`EWOULDBLOCK` 11, `EINPROGRESS` 115, `EALREADY` 114): "not yet",
 * never a failure. A non-blocking `send`, `recv` or `accept` throws it with `EAGAIN`; `connect`
 * throws it with `EINPROGRESS` when a TCP attempt starts and `EALREADY` while it is under way.
 */
export class BlockingIOError extends OSError {
  override name = 'BlockingIOError';
}
/** Base of the four connection errors below, as Python's `ConnectionError`: catch it to catch them all. */
export class ConnectionError extends OSError {
  override name = 'ConnectionError';
}
/**
 * `EPIPE` (32) or `ESHUTDOWN` (108): sending on a stream that can no longer carry data, after our own
 * `SHUT_WR`, to an AF_UNIX peer that closed or shut down reading, or after a TCP peer's RST that
 * followed its FIN. Python's `BrokenPipeError`.
 */
export class BrokenPipeError extends ConnectionError {
  override name = 'BrokenPipeError';
}
/**
 * `ECONNABORTED` (103): the connection was given up on this side, as Python's
 * `ConnectionAbortedError`; a transport's `abort()` reports it to its protocol's `connectionLost`.
 */
export class ConnectionAbortedError extends ConnectionError {
  override name = 'ConnectionAbortedError';
}
/** `ECONNREFUSED` (111): nothing listens at the address the connect went to (TCP: the peer answered the SYN with an RST). Python's `ConnectionRefusedError`. */
export class ConnectionRefusedError extends ConnectionError {
  override name = 'ConnectionRefusedError';
}
/** `ECONNRESET` (104): the peer reset the connection (an RST, e.g. it closed with data unread, or with `SO_LINGER` 0). Python's `ConnectionResetError`. */
export class ConnectionResetError extends ConnectionError {
  override name = 'ConnectionResetError';
}
/** `ENOENT` (2): a Unix socket path, or the directory it should be in, does not exist. Python's `FileNotFoundError`. */
export class FileNotFoundError extends OSError {
  override name = 'FileNotFoundError';
}
/** `EEXIST` (17), as Python's `FileExistsError`; a Unix `bind` to an existing path throws OSError `EADDRINUSE` instead, as Linux does. */
export class FileExistsError extends OSError {
  override name = 'FileExistsError';
}
/** `EACCES` (13) or `EPERM` (1): the system refused the call, e.g. binding a port below 1024 or a path in a directory we may not write. Python's `PermissionError`. */
export class PermissionError extends OSError {
  override name = 'PermissionError';
}
/** ESRCH: no such process (Python's ProcessLookupError). */
export class ProcessLookupError extends OSError {
  override name = 'ProcessLookupError';
}
/** ECHILD: no child processes (Python's ChildProcessError). */
export class ChildProcessError extends OSError {
  override name = 'ChildProcessError';
}
/** ENOTDIR: a path component is not a directory, as a Unix socket path can be (Python's NotADirectoryError). */
export class NotADirectoryError extends OSError {
  override name = 'NotADirectoryError';
}
/** EISDIR: the path is a directory (Python's IsADirectoryError). */
export class IsADirectoryError extends OSError {
  override name = 'IsADirectoryError';
}
/** `EINTR` (4): a system call was interrupted by a signal, as Python's `InterruptedError`. Kept for the table's sake; Node retries such calls itself. */
export class InterruptedError extends OSError {
  override name = 'InterruptedError';
}
/**
 * `ETIMEDOUT` (110): an awaitable call ran past the socket's timeout (`settimeout`), as Python's
 * `socket.timeout`, or the kernel timed the connection out (no answer to a connect or to keepalive
 * probes). An endpoint's connect past its `timeout` option also fails with it.
 */
export class TimeoutError extends OSError {
  override name = 'TimeoutError';
}
/**
 * A host name lookup failed (`getaddrinfo`, or `connect` to a name), as Python's `socket.gaierror`;
 * `code` is the resolver's (`'ENOTFOUND'`), and `errno` glibc's negative `EAI_*` number (`EAI_NONAME`
 * is -2). `connectEx` throws it rather than return its errno.
 */
export class gaierror extends OSError {
  override name = 'gaierror';
}

export { ValueError } from '../reactor/value-error.js';

type OSErrorClass = new (code: string, message?: string, syscall?: string) => OSError;

// Python's errno-to-class table (Objects/exceptions.c), the one place a code picks its class.
const CLASS_OF: Readonly<Record<string, OSErrorClass>> = {
  EAGAIN: BlockingIOError,
  EWOULDBLOCK: BlockingIOError,
  EALREADY: BlockingIOError,
  EINPROGRESS: BlockingIOError,
  EPIPE: BrokenPipeError,
  ESHUTDOWN: BrokenPipeError,
  ECONNABORTED: ConnectionAbortedError,
  ECONNREFUSED: ConnectionRefusedError,
  ECONNRESET: ConnectionResetError,
  ENOENT: FileNotFoundError,
  EEXIST: FileExistsError,
  EACCES: PermissionError,
  EPERM: PermissionError,
  EINTR: InterruptedError,
  ETIMEDOUT: TimeoutError,
  ESRCH: ProcessLookupError,
  ECHILD: ChildProcessError,
  ENOTDIR: NotADirectoryError,
  EISDIR: IsADirectoryError,
};

/** The error for a code, of the class Python would raise for it: the one way to build a socket error. */
export function socketError(code: string, syscall?: string, message?: string): OSError {
  const Class = CLASS_OF[code] ?? OSError;
  return new Class(code, message, syscall);
}

/**
 * What a call raises when its socket's `settimeout` ran out: Python's `socket.timeout`, a TimeoutError
 * with no errno and the message `timed out`. `code` stays `'ETIMEDOUT'`, so a check by code (as
 * for node:net's errors) still finds it.
 */
export function timedOut(syscall: string): TimeoutError {
  return new TimeoutError('ETIMEDOUT', 'timed out', syscall, null);
}

/**
 * A pending error (one the kernel recorded when it happened: a reset, a refused connect) as the call
 * that takes it raises it: the same class, code and text, with that call in `syscall` and a stack
 * from that call, as Linux reports `sk_err` from whichever call comes next. Errors of classes outside
 * the errno table (gaierror, the TLS errors) keep their own form.
 */
export function raisedBy(error: OSError, syscall: string): OSError {
  if (error.syscall === syscall || error.constructor !== (CLASS_OF[error.code] ?? OSError)) return error;
  return socketError(error.code, syscall, error.message);
}

/** True for `BlockingIOError`: the expected "try again later" outcome of a non-blocking call. */
export function isWouldBlock(error: unknown): error is BlockingIOError {
  return error instanceof BlockingIOError;
}

function describe(code: string): string {
  return `[Errno ${errnoOf(code)}] ${LINUX_ERRNO[code]?.[1] ?? code}`;
}
