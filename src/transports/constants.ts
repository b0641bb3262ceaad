// The socket module's constants, with Linux's values so numbers read the same as in Python on Linux.

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export type AddressFamily = typeof AF_UNIX | typeof AF_INET | typeof AF_INET6;

export const SOCK_STREAM = 1;

export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;
export type ShutdownHow = typeof SHUT_RD | typeof SHUT_WR | typeof SHUT_RDWR;

export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_TYPE = 3;
export const SO_ERROR = 4;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_KEEPALIVE = 9;
export const SO_LINGER = 13;
export const SO_ACCEPTCONN = 30;

export const IPPROTO_TCP = 6;
export const TCP_NODELAY = 1;

/** Linux's `tcp_rmem[1]`: the receive buffer a TCP socket starts with. */
export const DEFAULT_TCP_RCVBUF = 131072;
/** Linux's `tcp_wmem[1]`: the send buffer a TCP socket starts with. */
export const DEFAULT_TCP_SNDBUF = 16384;
/** Linux's `net.core.{r,w}mem_default`: the buffers of an AF_UNIX socket. */
export const DEFAULT_UNIX_BUFFER = 212992;
