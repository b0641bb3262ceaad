// The transports layer's public surface: sockets with the kernel's semantics, their errors, the
// socket transport and the endpoints that build connections (the contract they implement is src/contract).
export * from './constants.js';
export * from './errors.js';
export type { AddressInput, AddressOf } from './address.js';
export { Socket, type SocketData, type LingerValue } from './socket.js';
export type { OptionValue } from './kernel/socket-options.js';
export { SocketFile, ReadLimitError, type SocketFileOptions, type FileSocket } from './socket-file.js';
export { socket, socketpair, gethostname, getaddrinfo, type AddrInfo } from './socket-module.js';
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
