// The framing layer and stacks: a handler cannot tell a stack from a socket; frames wait while the
// handler pauses; codec errors close the connection with the error as the reason.
import test from 'ava';
import { FramingLayer } from '../../src/protocols/framing-layer.js';
import { type Codec, FrameSyntaxError, FrameTooLongError } from '../../src/protocols/framing/codec.js';
import { JsonCodec } from '../../src/protocols/framing/json-codec.js';
import { LengthPrefixedCodec } from '../../src/protocols/framing/length-prefixed-codec.js';
import { LineCodec } from '../../src/protocols/framing/line-codec.js';
import { stack } from '../../src/protocols/stack.js';
import { RecordingTransport } from '../../src/testing/recording-transport.js';
import type { Protocol, Transport } from '../../src/contract/index.js';

/** Frames of base64 text <-> bytes: a middle layer for a three-layer stack. */
const base64: Codec<Uint8Array, Uint8Array> = {
  feed: (frame, emit) => {
    const text = Buffer.from(frame).toString('latin1');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new FrameSyntaxError('not base64');
    emit(Buffer.from(text, 'base64'));
  },
  end: () => {},
  encode: (bytes) => Buffer.from(Buffer.from(bytes).toString('base64'), 'latin1'),
};

class Probe<M> implements Protocol<M> {
  transport: Transport<M> | undefined;
  readonly received: M[] = [];
  readonly events: string[] = [];
  lost: Error | undefined;
  onData: ((message: M, probe: Probe<M>) => void) | undefined;
  keepOpen = false;
  connectionMade(transport: Transport<M>): void {
    this.transport = transport;
    this.events.push('made');
  }
  dataReceived(message: M): void {
    this.received.push(message);
    this.onData?.(message, this);
  }
  eofReceived(): boolean {
    this.events.push('eof');
    return this.keepOpen;
  }
  connectionLost(reason?: Error): void {
    this.lost = reason;
    this.events.push('lost');
  }
  decodeFailed(error: Error): void {
    this.events.push(`decodeFailed ${error.name}`);
  }
}

test('a three-layer stack (lines, base64, JSON) gives the handler objects and encodes its replies', (t) => {
  const rpc = new Probe<unknown>();
  rpc.onData = (message, probe) => probe.transport?.write({ echo: message });
  const protocol = stack(new LineCodec({ maxLineLength: 1024 }), base64, new JsonCodec(), rpc);
  const wire = new RecordingTransport();
  protocol.connectionMade(wire);
  const request = `${Buffer.from(JSON.stringify({ id: 1, method: 'add', params: [2, 3] })).toString('base64')}\n`;
  protocol.dataReceived(Buffer.from(request.slice(0, 7)));
  protocol.dataReceived(Buffer.from(request.slice(7)));
  t.deepEqual(rpc.received, [{ id: 1, method: 'add', params: [2, 3] }]);
  const reply = wire.take().trimEnd();
  t.deepEqual(JSON.parse(Buffer.from(reply, 'base64').toString()), { echo: { id: 1, method: 'add', params: [2, 3] } });
  t.deepEqual(rpc.transport?.peerAddress, wire.peerAddress);
  t.deepEqual(rpc.transport?.localAddress, wire.localAddress);
});

test('a length-prefixed JSON handler gets one object per frame, however the bytes are split', (t) => {
  const handler = new Probe<unknown>();
  const codec = (): LengthPrefixedCodec => new LengthPrefixedCodec({ lengthFieldLength: 4, maxFrameLength: 1 << 16 });
  const protocol = stack(codec(), new JsonCodec(), handler);
  protocol.connectionMade(new RecordingTransport());
  const frames = [{ a: 1 }, [1, 2, 3], 'text', null].map((m) => codec().encode(Buffer.from(JSON.stringify(m))));
  const bytes = Buffer.concat(frames);
  for (const byte of bytes) protocol.dataReceived(Buffer.from([byte]));
  t.deepEqual(handler.received, [{ a: 1 }, [1, 2, 3], 'text', null]);
});

