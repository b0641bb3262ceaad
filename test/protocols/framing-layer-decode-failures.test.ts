// Codec failures in stacks: a failure in any codec of a stack reaches the application's
// decodeFailed, as with one codec; and a recoverable one (one whole frame rejected by a message
// codec) lets the application answer and go on, or close as before if it does not say so.
import test from 'ava';
import type { Protocol, Transport } from '../../src/contract/index.js';
import { FrameSyntaxError, FrameTooLongError, isRecoverable } from '../../src/protocols/framing/codec.js';
import { JsonCodec } from '../../src/protocols/framing/json-codec.js';
import { LengthPrefixedCodec } from '../../src/protocols/framing/length-prefixed-codec.js';
import { LineCodec } from '../../src/protocols/framing/line-codec.js';
import { Utf8Codec } from '../../src/protocols/framing/utf8-codec.js';
import { withIdleTimeout } from '../../src/protocols/idle-timeout.js';
import { stack } from '../../src/protocols/stack.js';
import { ManualScheduler, connectRecording } from '../../src/testing/index.js';
import { bytes, splits } from '../helpers/splits.js';

/** An application that records what it hears; `keepGoing` is its answer to decodeFailed. */
class App<M> implements Protocol<M> {
  transport: Transport<M> | undefined;
  readonly events: string[] = [];
  lost: Error | undefined;
  constructor(readonly keepGoing: boolean | undefined, readonly onFailure?: (error: Error, transport: Transport<M>) => void) {}
  connectionMade(transport: Transport<M>): void {
    this.transport = transport;
  }
  dataReceived(message: M): void {
    this.events.push(`data ${JSON.stringify(message)}`);
  }
  decodeFailed(error: Error): boolean | undefined {
    this.events.push(`decodeFailed ${error.name} ${error.message}`);
    if (this.transport !== undefined) this.onFailure?.(error, this.transport);
    return this.keepGoing;
  }
  connectionLost(reason?: Error): void {
    this.lost = reason;
    this.events.push('lost');
  }
}

test('a line too long under lines + UTF-8 reaches the app as decodeFailed, as under one codec, and is the reason', (t) => {
  const app = new App<string>(undefined);
  const wire = connectRecording<Uint8Array>(stack(new LineCodec({ maxLineLength: 4 }), new Utf8Codec(), app));
  wire.receive(bytes('ok\ntoolong\n'));
  t.deepEqual(app.events, ['data "ok"', 'decodeFailed FrameTooLongError Cannot decode frame: at least 5 bytes exceed the limit of 4 bytes']);
  t.true(wire.isClosing);
  wire.protocol?.connectionLost();
  t.true(app.lost instanceof FrameTooLongError);
  t.deepEqual(app.events.at(-1), 'lost');
});

test('a stream error is not recoverable: returning true from decodeFailed does not keep a line too long open', (t) => {
  const app = new App<string>(true);
  const wire = connectRecording<Uint8Array>(stack(new LineCodec({ maxLineLength: 4 }), new Utf8Codec(), app));
  wire.receive(bytes('toolong\nok\n'));
  t.is(app.events.length, 1);
  t.true(wire.isClosing, 'the line codec is out of step: the connection closes whatever the app says');
});

test('a malformed JSON frame is recoverable: an app that says so answers with an error object and goes on, over every split', (t) => {
  const input = bytes('{"id":1}\nnot json\n[2]\n');
  for (const chunks of splits(input)) {
    const app = new App<unknown>(true, (error, transport) => transport.write({ error: error.message }));
    const wire = connectRecording<Uint8Array>(stack(new LineCodec({ maxLineLength: 64 }), new JsonCodec(), app));
    for (const chunk of chunks) wire.receive(chunk);
    t.deepEqual(app.events, ['data {"id":1}', 'decodeFailed FrameSyntaxError Cannot decode frame: invalid JSON', 'data [2]']);
    t.is(wire.take(), '{"error":"Cannot decode frame: invalid JSON"}\n');
    t.false(wire.isClosing);
  }
});

test('a recoverable failure two codecs down (invalid UTF-8 in one frame) reaches the app and the stack goes on', (t) => {
  const framer = (): LengthPrefixedCodec => new LengthPrefixedCodec({ lengthFieldLength: 2, maxFrameLength: 100 });
  const app = new App<unknown>(true);
  const wire = connectRecording<Uint8Array>(stack(framer(), new JsonCodec(), withIdleTimeout(app, 30, new ManualScheduler())));
  wire.receive(Buffer.concat([framer().encode(Uint8Array.of(0xff)), framer().encode(bytes('"after"'))]));
  t.deepEqual(app.events, ['decodeFailed FrameSyntaxError Cannot decode frame: invalid UTF-8', 'data "after"']);
  t.false(wire.isClosing);
});

test('an app that does not keep the connection after a recoverable failure closes it with the error as reason, as before', (t) => {
  for (const answer of [undefined, false]) {
    const app = new App<unknown>(answer);
    const wire = connectRecording<Uint8Array>(stack(new LineCodec({ maxLineLength: 64 }), new JsonCodec(), app));
    wire.receive(bytes('nope\n[1]\n'));
    t.deepEqual(app.events, ['decodeFailed FrameSyntaxError Cannot decode frame: invalid JSON']);
    t.true(wire.isClosing);
    wire.protocol?.connectionLost();
    t.true(app.lost instanceof FrameSyntaxError);
    t.true(isRecoverable(app.lost));
  }
});

test('an app that closes from decodeFailed is not kept open by its own true', (t) => {
  const app = new App<unknown>(true, (_error, transport) => transport.close());
  const wire = connectRecording<Uint8Array>(stack(new LineCodec({ maxLineLength: 64 }), new JsonCodec(), app));
  wire.receive(bytes('nope\n[1]\n'));
  t.deepEqual(app.events, ['decodeFailed FrameSyntaxError Cannot decode frame: invalid JSON']);
  t.true(wire.isClosing);
});
