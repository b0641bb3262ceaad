// Switching mid-connection on a FramingLayer, through the testing kit (RecordingTransport.receive):
// raw mode and back, a handoff of the byte connection to another protocol (the STARTTLS shape), and
// a frame-level setProtocol, each over every split of its input.
import test from 'ava';
import { EchoProtocol } from '../../src/protocols/apps/echo.js';
import { FramingLayer } from '../../src/protocols/framing-layer.js';
import { JsonCodec } from '../../src/protocols/framing/json-codec.js';
import { LengthPrefixedCodec } from '../../src/protocols/framing/length-prefixed-codec.js';
import { LineCodec } from '../../src/protocols/framing/line-codec.js';
import { withIdleTimeout } from '../../src/protocols/idle-timeout.js';
import { ProtocolSwitchError, switchProtocol } from '../../src/protocols/switching.js';
import { ManualScheduler, connectRecording, type RecordingTransport } from '../../src/testing/index.js';
import { NotConnectedError, type Protocol, type Transport } from '../../src/contract/index.js';
import { bytes, splits } from '../helpers/splits.js';

const latin1 = (frame: Uint8Array): string => Buffer.from(frame).toString('latin1');

/** Lines, except that `RAW n` is followed by n raw bytes; records what it got as event strings. */
class HeaderThenBody implements Protocol<Uint8Array> {
  readonly events: string[] = [];
  transport: Transport<Uint8Array> | undefined;
  readonly #lines: LineCodec;
  readonly #pauseAfterLines: boolean;
  #rawLeft = 0;
  #raw = '';