test('frames decoded while the handler has paused reading wait, in order, until it resumes', (t) => {
  const handler = new Probe<Uint8Array>();
  handler.onData = (_m, probe) => probe.transport?.pauseReading();
  const layer = new FramingLayer(new LineCodec({ maxLineLength: 100 }), handler);
  const wire = new RecordingTransport();
  layer.connectionMade(wire);
  layer.dataReceived(Buffer.from('one\ntwo\nthree\n'));
  t.deepEqual(handler.received.map((b) => Buffer.from(b).toString()), ['one']);
  t.false(wire.isReading, 'the socket below stops too');
  t.false(layer.isReading);
  t.true(layer.eofReceived(), 'EOF waits behind the held frames');
  t.deepEqual(handler.events, ['made']);
  handler.onData = undefined;
  layer.resumeReading();
  t.deepEqual(handler.received.map((b) => Buffer.from(b).toString()), ['one', 'two', 'three']);
  t.deepEqual(handler.events, ['made', 'eof']);
  t.true(wire.isClosing, 'the handler did not keep the connection open after EOF');
  t.true(wire.isReading);
});

test('an overlong frame reaches the handler as decodeFailed, then closes with the error as reason', (t) => {
  const handler = new Probe<Uint8Array>();
  const layer = new FramingLayer(new LineCodec({ maxLineLength: 8 }), handler);
  const wire = new RecordingTransport();
  layer.connectionMade(wire);
  layer.dataReceived(Buffer.from('ok\nthis line is far too long'));
  t.deepEqual(handler.received.map((b) => Buffer.from(b).toString()), ['ok'], 'frames before the error still arrive');
  t.deepEqual(handler.events, ['made', 'decodeFailed FrameTooLongError']);
  t.true(wire.isClosing);
  layer.dataReceived(Buffer.from('more\n'));
  t.is(handler.received.length, 1, 'a failed layer takes no more input');
  layer.connectionLost();
  t.true(handler.lost instanceof FrameTooLongError);
});

test('EOF in the middle of a frame is a FrameSyntaxError reason; a clean EOF is passed up', (t) => {
  const cut = new Probe<Uint8Array>();
  const layer = new FramingLayer(new LineCodec({ maxLineLength: 80 }), cut);
  layer.connectionMade(new RecordingTransport());
  layer.dataReceived(Buffer.from('half a li'));
  t.false(layer.eofReceived());
  layer.connectionLost();
  t.true(cut.lost instanceof FrameSyntaxError);

  const clean = new Probe<Uint8Array>();
  clean.keepOpen = true;
  const other = new FramingLayer(new LineCodec({ maxLineLength: 80 }), clean);
  const wire = new RecordingTransport();
  other.connectionMade(wire);
  other.dataReceived(Buffer.from('whole\n'));
  t.true(other.eofReceived());
  other.writeEOF();
  t.true(wire.hasWrittenEOF);
  other.connectionLost();
  t.is(clean.lost, undefined);
});

test('the framing layer passes flow control and transport calls through', (t) => {
  const handler = new Probe<Uint8Array>();
  const flow: string[] = [];
  handler.transport = undefined;
  const layer = new FramingLayer(new LineCodec({ maxLineLength: 80 }), Object.assign(handler, {
    pauseWriting: () => flow.push('pause'),
    resumeWriting: () => flow.push('resume'),
  }));
  t.throws(() => layer.write(Buffer.from('x')), { message: /not connected/ });
  const wire = new RecordingTransport();
  layer.connectionMade(wire);
  layer.pauseWriting();
  layer.resumeWriting();
  t.deepEqual(flow, ['pause', 'resume']);
  layer.setWriteBufferLimits(100, 10);
  t.deepEqual(wire.writeBufferLimits, [100, 10]);
  wire.writeBufferSize = 7;
  t.is(layer.getWriteBufferSize(), 7);
  t.false(layer.isClosing);
  layer.abort();
  t.true(wire.isAborted);
  t.true(layer.isClosing);
});
