// One way to put a layer around every connection of a factory (Twisted's WrappingFactory): the
// wrapped factory's other parts, refusal and connectionFailed, are kept, so a layer added by a
// caller (the CLI's idle timeout, a throttle) does not silently lose them.
import type { Address, Factory, Protocol } from '../contract/index.js';

/**
 * A factory whose protocols are `wrap(factory.buildProtocol(peer), peer)`; `factory`'s refusal and
 * connectionFailed are kept, bound to it.
 */
export function wrapFactory<In, Out>(factory: Factory<In, Out>, wrap: (protocol: Protocol<In, Out>, peerAddress: Address) => Protocol<In, Out>): Factory<In, Out> {
  const refusal = factory.refusal?.bind(factory);
  const connectionFailed = factory.connectionFailed?.bind(factory);
  return {
    buildProtocol: (peerAddress) => wrap(factory.buildProtocol(peerAddress), peerAddress),
    ...(refusal === undefined ? {} : { refusal }),
    ...(connectionFailed === undefined ? {} : { connectionFailed }),
  };
}
