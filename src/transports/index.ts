// The transports layer's public surface: sockets with the kernel's semantics, their errors, the
// Protocol/Transport contract, the socket transport and the endpoints that build connections.
export * from './constants.js';
export * from './errors.js';
export type { Address, AddressInput, IPv4Address, IPv6Address } from './address.js';
export { Socket, type SocketData, type LingerValue } from './socket.js';
export type { OptionValue } from './kernel/socket-options.js';
export { SocketFile, ReadLimitError, type SocketFileOptions, type FileSocket } from './socket-file.js';
export { socket, socketpair, gethostname, getaddrinfo, type AddrInfo } from './socket-module.js';
export { type Protocol, type Transport, type Factory, TransportClosedError } from './protocol.js';
export { SocketTransport, type SocketTransportOptions, type StartTLSOptions } from './socket-transport.js';
export {
  listenTCP,
  listenUnix,
  connectTCP,
  connectUnix,
  type ListeningPort,
  type Connector,
  type ListenOptions,
  type ConnectOptions,
} from './endpoints.js';
export type { StreamSocket } from './stream-socket.js';
export * from './tls/index.js';
