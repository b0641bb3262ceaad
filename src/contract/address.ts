// The address types a Transport reports (localAddress, peerAddress) and a Factory is given: Python's
// spellings, [host, port] for IPv4, [host, port, flowinfo, scopeId] for IPv6, a path for AF_UNIX.
// They live with the contract because every layer sees them; the socket API in src/transports
// re-exports them beside its resolution helpers.

/** An AF_INET address as Python's `(host, port)`: a numeric IPv4 host (`'127.0.0.1'`) and a port 0-65535. */
export type IPv4Address = readonly [host: string, port: number];
/**
 * An AF_INET6 address as Python's `(host, port, flowinfo, scopeid)`: a numeric IPv6 host (`'::1'`,
 * an IPv4 peer as `'::ffff:127.0.0.1'`), a port, and flowinfo and scope id (always 0 here).
 */
export type IPv6Address = readonly [host: string, port: number, flowinfo: number, scopeId: number];
/**
 * A socket address as `getsockname`, `getpeername` and `accept` return it: IPv4Address, IPv6Address,
 * or for AF_UNIX the path (`''` for an unnamed socket, such as a client that did not bind).
 */
export type Address = IPv4Address | IPv6Address | string;
