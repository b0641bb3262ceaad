// Socket errors as Python's OSError tree: one class per errno family, each with `errno` and `code`.
// Not for protocol errors (those live with the codecs that raise them).
import { constants as osConstants } from 'node:os';

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

/** The errno number for a code such as `'ECONNRESET'` (negative for resolver codes), or 0 if unknown. */
export function errnoOf(code: string): number {
  return ERRNO[code] ?? GAI_ERRNO[code] ?? 0;
}

/** The code for an errno number (`104` gives `'ECONNRESET'`), as Python's `errno.errorcode`. */
export function codeOf(errno: number): string {
  if (errno === ERRNO['EAGAIN']) return 'EAGAIN';
  for (const [code, value] of Object.entries(errno < 0 ? GAI_ERRNO : ERRNO)) if (value === errno) return code;
  return String(errno);
}

/** Python's `OSError`: a failed system call, with `errno` (number) and `code` (`'EBADF'`). */
export class OSError extends Error {
  override name = 'OSError';
  readonly errno: number;
  readonly code: string;
  readonly syscall: string | undefined;

  constructor(code: string, message?: string, syscall?: string) {
    super(message ?? `${syscall === undefined ? '' : `${syscall}: `}${describe(code)}`);
    this.code = code;
    this.errno = errnoOf(code);
    this.syscall = syscall;
  }
}

/** The call would block (`EAGAIN`, `EINPROGRESS`, `EALREADY`): "not yet", never a failure. */
export class BlockingIOError extends OSError {
  override name = 'BlockingIOError';
}
/** Base of the connection errors, as Python's `ConnectionError`. */
export class ConnectionError extends OSError {
  override name = 'ConnectionError';
}
export class BrokenPipeError extends ConnectionError {
  override name = 'BrokenPipeError';
}
export class ConnectionAbortedError extends ConnectionError {
  override name = 'ConnectionAbortedError';
}
export class ConnectionRefusedError extends ConnectionError {
  override name = 'ConnectionRefusedError';
}
export class ConnectionResetError extends ConnectionError {
  override name = 'ConnectionResetError';
}
export class FileNotFoundError extends OSError {
  override name = 'FileNotFoundError';
}
export class FileExistsError extends OSError {
  override name = 'FileExistsError';
}
export class PermissionError extends OSError {
  override name = 'PermissionError';
}
export class InterruptedError extends OSError {
  override name = 'InterruptedError';
}
/** An awaitable call ran past the socket's timeout (`settimeout`), as Python's `socket.timeout`. */
export class TimeoutError extends OSError {
  override name = 'TimeoutError';
}
/** A host name lookup failed (`getaddrinfo`); `code` is the resolver's (`'ENOTFOUND'`). */
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
};

/** The error for a code, of the class Python would raise for it. */
export function socketError(code: string, syscall?: string, message?: string): OSError {
  const Class = CLASS_OF[code] ?? OSError;
  return new Class(code, message, syscall);
}

/** True for `BlockingIOError`: the expected "try again later" outcome of a non-blocking call. */
export function isWouldBlock(error: unknown): error is BlockingIOError {
  return error instanceof BlockingIOError;
}

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  EAGAIN: 'Resource temporarily unavailable',
  EINPROGRESS: 'Operation now in progress',
  EALREADY: 'Operation already in progress',
  EPIPE: 'Broken pipe',
  ECONNRESET: 'Connection reset by peer',
  ECONNREFUSED: 'Connection refused',
  ECONNABORTED: 'Software caused connection abort',
  ENOTCONN: 'Transport endpoint is not connected',
  EISCONN: 'Transport endpoint is already connected',
  EBADF: 'Bad file descriptor',
  EINVAL: 'Invalid argument',
  ENOENT: 'No such file or directory',
  EADDRINUSE: 'Address already in use',
  ETIMEDOUT: 'Connection timed out',
  ENOPROTOOPT: 'Protocol not available',
};

function describe(code: string): string {
  return `[Errno ${errnoOf(code)}] ${DESCRIPTIONS[code] ?? code}`;
}
