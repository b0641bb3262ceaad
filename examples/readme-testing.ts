// examples/readme-testing.ts: testing your own handler with switchboard/testing, no sockets
import assert from 'node:assert/strict';
import { LineCodec, stack, type Protocol, type Transport } from '../src/index.js';
import { connectRecording } from '../src/testing/index.js';

class Greeter implements Protocol {
  #transport: Transport | undefined;
  connectionMade(transport: Transport): void {
    this.#transport = transport;
  }
  dataReceived(line: Uint8Array): void {
    this.#transport?.write(Buffer.from(`hello, ${Buffer.from(line).toString()}`));
  }
  connectionLost(): void {}
}

const protocol = stack(new LineCodec({ maxLineLength: 64 }), new Greeter());
const wire = connectRecording(protocol);
protocol.dataReceived(Buffer.from('wor'));
protocol.dataReceived(Buffer.from('ld\n'));
assert.equal(wire.take(), 'hello, world\n');
console.log('ok');
