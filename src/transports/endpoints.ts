// Endpoints build connections: listen and connect for TCP (IPv4/IPv6) and Unix paths, one protocol
// per connection from a factory, each started through the one guarded path. Failures to connect
// reach the factory's connectionFailed(), never an unhandled rejection. The public module: the
// listening half is connection/listen-endpoint.ts, the connecting half connection/connect-endpoint.ts.
export {
  CONNECTION_BUFFER_BYTES,
  type BufferOptions,
  type NoDelayOption,
  type ListenOptions,
  type ConnectOptions,
  type ListeningPort,
  type Connector,
  type PrepareSocket,
} from './connection/endpoint-options.js';
export { listenTCP, listenTCPPrepared, listenUnix } from './connection/listen-endpoint.js';
export { connectTCP, connectTCPPrepared, connectUnix, serveConnection } from './connection/connect-endpoint.js';
