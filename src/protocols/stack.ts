// Stacking codecs under an application protocol in one expression, e.g. a length-prefixed JSON
// handler: stack(new LengthPrefixedCodec({...}), new JsonCodec(), new RpcHandler()). The handler
// cannot tell a stack from a socket: it sees a Transport of its own message type.
import type { Protocol } from '../transports/protocol.js';
import type { Codec } from './framing/codec.js';
import { type DecodeErrorAware, FramingLayer } from './framing-layer.js';

export type App<M> = Protocol<M, M> & DecodeErrorAware;

export function stack<A>(c1: Codec<A>, app: App<A>): Protocol;
export function stack<A, B>(c1: Codec<A>, c2: Codec<B, A>, app: App<B>): Protocol;
export function stack<A, B, C>(c1: Codec<A>, c2: Codec<B, A>, c3: Codec<C, B>, app: App<C>): Protocol;
export function stack(...layers: unknown[]): Protocol {
  const app = layers.pop();
  let top = app as App<unknown>;
  // The overloads above fix the types of each neighbouring pair; here the chain is folded untyped.
  for (const codec of (layers as Codec<unknown, unknown>[]).reverse()) top = new FramingLayer(codec, top);
  return top as Protocol;
}
