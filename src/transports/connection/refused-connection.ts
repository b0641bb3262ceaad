// What a connection refused for a connection limit (--max-connections) does: say the factory's
// refusal, shut down writing, and close soon, whatever the client does. redis-server closes a
// client past `maxclients` at once after writing its error; we linger a little (bounded in time,
// bytes and how many linger at once), so that the answer is read rather than lost to the RST a
// close with unread input sends (Apache's lingering close). Before, a refused client that never
// closed held a server descriptor for as long as it liked: 1,000 of them held 1,000.
import type { DelayedCall } from '../../reactor/delayed-call.js';
import type { Reactor } from '../../reactor/reactor.js';
import type { Protocol, Transport } from '../../contract/index.js';

/** The bounds of a refused connection's lingering close (docs/limits.md). */
export interface RefusalLimits {
  /** Seconds a refused connection may linger after its answer before it is closed anyway. */
  readonly lingerSeconds: number;
  /** Bytes a refused client may send while it lingers; past them it is closed at once. */
  readonly lingerBytes: number;
  /** Refused connections that may linger at once per reactor; past it, one is closed as soon as its answer is out. */
  readonly maxLingering: number;
}

/** The defaults: 2 s (Apache's lingering close), 64 KiB, 64 at once. */
export const REFUSAL_LIMITS: RefusalLimits = { lingerSeconds: 2, lingerBytes: 64 * 1024, maxLingering: 64 };

/** How many refused connections linger now, per reactor (the cap is per process's loop). */
const lingering = new WeakMap<object, number>();

/** How many refused connections linger now on `reactor`, waiting for their client or the deadline. */
export function lingeringRefusals(reactor: object): number {
  return lingering.get(reactor) ?? 0;
}

/**
 * The protocol of a refused connection: writes `message` (if any), sends FIN, discards what the
 * client sends, and closes at the client's EOF, after `limits.lingerSeconds` on `reactor`'s clock
 * (with an RST if the answer is still queued then), once the client sent `limits.lingerBytes`, or as
 * soon as the answer is out when `limits.maxLingering` others linger already.
 */
export function refusedConnection(reactor: Pick<Reactor, 'callLater'>, message: Uint8Array | undefined, limits: RefusalLimits = REFUSAL_LIMITS): Protocol {
  let transport: Transport | undefined;
  let deadline: DelayedCall | undefined;
  let received = 0;
  const finish = (t: Transport): void => {
    // An answer still queued then (a client that sends but never reads) is dropped with an RST.
    if (t.getWriteBufferSize() > 0) t.abort();
    else t.close();
  };
  const stopLingering = (): void => {
    if (deadline === undefined) return;
    if (deadline.active()) deadline.cancel();
    deadline = undefined;
    lingering.set(reactor, lingeringRefusals(reactor) - 1);
  };
  return {
    connectionMade(t) {
      transport = t;
      if (message !== undefined && message.length > 0) t.write(message);
      t.writeEOF();
      if (lingeringRefusals(reactor) >= limits.maxLingering) {
        // Too many linger already: close once the answer is out (a client that sent data may then
        // get an RST, as from redis-server).
        t.close();
        return;
      }
      lingering.set(reactor, lingeringRefusals(reactor) + 1);
      deadline = reactor.callLater(limits.lingerSeconds, () => {
        deadline = undefined;
        lingering.set(reactor, lingeringRefusals(reactor) - 1);
        finish(t);
      });
    },
    dataReceived(data) {
      received += data.length;
      if (received > limits.lingerBytes) {
        stopLingering();
        if (transport !== undefined) finish(transport);
      }
    },
    eofReceived() {
      // The client has read what it wanted and closed its side: close ours (false: do not keep open).
      stopLingering();
      return false;
    },
    connectionLost() {
      stopLingering();
    },
  };
}
