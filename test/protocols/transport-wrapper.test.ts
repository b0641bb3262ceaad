// Every layer between a protocol and its transport (ProtocolWrapper, IdleTimeout, Throttle,
// FramingLayer) is a TransportWrapper: each member of the Transport contract, setProtocol included,
// reaches the transport below unless the layer changes it, and each throws one NotConnectedError
// before connectionMade. The member table is typed by `keyof Transport`, so a member added to the
// contract fails to compile here until every layer is checked for it.
import test from 'ava';
import { NotConnectedError, type Factory, type Protocol, type Transport } from '../../src/contract/index.js';
import { EchoProtocol } from '../../src/protocols/apps/echo.js';
import { FramingLayer } from '../../src/protocols/framing-layer.js';
import type { Codec } from '../../src/protocols/framing/codec.js';
import { IdleTimeout, idleTimeoutFactory } from '../../src/protocols/idle-timeout.js';
import { ProtocolWrapper } from '../../src/protocols/protocol-wrapper.js';
import { ProtocolSwitchError } from '../../src/protocols/switching.js';
import { Throttle, throttled } from '../../src/protocols/throttle.js';
import { wrapFactory } from '../../src/protocols/wrap-factory.js';
import { ManualScheduler, RecordingTransport } from '../../src/testing/index.js';

/** A codec that passes each chunk up as one frame and writes frames unchanged. */
const identity = (): Codec<Uint8Array> => ({ feed: (input, emit) => emit(input), end: () => undefined, encode: (frame) => frame });

type Layer = Protocol & Transport;
const LAYERS: Readonly<Record<string, { readonly name: string; readonly make: () => Layer }>> = {
  ProtocolWrapper: { name: 'the protocol wrapper', make: () => new ProtocolWrapper(new EchoProtocol()) },
  IdleTimeout: { name: 'the idle timeout layer', make: () => new IdleTimeout(new EchoProtocol(), 10, new ManualScheduler()) },
  Throttle: { name: 'the throttle layer', make: () => new Throttle(new EchoProtocol(), { readBytesPerSecond: 1000, writeBytesPerSecond: 1000, scheduler: new ManualScheduler() }) },
  FramingLayer: { name: 'the framing layer', make: () => new FramingLayer(identity(), new EchoProtocol()) },
};

/** Each Transport member, called on a layer. */
const MEMBERS: Record<keyof Transport, (layer: Transport) => unknown> = {
  write: (layer) => layer.write(Buffer.from('x')),
  writeEOF: (layer) => layer.writeEOF(),
  close: (layer) => layer.close(),
  abort: (layer) => layer.abort(),
  pauseReading: (layer) => layer.pauseReading(),
  resumeReading: (layer) => layer.resumeReading(),
  isReading: (layer) => layer.isReading,
  isClosing: (layer) => layer.isClosing,
  getWriteBufferSize: (layer) => layer.getWriteBufferSize(),
  setWriteBufferLimits: (layer) => layer.setWriteBufferLimits(10, 5),
  localAddress: (layer) => layer.localAddress,
  peerAddress: (layer) => layer.peerAddress,
  setProtocol: (layer) => layer.setProtocol?.(new EchoProtocol()),
};

