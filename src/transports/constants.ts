// The socket module's constants, with Linux's values so numbers read the same as in Python on Linux.

/** Address family of Unix-domain (local) stream sockets; the address is a filesystem path (`socket.AF_UNIX`). */
export const AF_UNIX = 1;
/** Address family of IPv4 sockets; the address is `[host, port]` (`socket.AF_INET`, the default of `socket()`). */
export const AF_INET = 2;
/** Address family of IPv6 sockets; the address is `[host, port]` or `[host, port, flowinfo, scopeId]` (`socket.AF_INET6`). */
export const AF_INET6 = 10;
/** The address families `socket()` accepts; any other throws OSError `EAFNOSUPPORT`. */
export type AddressFamily = typeof AF_UNIX | typeof AF_INET | typeof AF_INET6;

/** A reliable, ordered byte stream (TCP, or a Unix stream socket): the only type `socket()` accepts (`socket.SOCK_STREAM`). */
export const SOCK_STREAM = 1;

/**
 * `shutdown()`: stop receiving. Later `recv` calls return EOF (an empty Buffer) once the queue is
 * read. TCP sends nothing to the peer; on a TCP listener it stops listening. AF_UNIX tells the peer,
 * whose sends then fail with `EPIPE`.
 */
export const SHUT_RD = 0;
/** `shutdown()`: stop sending. The peer reads EOF after the queued bytes (TCP sends a FIN); our `send` then fails with `EPIPE`. */
export const SHUT_WR = 1;
/** `shutdown()`: both `SHUT_RD` and `SHUT_WR`. */
export const SHUT_RDWR = 2;
/** The values `shutdown()` accepts; any other number throws OSError `EINVAL`. */
export type ShutdownHow = typeof SHUT_RD | typeof SHUT_WR | typeof SHUT_RDWR;

/** The `level` of `getsockopt`/`setsockopt` for the socket-level `SO_*` options (`socket.SOL_SOCKET`). */
export const SOL_SOCKET = 1;
/**
 * Allow binding a TCP address that another socket holds, as Linux's bind table allows: only when both
 * sockets set it and the other one is not listening (docs/semantics.md, "TCP bind table"); otherwise
 * `bind()` or `listen()` throws OSError `EADDRINUSE`. Read when those calls check. A boolean (0 or
 * 1); default 0.
 */
export const SO_REUSEADDR = 2;
/** Read-only: the socket type, always `SOCK_STREAM`. */
export const SO_TYPE = 3;
/**
 * Read-only: the pending error as an errno number (0 if none), and clears it, as Linux does. After a
 * non-blocking `connect` reports writable, this says whether it succeeded (0) or why it failed
 * (e.g. `ECONNREFUSED`, 111).
 */
export const SO_ERROR = 4;
/**
 * Send buffer size in bytes: how much `send` holds that has not reached the kernel yet; when it is
 * full `send` throws `BlockingIOError`. A value set is doubled, floored at 4608 and capped at twice
 * `wmem_max`, as Linux (a non-integer throws TypeError). Defaults: TCP 16384 (`tcp_wmem[1]`),
 * Unix 212992; while unset, a TCP socket's room grows to `tcp_wmem[2]` as Linux autotunes it.
 */
export const SO_SNDBUF = 7;
/**
 * Receive buffer size in bytes: received data queued before reading from the peer pauses, so TCP
 * flow control reaches it. A value set is doubled, floored at 2304 and capped at twice
 * `rmem_max`, as Linux (a non-integer throws TypeError). Defaults: TCP 131072 (`tcp_rmem[1]`), Unix 212992. An accepted
 * socket inherits its listener's.
 */
export const SO_RCVBUF = 8;
/** Send TCP keepalive probes on an idle connection, so a vanished peer ends it. A boolean (0 or 1); default 0; inherited by accepted sockets. */
export const SO_KEEPALIVE = 9;
/**
 * How `close()` treats unsent data, set as `[l_onoff, l_linger]` (or the packed 8-byte
 * `struct linger`). On Linux `close()` waits up to l_linger seconds for it to go out; an l_linger of
 * 0 (with l_onoff 1) makes `close()` discard it and send an RST, so the peer sees `ECONNRESET`. Here
 * `close()` never blocks: only the l_linger-0 case changes anything. `getsockopt` returns l_onoff.
 */
export const SO_LINGER = 13;
/** Read-only: 1 if the socket is listening (`listen()` was called and it has not stopped), else 0. */
export const SO_ACCEPTCONN = 30;

/** The `level` of `getsockopt`/`setsockopt` for TCP options such as `TCP_NODELAY` (`socket.IPPROTO_TCP`). */
export const IPPROTO_TCP = 6;
/**
 * Disable Nagle's algorithm: small sends go out at once instead of waiting to be coalesced. Level
 * `IPPROTO_TCP`, TCP sockets only (a Unix socket throws `ENOPROTOOPT`). A boolean (0 or 1); default 0;
 * inherited by accepted sockets.
 */
export const TCP_NODELAY = 1;

/** Linux's `tcp_rmem[1]`: the receive buffer a TCP socket starts with. */
export const DEFAULT_TCP_RCVBUF = 131072;
/** Linux's `tcp_wmem[1]`: the send buffer a TCP socket starts with. */
export const DEFAULT_TCP_SNDBUF = 16384;
/** Linux's `net.core.{r,w}mem_default`: the buffers of an AF_UNIX socket. */
export const DEFAULT_UNIX_BUFFER = 212992;
