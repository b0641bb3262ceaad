// examples/readme-custom-server.ts: a server written as a handler class on the reactor
import { createReactor, listenTCP, type Protocol, type Transport } from '../src/index.js';

class Shout implements Protocol {
  #transport: Transport | undefined;
  connectionMade(transport: Transport): void {
    this.#transport = transport;
  }
  dataReceived(data: Uint8Array): void {
    this.#transport?.write(Buffer.from(Buffer.from(data).toString('latin1').toUpperCase(), 'latin1'));
  }
  connectionLost(): void {}
}

const reactor = createReactor();
const port = await listenTCP(reactor, Number(process.env['PORT'] ?? 9011), { buildProtocol: () => new Shout() });
console.log('listening on', port.address);
await reactor.run();
