// Node's own libuv TCP and pipe handles, used for the one thing node:net cannot do: bind() without
// listen(), synchronously, as the kernel does (the port is reserved and connections to it are refused).
// node:net itself builds on these handles; they are reached through process.binding, which Node keeps
// for exactly these modules (its allow-list includes tcp_wrap and pipe_wrap).
import { getSystemErrorName } from 'node:util';
import { OSError, socketError } from '../errors.js';

/** The part of libuv's TCP handle this module uses. Errors are negative libuv codes, 0 is success. */
export interface TcpHandle {
  /** bind(2) to a numeric IPv4 host. */
  bind(host: string, port: number): number;
  /** bind(2) to a numeric IPv6 host; `flags` 0 (dual-stack on '::'). */
  bind6(host: string, port: number, flags: number): number;
  /** Fills `out` with the bound address; the result reports a deferred bind error (EADDRINUSE). */
  getsockname(out: { address?: string; port?: number; family?: string }): number;
  /** Releases the descriptor (and the port). */
  close(callback?: () => void): void;
}

/** The part of libuv's pipe handle this module uses; errors as for TcpHandle. */
export interface PipeHandle {
  /** bind(2) to a path, creating the socket file. */
  bind(path: string): number;
  /** Releases the descriptor; libuv also unlinks the bound path. */
  close(callback?: () => void): void;
}

interface TcpWrap {
  TCP: new (type: number) => TcpHandle;
  constants: { SOCKET: number; SERVER: number };
}
interface PipeWrap {
  Pipe: new (type: number) => PipeHandle;
  constants: { SOCKET: number; SERVER: number };
}

type Binding = (name: string) => unknown;

/**
 * One of Node's internal bindings, loaded on first use rather than at import: process.binding is
 * deprecated (DEP0111, a warning under --pending-deprecation) and refused under the permission
 * model (`--permission`: ERR_ACCESS_DENIED), and a Node may drop it. Then importing switchboard
 * still works (socketpair() needs no handle), and the first TCP or Unix bind or connect fails with
 * an OSError ENOSYS that says why, not a TypeError from deep inside.
 */
function internalBinding(name: 'tcp_wrap' | 'pipe_wrap'): unknown {
  const binding = (process as unknown as { binding?: Binding }).binding;
  let reason: string;
  try {
    if (typeof binding === 'function') return binding.call(process, name);
    reason = 'this Node has no process.binding';
  } catch (error) {
    reason = error instanceof Error ? `${'code' in error ? `${String(error.code)}: ` : ''}${error.message}` : String(error);
  }
  const hint = reason.startsWith('ERR_ACCESS_DENIED') ? ' (the permission model, --permission, blocks it)' : '';
  throw new OSError('ENOSYS', `TCP and Unix sockets need Node's libuv handles through process.binding('${name}') (deprecated, DEP0111), which this Node refuses: ${reason}${hint}`, 'socket');
}

let tcpWrap: TcpWrap | undefined;
let pipeWrap: PipeWrap | undefined;

/** A fresh libuv TCP handle with no descriptor yet (libuv makes it at bind). Throws OSError ENOSYS without process.binding. */
export function newTcpHandle(role: 'socket' | 'server'): TcpHandle {
  // I/O boundary: process.binding is untyped; TcpWrap is the shape Node 20, 24 and 26 provide.
  tcpWrap ??= internalBinding('tcp_wrap') as TcpWrap;
  return new tcpWrap.TCP(role === 'server' ? tcpWrap.constants.SERVER : tcpWrap.constants.SOCKET);
}

/** A fresh libuv pipe handle for bind() on a path. Throws OSError ENOSYS without process.binding. */
export function newPipeHandle(): PipeHandle {
  // I/O boundary: as above, PipeWrap is the shape Node provides.
  pipeWrap ??= internalBinding('pipe_wrap') as PipeWrap;
  return new pipeWrap.Pipe(pipeWrap.constants.SERVER);
}

/** Throws the OSError for a libuv result code; returns when it is 0. */
export function check(result: number, syscall: string): void {
  if (result === 0) return;
  throw socketError(getSystemErrorName(result), syscall);
}

/** The handle's bound address; throws the OSError a bind deferred (libuv reports EADDRINUSE here). */
export function boundEndpoint(handle: TcpHandle): { host: string; port: number } {
  const out: { address?: string; port?: number } = {};
  check(handle.getsockname(out), 'getsockname');
  if (out.address === undefined || out.port === undefined) throw socketError('EINVAL', 'getsockname');
  return { host: out.address, port: out.port };
}
