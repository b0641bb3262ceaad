// The RESP (Redis protocol) server's public surface: the request parser, reply encoders, the
// keyspace and the server protocol with its factory. Command internals stay private.
export { globMatch } from './glob-match.js';
export { encodeArray, encodeBulkString, encodeError, encodeInteger, encodeSimpleString } from './resp-encoder.js';
export { DEFAULT_RESP_LIMITS, MAX_RESP_DEPTH, type RespLimits, resolveRespLimits } from './resp-limits.js';
export { type RespCommand, RespParser, RespProtocolError, type RespValue } from './resp-parser.js';
export { RESP_COMMANDS, type RespFactory, type RespFactoryOptions, RespServerProtocol, type RespServerOptions, respFactory } from './resp-server.js';
export { type ExpiryTime, type KeyWatcher, RespStore, type ScanPage, type StoreOptions } from './store.js';
export { DATABASE_COUNT, RespServerState } from './server-state.js';
export type { CommandContext, CommandSpec, CommandTable } from './command.js';
