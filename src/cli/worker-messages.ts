// The messages a `serve --workers` primary and its workers exchange over node:cluster's IPC channel
// (JSON; bytes travel as base64). The channel is ordered, which is what keeps a relayed
// connection's data, and so each chat sender's lines, in order.
import type { Address } from '../transports/address.js';

/** Primary to worker: serve this connection (sent with its socket as the handle). */
export interface ConnectionMessage {
  readonly type: 'connection';
  /** The primary's id of the connection; a worker's later messages about it carry it. */
  readonly id: number;
  /** Serve it as a relay to the primary (the server's protocol runs there) instead of locally. */
  readonly relay: boolean;
}

/** Primary to worker: stop taking connections, finish the open ones, exit (a rolling restart or a stop). */
export interface DrainMessage {
  readonly type: 'drain';
}

/** Primary to worker: an action on a relayed connection, from its protocol in the primary. */
export interface RelayCommand {
  readonly type: 'write' | 'writeEOF' | 'close' | 'abort' | 'pauseReading' | 'resumeReading';
  readonly id: number;
  /** For `write`: the bytes, base64. */
  readonly data?: string;
}

/** Primary to worker: the answer to an AdmitMessage. */
export interface AdmittedMessage {
  readonly type: 'admitted';
  readonly id: number;
  readonly isAdmitted: boolean;
}

/** Everything a primary sends a worker. */
export type ToWorker = ConnectionMessage | DrainMessage | RelayCommand | AdmittedMessage;

/** Worker to primary: the worker takes connections now. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** Worker to primary: a connection ended (its place in the global connection count is free). */
export interface ClosedMessage {
  readonly type: 'closed';
  readonly id: number;
}

/** Worker to primary: an event of a relayed connection, for its protocol in the primary. */
export interface RelayEvent {
  readonly type: 'opened' | 'data' | 'eof' | 'lost';
  readonly id: number;
  /** `data`: the bytes, base64; `lost`: the reason's message, if it ended by an error. */
  readonly data?: string;
  /** `opened`: the connection's peer address (the client's, after a PROXY header). */
  readonly peer?: Address;
  /** `opened`: the connection's local address. */
  readonly local?: Address;
}

/**
 * Worker to primary: the PROXY header of connection `id` named client `peer`; may it stay? The
 * per-peer limit is counted in the primary, after the header, so that it counts clients, not the balancer.
 */
export interface AdmitMessage {
  readonly type: 'admit';
  readonly id: number;
  readonly peer: string;
}

/** Everything a worker sends its primary. */
export type ToPrimary = ReadyMessage | ClosedMessage | RelayEvent | AdmitMessage;

/** True for a message object with a string `type` (what arrives over IPC is not typed). */
export function isMessage(value: unknown): value is { readonly type: string } {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