for (const [kind, { name, make }] of Object.entries(LAYERS)) {
  test(`${kind}: every Transport member throws NotConnectedError naming itself before connectionMade`, (t) => {
    for (const [operation, call] of Object.entries(MEMBERS)) {
      const layer = make();
      const error = t.throws(() => call(layer), { instanceOf: NotConnectedError, code: 'ERR_NOT_CONNECTED' }, operation);
      t.is(error?.operation, operation);
      t.is(error?.message, `Cannot ${operation}: ${name} is not connected yet`);
    }
  });

  test(`${kind}: every Transport member reaches the transport below, setProtocol included`, (t) => {
    const layer = make();
    const below = new RecordingTransport();
    below.protocol = layer;
    layer.connectionMade(below);
    below.localAddress = ['127.0.0.1', 7];
    below.peerAddress = ['::1', 8, 0, 0];
    t.deepEqual(layer.localAddress, ['127.0.0.1', 7]);
    t.deepEqual(layer.peerAddress, ['::1', 8, 0, 0]);
    layer.setWriteBufferLimits(100, 10);
    t.deepEqual(below.writeBufferLimits, [100, 10]);
    below.writeBufferSize = 42;
    t.is(layer.getWriteBufferSize(), 42);
    layer.pauseReading();
    t.false(below.isReading);
    t.false(layer.isReading);
    layer.resumeReading();
    t.true(below.isReading);
    t.true(layer.isReading);
    layer.write(Buffer.from('out'));
    t.is(below.take(), 'out');
    // setProtocol: the next protocol gets the connection and the leftover, through the layer.
    const next = new EchoProtocol();
    layer.setProtocol?.(next, [Buffer.from('left')]);
    t.is(below.take(), 'left', 'echo got the leftover and wrote it back through the layer');
    below.receive(Buffer.from('over'));
    t.is(below.take(), 'over');
    layer.writeEOF();
    t.true(below.hasWrittenEOF);
    t.false(layer.isClosing);
    layer.close();
    t.true(below.isClosing);
    t.true(layer.isClosing);
    const aborted = make();
    const abortedBelow = new RecordingTransport();
    aborted.connectionMade(abortedBelow);
    aborted.abort();
    t.true(abortedBelow.isAborted);
  });
}

test('a ProtocolWrapper over a transport that cannot switch throws ProtocolSwitchError and keeps its protocol', (t) => {
  const got: string[] = [];
  const inner: Protocol = { connectionMade: () => {}, dataReceived: (d) => got.push(Buffer.from(d).toString()), connectionLost: () => {} };
  const layer = new ProtocolWrapper(inner);
  // The recording transport, seen without its setProtocol (the member is optional in the contract).
  const plain = new Proxy(new RecordingTransport(), { get: (target, key) => (key === 'setProtocol' ? undefined : Reflect.get(target, key, target)) });
  layer.connectionMade(plain);
  t.throws(() => layer.setProtocol(new EchoProtocol()), { instanceOf: ProtocolSwitchError });
  layer.dataReceived(Buffer.from('still mine'));
  t.deepEqual(got, ['still mine']);
});

test('a ProtocolWrapper passes decodeFailed up with its answer, so a wrapped stack application still decides', (t) => {
  const errors: string[] = [];
  const app = { connectionMade: () => {}, dataReceived: () => {}, connectionLost: () => {}, decodeFailed: (e: Error) => errors.push(e.message) === 1 };
  t.true(new ProtocolWrapper(app).decodeFailed(new Error('bad frame')));
  t.false(new ProtocolWrapper(new EchoProtocol()).decodeFailed(new Error('nobody listens')));
  t.deepEqual(errors, ['bad frame']);
});

test('wrapFactory, idleTimeoutFactory and throttled keep the factory\'s refusal and connectionFailed', (t) => {
  const failures: string[] = [];
  const factory: Factory = {
    buildProtocol: () => new EchoProtocol(),
    connectionFailed(reason) {
      failures.push(`${this === factory} ${reason.message}`);
    },
    refusal: () => Buffer.from('busy'),
  };
  const scheduler = new ManualScheduler();
  const wrapped: Record<string, Factory> = {
    wrapFactory: wrapFactory(factory, (protocol) => new ProtocolWrapper(protocol)),
    idleTimeoutFactory: idleTimeoutFactory(factory, 5, scheduler),
    throttled: throttled(factory, { readBytesPerSecond: 10, scheduler }),
  };
  for (const [name, each] of Object.entries(wrapped)) {
    each.connectionFailed?.(new Error(name));
    t.is(Buffer.from(each.refusal?.() ?? []).toString(), 'busy', name);
    t.true(each.buildProtocol(['127.0.0.1', 1]) instanceof ProtocolWrapper, name);
  }
  t.deepEqual(failures, ['true wrapFactory', 'true idleTimeoutFactory', 'true throttled']);
  t.is(idleTimeoutFactory(factory, 0, scheduler), factory, 'no timeout: the factory itself');
});
