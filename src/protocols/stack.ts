// Stacking codecs under an application protocol in one expression, e.g. a length-prefixed JSON
// handler: stack(new LengthPrefixedCodec({...}), new JsonCodec(), new RpcHandler()). The handler
// cannot tell a stack from a socket: it sees a Transport of its own message type.
import type { Protocol } from '../contract/index.js';
import type { Codec } from './framing/codec.js';
import type { DecodeErrorAware } from './decode-error-aware.js';
import { FramingLayer } from './framing-layer.js';

/**
 * The protocol on top of a stack: it reads and writes messages of type `M`, the top codec's frames,
 * and may hear decodeFailed() before its connection closes for bad input.
 */
export type App<M> = Protocol<M, M> & DecodeErrorAware;

/**
 * One codec under `app`: a byte Protocol for an endpoint's factory to return, in which `app` reads
 * and writes `c1`'s frames (Netty's pipeline, tokio's `Framed`). Bad input closes the connection with
 * the codec's error (FrameTooLongError...) as reason, after app.decodeFailed(error).
 */
export function stack<A>(c1: Codec<A>, app: App<A>): Protocol;
/** Two codecs, bottom first: `c2` decodes `c1`'s frames (JSON over length-prefixed frames), `app` reads `c2`'s. */
export function stack<A, B>(c1: Codec<A>, c2: Codec<B, A>, app: App<B>): Protocol;
/** Three codecs, bottom first, each decoding the frames of the one below; `app` reads `c3`'s. */
export function stack<A, B, C>(c1: Codec<A>, c2: Codec<B, A>, c3: Codec<C, B>, app: App<C>): Protocol;
export function stack(...layers: unknown[]): Protocol {
  const app = layers.pop();
  let top = app as App<unknown>;
  // The overloads above fix the types of each neighbouring pair; here the chain is folded untyped.
  for (const codec of (layers as Codec<unknown, unknown>[]).reverse()) top = new FramingLayer(codec, top);
  return top as Protocol;
}
