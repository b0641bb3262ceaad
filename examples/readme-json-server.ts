// examples/readme-json-server.ts: a stacked server, length-prefixed JSON requests to a handler class
import { JsonCodec, LengthPrefixedCodec, createReactor, listenTCP, stack, type Protocol, type Transport } from '../src/index.js';

class Calculator implements Protocol<unknown> {
  #transport: Transport<unknown> | undefined;
  connectionMade(transport: Transport<unknown>): void {
    this.#transport = transport;
  }
  dataReceived(request: unknown): void {
    // JSON from the network is untrusted: check its shape before using it.
    const { id, params } = (typeof request === 'object' && request !== null ? request : {}) as { id?: unknown; params?: unknown };
    const numbers = Array.isArray(params) && params.every((p) => typeof p === 'number') ? params : undefined;
    if (numbers === undefined) this.#transport?.write({ id, error: 'params must be an array of numbers' });
    else this.#transport?.write({ id, result: numbers.reduce((a, b) => a + b, 0) });
  }
  decodeFailed(error: Error): boolean {
    // A frame that is not JSON: answer with an error object and go on (true keeps the connection).
    // Only a recoverable error can be kept; a frame over 64 KiB closes the connection anyway.
    this.#transport?.write({ error: error.message });
    return true;
  }
  connectionLost(): void {}
}

const reactor = createReactor();
const port = await listenTCP(reactor, Number(process.env['PORT'] ?? 9012), {
  // Each frame: a 4-byte big-endian length, then that many bytes of JSON, at most 64 KiB.
  buildProtocol: () => stack(new LengthPrefixedCodec({ lengthFieldLength: 4, maxFrameLength: 65536 }), new JsonCodec(), new Calculator()),
});
console.log('listening on', port.address);
await reactor.run();
