/**
 * Test a protocol with no sockets and no sleeps: a recording transport, a manual clock for the
 * reactor and for protocols' schedulers, and a pumped in-memory pair.
 *
 * @module switchboard/testing
 */
export { RecordingTransport, connectRecording } from './recording-transport.js';
export { ManualScheduler } from './manual-scheduler.js';
export { ProtocolPair, PumpedTransport, connectProtocols } from './protocol-pair.js';
export { ManualClock } from '../reactor/clock.js';
export { type SplitReplies, encodeRespCommand, respReplyEnd, splitRespReplies } from './resp-client.js';
