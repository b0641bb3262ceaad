// The protocols layer's public surface: the framing adapter and stacks, and the application
// handlers (echo, discard, chat, HTTP/1.1), each a class a user could copy.
export { FramingLayer } from './framing-layer.js';
export type { DecodeErrorAware } from './decode-error-aware.js';
export { TransportWrapper } from './transport-wrapper.js';
export { ProtocolWrapper } from './protocol-wrapper.js';
export { wrapFactory } from './wrap-factory.js';
export { stack, type App } from './stack.js';
export { switchProtocol, ProtocolSwitchError } from './switching.js';
export type { Scheduler, Cancellable } from './scheduler.js';
export * from './framing/index.js';
export { EchoProtocol, DiscardProtocol, echoFactory, discardFactory } from './apps/echo.js';
export { ChatRoom, ChatMember, chatFactory, type ChatOptions } from './apps/chat.js';
export { HttpServerProtocol, type HttpServerOptions } from './http/http-server.js';
export { HttpRequestParser, HttpError, DEFAULT_HTTP_LIMITS, type HttpRequest, type HttpLimits, type ParserEvents } from './http/request-parser.js';
export { HttpResponse, InvalidHeaderError, isValidHeaderValue, type BodyProducer, type HttpResponseOptions } from './http/response.js';
export { Router, type RouteHandler } from './http/router.js';
export { offersUpgrade, upgradeOffer } from './http/upgrade.js';
export { demoRouter, httpFactory } from './apps/http-app.js';
export { IdleTimeout, IdleTimeoutError, withIdleTimeout, idleTimeoutFactory } from './idle-timeout.js';
export { LingeringCloser, LingeringClose, DEFAULT_LINGERING, type LingeringOptions } from './lingering-close.js';
export { Throttle, throttled, type ThrottleOptions, type ClockedScheduler } from './throttle.js';
export { respFactory, RespServerProtocol, type RespFactoryOptions, type RespFactory, type RespServerOptions } from './resp/resp-server.js';
export { RespStore, type StoreOptions, type ExpiryTime, type KeyWatcher, type ScanPage } from './resp/store.js';
export { RespServerState } from './resp/server-state.js';
export { DEFAULT_RESP_LIMITS, type RespLimits } from './resp/resp-limits.js';
export * from './proxy/index.js';
