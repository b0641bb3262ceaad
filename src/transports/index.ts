// The transports layer's public surface: sockets with the kernel's semantics, and their errors.
export * from './constants.js';
export * from './errors.js';
export type { Address, AddressInput, IPv4Address, IPv6Address } from './address.js';
export { Socket, type SocketData, type LingerValue } from './socket.js';
export { SocketFile, type SocketFileOptions, type FileSocket } from './socket-file.js';
export { socket, socketpair, gethostname, getaddrinfo, type AddrInfo } from './socket-module.js';
