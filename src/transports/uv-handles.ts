// Node's own libuv TCP and pipe handles, used for the one thing node:net cannot do: bind() without
// listen(), synchronously, as the kernel does (the port is reserved and connections to it are refused).
// node:net itself builds on these handles; they are reached through process.binding, which Node keeps
// for exactly these modules (its allow-list includes tcp_wrap and pipe_wrap).
import { getSystemErrorName } from 'node:util';
import { OSError, socketError } from './errors.js';

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
// I/O boundary: process.binding is untyped; the shapes above are what Node 20 and 22 provide.
const binding = (process as unknown as { binding: Binding }).binding.bind(process);
const tcpWrap = binding('tcp_wrap') as TcpWrap;
const pipeWrap = binding('pipe_wrap') as PipeWrap;

/** A fresh libuv TCP handle with no descriptor yet (libuv makes it at bind). */
export function newTcpHandle(role: 'socket' | 'server'): TcpHandle {
  return new tcpWrap.TCP(role === 'server' ? tcpWrap.constants.SERVER : tcpWrap.constants.SOCKET);
}

/** A fresh libuv pipe handle for bind() on a path. */
export function newPipeHandle(): PipeHandle {
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
