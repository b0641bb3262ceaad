// Handing a connection to another protocol mid-stream, losing nothing (asyncio's set_protocol,
// Twisted's setRawMode/setLineMode(extra), Netty's pipeline replace). The contract is
// Transport.setProtocol's; this file gives it a checked entry point and the error it throws.
import type { Protocol, Transport } from '../contract/index.js';

/** A switch that cannot be made: the transport cannot switch, or the codec cannot give bytes back. */
export class ProtocolSwitchError extends TypeError {
  /** The class name, kept when the code is minified. */
  override name = 'ProtocolSwitchError';
  /** Node-style code to `switch` on, as a literal type. */
  readonly code = 'ERR_PROTOCOL_SWITCH' as const;
}

/**
 * Hands `transport`'s connection to `next`, `leftover` first: what the current protocol received
 * and did not consume (the bytes after an HTTP Upgrade request's head, the rest of a chunk after a
 * STARTTLS line). Then `next` gets the rest of the stream; the current protocol gets no more events,
 * not even connectionLost (see Transport.setProtocol). Throws ProtocolSwitchError if the transport
 * cannot switch (it has no setProtocol).
 */
export function switchProtocol<M>(transport: Transport<M>, next: Protocol<M, M>, leftover: readonly M[] = []): void {
  const setProtocol = transport.setProtocol?.bind(transport);
  if (setProtocol === undefined) throw new ProtocolSwitchError('Cannot switch protocols: this transport has no setProtocol');
  setProtocol(next, leftover);
}