  constructor(lines: LineCodec, pauseAfterLines = false) {
    this.#lines = lines;
    this.#pauseAfterLines = pauseAfterLines;
  }
  connectionMade(transport: Transport<Uint8Array>): void {
    this.transport = transport;
  }
  dataReceived(frame: Uint8Array): void {
    if (this.#lines.isRawMode) {
      const used = Math.min(this.#rawLeft, frame.length);
      this.#raw += latin1(frame.subarray(0, used));
      this.#rawLeft -= used;
      if (this.#rawLeft > 0) return;
      this.events.push(`raw:${this.#raw}`);
      this.#raw = '';
      this.#lines.setLineMode(frame.subarray(used));
      return;
    }
    this.events.push(`line:${latin1(frame)}`);
    const header = /^RAW (\d+)$/.exec(latin1(frame));
    if (header !== null) {
      this.#rawLeft = Number(header[1]);
      this.#lines.setRawMode();
    }
    if (this.#pauseAfterLines) this.transport?.pauseReading();
  }
  eofReceived(): boolean {
    this.events.push('eof');
    return false;
  }
  connectionLost(): void {}
}

/** Feeds `chunks` through a recording transport, resuming a paused reader after each one; then EOF. */
function run(chunks: readonly Uint8Array[], pauseAfterLines: boolean): { events: string[]; wire: RecordingTransport } {
  const lines = new LineCodec({ maxLineLength: 16 });
  const app = new HeaderThenBody(lines, pauseAfterLines);
  const layer = new FramingLayer(lines, app);
  const wire = connectRecording<Uint8Array>(layer);
  const resumeAll = (): void => {
    for (let i = 0; i < 100 && !layer.isReading && !wire.isClosing; i++) layer.resumeReading();
  };
  for (const chunk of chunks) {
    wire.receive(chunk);
    resumeAll();
  }
  if (layer.eofReceived() !== true) wire.close();
  resumeAll();
  return { events: app.events, wire };
}

const HEADER_THEN_BODY = bytes('hi\nRAW 5\nab\ncdnext\nRAW 3\nx\nyend\n');
const EXPECTED = ['line:hi', 'line:RAW 5', 'raw:ab\ncd', 'line:next', 'line:RAW 3', 'raw:x\ny', 'line:end', 'eof'];

test('a line protocol on a FramingLayer reads a header line, raw bytes, then lines again, over every split', (t) => {
  let count = 0;
  for (const chunks of splits(HEADER_THEN_BODY)) {
    const { events, wire } = run(chunks, false);
    count += 1;
    if (JSON.stringify(events) !== JSON.stringify(EXPECTED)) {
      t.deepEqual(events, EXPECTED, `chunks of ${chunks.map((c) => c.length).join(', ')}`);
      return;
    }
    if (!wire.isClosing) t.fail('EOF not acted on');
  }
  t.true(count > 500, `${count} splits`);
});

test('a reader that pauses after every line still switches at the right byte: nothing is decoded ahead', (t) => {
  const wrong: string[] = [];
  let count = 0;
  for (const chunks of splits(HEADER_THEN_BODY)) {
    count += 1;
    const { events } = run(chunks, true);
    if (JSON.stringify(events) !== JSON.stringify(EXPECTED)) wrong.push(`chunks of ${chunks.map((c) => c.length).join(', ')}: ${JSON.stringify(events)}`);
  }
  t.deepEqual(wrong, [], 'every split gives the expected events');
  t.true(count > 500, `${count} splits`);
});

/** A line protocol that, after an `ECHO` line, hands its byte connection to an echo protocol. */
class SwitchesToEcho implements Protocol<Uint8Array> {
  readonly lines: string[] = [];
  layer: FramingLayer<Uint8Array> | undefined;
  connectionMade(transport: Transport<Uint8Array>): void {
    if (transport instanceof FramingLayer) this.layer = transport;
  }
  dataReceived(line: Uint8Array): void {
    this.lines.push(latin1(line));
    if (latin1(line) !== 'ECHO') return;
    this.layer?.write(bytes('go ahead'));
    this.layer?.handOff(new EchoProtocol());
  }
  connectionLost(): void {
    this.lines.push('lost');
  }
}

test('a line protocol hands the byte connection to echo after a command, the rest of the chunk first, over every split', (t) => {
  const input = bytes('hi\nECHO\nabc\ndef\r\n');
  const expected = { lines: ['hi', 'ECHO'], written: 'go ahead\nabc\ndef\r\n', isEcho: true };
  const wrong: string[] = [];
  let count = 0;
  for (const chunks of splits(input)) {
    count += 1;
    const app = new SwitchesToEcho();
    const wire = connectRecording<Uint8Array>(new FramingLayer(new LineCodec({ maxLineLength: 8 }), app));
    for (const chunk of chunks) wire.receive(chunk);
    const outcome = { lines: app.lines, written: latin1(wire.bytes()), isEcho: wire.protocol instanceof EchoProtocol };
    if (JSON.stringify(outcome) !== JSON.stringify(expected)) wrong.push(`chunks of ${chunks.map((c) => c.length).join(', ')}: ${JSON.stringify(outcome)}`);
  }
  t.deepEqual(wrong, [], 'every split hands off at the same byte');
  t.true(count > 100, `${count} splits`);
});

test('after a handoff the old layer reports closing, refuses calls, and hears nothing more', (t) => {
  const app = new SwitchesToEcho();
  const layer = new FramingLayer(new LineCodec({ maxLineLength: 8 }), app);
  const wire = connectRecording<Uint8Array>(layer);
  wire.receive(bytes('ECHO\n'));
  t.true(layer.isClosing);
  t.false(layer.isReading);
  for (const [operation, call] of [
    ['write', () => layer.write(bytes('x'))],
    ['setProtocol', () => layer.setProtocol(new SwitchesToEcho())],
    ['peerAddress', () => layer.peerAddress],
    ['close', () => layer.close()],
  ] as const) {
    const error = t.throws(call, { instanceOf: NotConnectedError, message: /the framing layer has handed its connection to another protocol/ }, operation);
    t.true(error?.isHandedOff);
    t.is(error?.operation, operation);
  }
  t.false(wire.isClosing, 'the old layer closed nothing of the connection it handed off');
  layer.dataReceived(bytes('late\n'));
  t.false(layer.eofReceived());
  layer.connectionLost();
  t.deepEqual(app.lines, ['ECHO'], 'not even connectionLost');
});

test('takeUndecoded while paused gives back the partial line and the chunks that waited, in order', (t) => {
  const lines = new LineCodec({ maxLineLength: 16 });
  const got: string[] = [];
  const layer = new FramingLayer(lines, {
    connectionMade: () => {},
    dataReceived: (line: Uint8Array) => got.push(latin1(line)),
    connectionLost: () => {},
  });
  const wire = connectRecording<Uint8Array>(layer);
  wire.receive(bytes('one\npart'));
  layer.pauseReading();
  layer.dataReceived(bytes('ial\ntwo'));
  layer.dataReceived(bytes('\n'));
  t.deepEqual(layer.takeUndecoded().map(latin1), ['part', 'ial\ntwo', '\n']);
  t.deepEqual(layer.takeUndecoded(), []);
  layer.resumeReading();
  t.deepEqual(got, ['one']);
});

test('a codec without takeBuffered cannot hand off, but setProtocol still switches the frames', (t) => {
  const layer = new FramingLayer(new JsonCodec(), { connectionMade: () => {}, dataReceived: () => {}, connectionLost: () => {} });
  connectRecording<Uint8Array>(layer);
  t.throws(() => layer.handOff(new EchoProtocol()), { name: 'ProtocolSwitchError' });
  const next: unknown[] = [];
  layer.setProtocol({ connectionMade: () => next.push('made'), dataReceived: (m: unknown) => next.push(m), connectionLost: () => {} }, [{ left: 1 }]);
  layer.dataReceived(bytes('{"b":2}'));
  t.deepEqual(next, ['made', { left: 1 }, { b: 2 }]);
});

test('setProtocol on a FramingLayer: the next protocol gets leftover frames, then the held ones, and the paused-writing state', (t) => {
  const events: string[] = [];
  const second: Protocol<Uint8Array> = {
    connectionMade: () => events.push('made'),
    dataReceived: (line) => events.push(`second:${latin1(line)}`),
    pauseWriting: () => events.push('pauseWriting'),
    connectionLost: () => events.push('lost'),
  };
  const layer: FramingLayer<Uint8Array> = new FramingLayer(new LineCodec({ maxLineLength: 16 }), {
    connectionMade: () => {},
    dataReceived: (line) => {
      events.push(`first:${latin1(line)}`);
      if (latin1(line) === 'switch') layer.setProtocol(second, [bytes('given back')]);
    },
    connectionLost: () => events.push('first lost'),
  });
  const wire = connectRecording<Uint8Array>(layer);
  layer.pauseWriting();
  wire.receive(bytes('a\nswitch\nb\nc\n'));
  t.deepEqual(events, ['first:a', 'first:switch', 'made', 'pauseWriting', 'second:given back', 'second:b', 'second:c']);
  layer.connectionLost();
  t.is(events.at(-1), 'lost');
});

test('a codec that cannot give bytes back keeps the frames it decoded while paused; past the bound the layer fails', (t) => {
  const codec = (): LengthPrefixedCodec => new LengthPrefixedCodec({ lengthFieldLength: 1, maxFrameLength: 8 });
  const frames = (n: number): Uint8Array => Buffer.concat(Array.from({ length: n }, (_, i) => codec().encode(bytes(String(i % 10)))));
  const got: string[] = [];
  const reasons: string[] = [];
  const make = (): FramingLayer<Uint8Array> => {
    const layer: FramingLayer<Uint8Array> = new FramingLayer(codec(), {
      connectionMade: () => {},
      dataReceived: (frame) => {
        got.push(latin1(frame));
        layer.pauseReading();
      },
      decodeFailed: (error) => {
        reasons.push(error.name);
      },
      connectionLost: () => {},
    });
    return layer;
  };
  const layer = make();
  connectRecording<Uint8Array>(layer);
  layer.dataReceived(frames(3));
  t.deepEqual(got, ['0']);
  for (let i = 0; i < 3; i++) layer.resumeReading();
  t.deepEqual(got, ['0', '1', '2']);

  const flooded = make();
  const wire = connectRecording<Uint8Array>(flooded);
  flooded.dataReceived(frames(1100));
  t.deepEqual(reasons, ['RangeError']);
  t.true(wire.isClosing);
});

test('a layer above that closes from dataReceived gets no more frames of that chunk', (t) => {
  const got: string[] = [];
  const layer: FramingLayer<Uint8Array> = new FramingLayer(new LineCodec({ maxLineLength: 8 }), {
    connectionMade: () => {},
    dataReceived: (line) => {
      got.push(latin1(line));
      layer.close();
    },
    connectionLost: () => {},
  });
  const wire = connectRecording<Uint8Array>(layer);
  layer.dataReceived(bytes('one\ntwo\nthree\n'));
  t.deepEqual(got, ['one']);
  t.true(wire.isClosing);
  t.deepEqual(layer.takeUndecoded(), [], 'nothing is kept for a closed connection');
});

test('switchProtocol hands a switching transport over and refuses one that cannot switch', (t) => {
  const wire = connectRecording<Uint8Array>(new EchoProtocol());
  const next = new EchoProtocol();
  switchProtocol(wire, next, [bytes('left')]);
  t.is(wire.protocol, next);
  t.is(latin1(wire.bytes()), 'left');
  // A transport without setProtocol cannot switch.
  const fixed: Transport<Uint8Array> = {
    write: () => {},
    writeEOF: () => {},
    close: () => {},
    abort: () => {},
    pauseReading: () => {},
    resumeReading: () => {},
    isReading: true,
    isClosing: false,
    getWriteBufferSize: () => 0,
    setWriteBufferLimits: () => {},
    localAddress: '',
    peerAddress: '',
  };
  t.throws(() => switchProtocol(fixed, next), { instanceOf: ProtocolSwitchError, code: 'ERR_PROTOCOL_SWITCH' });
  // An idle-timeout wrapper forwards the switch, itself around the next protocol.
  let wrapper: Transport<Uint8Array> | undefined;
  const inner: Protocol<Uint8Array> = { connectionMade: (transport) => (wrapper = transport), dataReceived: () => {}, connectionLost: () => {} };
  const idleWire = connectRecording<Uint8Array>(withIdleTimeout(inner, 60, new ManualScheduler()));
  if (wrapper === undefined) throw new Error('the inner protocol was not connected');
  switchProtocol(wrapper, new EchoProtocol(), [bytes('again')]);
  t.is(latin1(idleWire.bytes()), 'again');
});

test('an error thrown by the layer above goes on up to the transport below, not reported as bad input', (t) => {
  const events: string[] = [];
  const layer = new FramingLayer(new LineCodec({ maxLineLength: 8 }), {
    connectionMade: () => {},
    dataReceived: (line: Uint8Array) => {
      events.push(latin1(line));
      throw new TypeError('handler bug');
    },
    decodeFailed: (error: Error) => {
      events.push(`decodeFailed ${error.message}`);
    },
    connectionLost: () => {},
  });
  connectRecording<Uint8Array>(layer);
  t.throws(() => layer.dataReceived(bytes('a\nb\n')), { instanceOf: TypeError, message: 'handler bug' });
  layer.dataReceived(bytes('c\n'));
  t.deepEqual(events, ['a'], 'no decodeFailed, and no more input once broken');
});
