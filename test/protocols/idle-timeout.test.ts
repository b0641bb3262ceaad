// IdleTimeout as a Transport: before connectionMade there is no transport below it to call, and
// each call says so with a typed error; after it, every call reaches the transport below.
import test from 'ava';
import { EchoProtocol } from '../../src/protocols/apps/echo.js';
import { IdleTimeout } from '../../src/protocols/idle-timeout.js';
import { NotConnectedError } from '../../src/contract/index.js';
import { ManualScheduler, RecordingTransport } from '../../src/testing/index.js';

function unconnected(): IdleTimeout<Uint8Array, Uint8Array> {
  return new IdleTimeout<Uint8Array, Uint8Array>(new EchoProtocol(), 10, new ManualScheduler());
}

test('IdleTimeout transport calls before connectionMade throw NotConnectedError naming the call', (t) => {
  const layer = unconnected();
  const calls: [string, () => unknown][] = [
    ['write', () => layer.write(Buffer.from('x'))],
    ['writeEOF', () => layer.writeEOF()],
    ['close', () => layer.close()],
    ['abort', () => layer.abort()],
    ['pauseReading', () => layer.pauseReading()],
    ['resumeReading', () => layer.resumeReading()],
    ['isReading', () => layer.isReading],
    ['isClosing', () => layer.isClosing],
    ['getWriteBufferSize', () => layer.getWriteBufferSize()],
    ['setWriteBufferLimits', () => layer.setWriteBufferLimits(10, 5)],
    ['localAddress', () => layer.localAddress],
    ['peerAddress', () => layer.peerAddress],
  ];
  for (const [operation, call] of calls) {
    const error = t.throws(call, { instanceOf: NotConnectedError, code: 'ERR_NOT_CONNECTED' }, operation);
    t.is(error?.operation, operation);
    t.is(error?.message, `Cannot ${operation}: the idle timeout layer is not connected yet`);
  }
});

test('IdleTimeout transport calls after connectionMade reach the transport below', (t) => {
  const layer = unconnected();
  const below = new RecordingTransport();
  layer.connectionMade(below);
  layer.write(Buffer.from('hello'));
  t.is(below.take(), 'hello');
  t.is(layer.getWriteBufferSize(), below.getWriteBufferSize());
  layer.pauseReading();
  t.false(layer.isReading);
  layer.resumeReading();
  t.true(layer.isReading);
  t.deepEqual(layer.peerAddress, below.peerAddress);
  t.false(layer.isClosing);
  layer.close();
  t.true(layer.isClosing);
});
