// The functions of Python's socket module beside the Socket class: socket(), socketpair(),
// gethostname() and an awaitable getaddrinfo() (the lookup a blocking call would have made).
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import type { Address } from './address.js';
import { AF_INET, AF_INET6, type AF_UNIX, type AddressFamily, IPPROTO_TCP, SOCK_STREAM } from './constants.js';
import { gaierror } from './errors.js';
import { Socket } from './socket.js';

/**
 * Python's `socket.socket(family, type)`: a new, unconnected, non-blocking stream socket. Throws
 * OSError `EAFNOSUPPORT` for another family and `EPROTONOSUPPORT` for a type other than SOCK_STREAM.
 */
export function socket<F extends AddressFamily = typeof AF_INET>(family: F = AF_INET as F, type: number = SOCK_STREAM): Socket<F> {
  return new Socket(family, type);
}

/**
 * Python's `socket.socketpair()`: a connected pair of in-memory AF_UNIX stream sockets, synchronous
 * (a send on one is readable on the other at once, with no event-loop turn) and deterministic.
 */
export function socketpair(): [Socket<typeof AF_UNIX>, Socket<typeof AF_UNIX>] {
  return Socket.pair();
}

/** Python's `socket.gethostname()`: this machine's host name (`os.hostname()`). */
export function gethostname(): string {
  return hostname();
}

/** One getaddrinfo() result, as Python's: (family, type, proto, canonname, sockaddr). */
export type AddrInfo = [family: AddressFamily, type: number, proto: number, canonname: string, sockaddr: Address];

/** What dns.lookup's `family` is for getaddrinfo's: 0 gives both; other families have no host names. */
const LOOKUP_FAMILY: ReadonlyMap<number, 0 | 4 | 6> = new Map([
  [0, 0],
  [AF_INET, 4],
  [AF_INET6, 6],
]);

/**
 * Python's `socket.getaddrinfo(host, port, family)`, awaitable: every address of `host`, as stream
 * sockets with `port`, for `bind` (which cannot wait for a lookup) or `connect`. `family` 0 gives both
 * families, AF_INET or AF_INET6 one. Rejects with gaierror (the resolver's code, e.g. `'ENOTFOUND'`;
 * `'EAI_FAMILY'` for AF_UNIX).
 */
export async function getaddrinfo(host: string, port: number, family: number = 0): Promise<AddrInfo[]> {
  const wanted = LOOKUP_FAMILY.get(family);
  if (wanted === undefined) throw new gaierror('EAI_FAMILY', '[Errno -6] ai_family not supported');
  try {
    const results = await lookup(host, { all: true, family: wanted });
    return results.map(({ address, family: version }) =>
      version === 6
        ? [AF_INET6, SOCK_STREAM, IPPROTO_TCP, '', [address, port, 0, 0]]
        : [AF_INET, SOCK_STREAM, IPPROTO_TCP, '', [address, port]],
    );
  } catch (error) {
    // I/O boundary: node:dns rejects with an ErrnoException carrying the resolver's code.
    const code = (error as NodeJS.ErrnoException).code ?? 'ENOTFOUND';
    throw new gaierror(code, `getaddrinfo ${host}: ${code}`);
  }
}
