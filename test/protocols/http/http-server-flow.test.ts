// HttpServerProtocol's flow control and deadlines, on a recording transport and a manual clock
// (no sockets, no sleeps): issue 13 items 3 (backpressure), 5 (HEAD) and 6 (timeouts that fire).
import test from 'ava';
import { demoRouter } from '../../../src/protocols/apps/http-app.js';
import { EchoProtocol } from '../../../src/protocols/apps/echo.js';
import { HttpServerProtocol, type HttpServerOptions } from '../../../src/protocols/http/http-server.js';
import { Router } from '../../../src/protocols/http/router.js';
import { LingeringCloser } from '../../../src/protocols/lingering-close.js';
import { Throttle } from '../../../src/protocols/throttle.js';
import { ManualScheduler, RecordingTransport, connectRecording } from '../../../src/testing/index.js';

/** A recording transport that tells its protocol pauseWriting() once more than `high` bytes were written, as a socket whose peer does not read. */
class UnreadTransport extends RecordingTransport {
  readonly #high: number;
  isPaused = false;
  constructor(high: number) {
    super();
    this.#high = high;
  }
  override write(data: Uint8Array): void {
    super.write(data);
    if (!this.isPaused && this.bytes().length > this.#high) {
      this.isPaused = true;
      this.protocol?.pauseWriting?.();
    }
  }
  /** The peer read everything: the buffer is empty again. */
  drain(): void {
    this.written.length = 0;
    this.isPaused = false;
    this.protocol?.resumeWriting?.();
  }
}

function connect(protocol: HttpServerProtocol, transport: RecordingTransport = new RecordingTransport()): RecordingTransport {
  transport.protocol = protocol;
  protocol.connectionMade(transport);
  return transport;
}

function statuses(text: string): string[] {
  return [...text.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((m) => m[1] ?? '');
}

const post = (body: Buffer): Buffer => Buffer.concat([Buffer.from(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`), body]);

test('HttpServerProtocol answers nothing more and stops reading while the transport has paused writing', (t) => {
  const body = Buffer.alloc(1024 * 1024, 0x61);
  const transport = connect(new HttpServerProtocol(demoRouter()), new UnreadTransport(65536)) as UnreadTransport;
  transport.receive(Buffer.concat([post(body), post(body), post(body)]));
  // The first 1 MiB answer filled the write buffer: the other two wait, and so does the socket.
  t.deepEqual(statuses(transport.bytes().toString('latin1')), ['200']);
  t.false(transport.isReading);
  transport.drain();
  t.deepEqual(statuses(transport.bytes().toString('latin1')), ['200']);
  transport.drain();
  transport.drain();
  t.true(transport.isReading);
});

test('HttpServerProtocol parses a large chunk of tiny requests a slice at a time, holding the rest while 64 wait', (t) => {
  let pending: (() => void)[] = [];
  const router = new Router().get('/', (_req, res) => pending.push(() => res.send(200, 'ok')));
  const protocol = new HttpServerProtocol(router);
  const transport = connect(protocol);
  transport.receive(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(10_000)));
  t.false(transport.isReading);
  // One request in progress, and at most 64 plus one 16 KiB slice's worth parsed behind it.
  t.true(pending.length === 1);
  t.true(protocol.bufferedBytes > 200_000);
  let answered = 0;
  while (pending.length > 0 && answered < 20_000) {
    const [next] = pending;
    pending = pending.slice(1);
    next?.();
    answered += 1;
  }
  t.is(answered, 10_000);
  t.true(transport.isReading);
});

test('HttpServerProtocol under a --write-limit throttle queues at most one answer for a client that reads', (t) => {
  const scheduler = new ManualScheduler();
  const throttle = new Throttle(new HttpServerProtocol(demoRouter()), { writeBytesPerSecond: 100_000, scheduler: { callLater: (s, fn) => scheduler.callLater(s, fn), seconds: () => scheduler.seconds() } });
  const transport = connectRecording(throttle);
  const body = Buffer.alloc(50_000, 0x62);
  transport.receive(Buffer.concat(Array.from({ length: 20 }, () => post(body))));
  let most = throttle.getWriteBufferSize();
  for (let second = 0; second < 30; second++) {
    scheduler.advance(1);
    most = Math.max(most, throttle.getWriteBufferSize());
  }
  t.deepEqual(statuses(transport.bytes().toString('latin1')), Array.from({ length: 20 }, () => '200'));
  // Before: all twenty answers (1 MB) queued in the throttle at once.
  t.true(most < 2 * 50_200, `the throttle held ${most} bytes`);
});

test('HttpServerProtocol never pulls a body producer for HEAD, however large the body', (t) => {
  let pulls = 0;
  const router = new Router().get('/big', (_req, res) => {
    res.writeHead(200, { 'Content-Length': 1e12 });
    res.produce(() => {
      pulls += 1;
      return Buffer.alloc(65536);
    });
  });
  const transport = connect(new HttpServerProtocol(router));
  transport.receive(Buffer.from('HEAD /big HTTP/1.1\r\nHost: x\r\n\r\nHEAD /big HTTP/1.1\r\nHost: x\r\n\r\n'));
  const text = transport.bytes().toString('latin1');
  t.deepEqual(statuses(text), ['200', '200']);
  t.regex(text, /Content-Length: 1000000000000\r\n/);
  t.is(pulls, 0);
  t.true(text.endsWith('\r\n\r\n'));
});

function timed(options: Omit<HttpServerOptions, 'scheduler'> = {}): { scheduler: ManualScheduler; transport: RecordingTransport; closer: LingeringCloser } {
  const scheduler = new ManualScheduler();
  const closer = new LingeringCloser(scheduler);
  const transport = connect(new HttpServerProtocol(demoRouter(), { scheduler, lingering: closer, ...options }));
  return { scheduler, transport, closer };
}

test('HttpServerProtocol answers a body that trickles past requestTimeout with 408, then closes the lingering way', (t) => {
  const { scheduler, transport, closer } = timed({ headerTimeout: 30, requestTimeout: 60 });
  transport.receive(Buffer.from('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n'));
  // One byte every 10 s: each arrives well within the header timeout, never the whole body in time.
  for (let i = 0; i < 5; i++) {
    scheduler.advance(10);
    transport.receive(Buffer.from('a'));
  }
  t.is(transport.bytes().length, 0);
  scheduler.advance(10);
  t.regex(transport.bytes().toString('latin1'), /^HTTP\/1\.1 408 Request Timeout\r\n/);
  t.true(transport.hasWrittenEOF);
  t.is(closer.lingering, 1);
  scheduler.advance(5);
  t.true(transport.isClosing);
});

test('HttpServerProtocol times the head from its first byte, and an idle keep-alive connection by idleTimeout', (t) => {
  const { scheduler, transport } = timed({ headerTimeout: 30, idleTimeout: 120 });
  transport.receive(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  t.deepEqual(statuses(transport.bytes().toString('latin1')), ['200']);
  scheduler.advance(119);
  transport.receive(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  scheduler.advance(119);
  t.false(transport.isClosing, 'each answer starts the idle time again');
  scheduler.advance(1);
  t.true(transport.isClosing);
  const slow = timed({ headerTimeout: 30, idleTimeout: 120 });
  slow.transport.receive(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  slow.transport.take();
  slow.scheduler.advance(50);
  slow.transport.receive(Buffer.from('GET / HTTP/1.1\r\n'));
  slow.scheduler.advance(29);
  slow.transport.receive(Buffer.from('Host: x\r\n'));
  t.is(slow.transport.bytes().length, 0, 'the head is timed from its first byte, not from the idle start');
  slow.scheduler.advance(1);
  t.regex(slow.transport.bytes().toString('latin1'), /^HTTP\/1\.1 408 /);
});

test('HttpServerProtocol aborts a peer that leaves its writes unread for idleTimeout', (t) => {
  const { scheduler, transport } = timed({ idleTimeout: 120 });
  transport.protocol?.pauseWriting?.();
  scheduler.advance(119);
  t.false(transport.isClosing);
  scheduler.advance(1);
  t.true(transport.isAborted);
});

test('HttpServerProtocol keeps a deadline on a connection upgraded to another protocol', (t) => {
  const { scheduler, transport } = timed({ idleTimeout: 120 });
  transport.receive(Buffer.from('GET /echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nhi'));
  const text = transport.bytes().toString('latin1');
  t.regex(text, /^HTTP\/1\.1 101 /);
  t.true(text.endsWith('hi'));
  t.false(transport.protocol instanceof EchoProtocol, 'the new protocol is wrapped in the idle timeout');
  scheduler.advance(100);
  transport.receive(Buffer.from('more'));
  scheduler.advance(119);
  t.false(transport.isClosing);
  scheduler.advance(1);
  t.true(transport.isAborted);
});

test('HttpServerProtocol answers what a half-closed client asked, then closes plainly (nothing can arrive unread)', (t) => {
  let answer: (() => void) | undefined;
  const router = new Router().get('/', (_req, res) => {
    answer = () => res.send(200, 'late');
  });
  const scheduler = new ManualScheduler();
  const protocol = new HttpServerProtocol(router, { scheduler });
  const transport = connect(protocol);
  transport.receive(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  t.true(protocol.eofReceived(), 'an answer is owed: keep the connection open');
  answer?.();
  t.regex(transport.bytes().toString('latin1'), /^HTTP\/1\.1 200 OK\r\n[\s\S]*late$/);
  t.true(transport.isClosing);
  t.false(transport.hasWrittenEOF);
  const idle = connect(new HttpServerProtocol(router, { scheduler }));
  t.false(idle.protocol?.eofReceived?.(), 'nothing owed: the transport closes itself');
});

test('HttpServerProtocol answers a route that throws before its head with 500 and closes; after its head, aborts', (t) => {
  const router = new Router()
    .get('/before', () => {
      throw new Error('route bug');
    })
    .get('/after', (_req, res) => {
      res.writeHead(200, { 'Content-Length': 10 });
      throw new Error('route bug after the head');
    });
  const before = connect(new HttpServerProtocol(router));
  before.receive(Buffer.from('GET /before HTTP/1.1\r\nHost: x\r\n\r\nGET /before HTTP/1.1\r\nHost: x\r\n\r\n'));
  const text = before.bytes().toString('latin1');
  t.deepEqual(statuses(text), ['500']);
  t.regex(text, /Connection: close\r\n[\s\S]*route bug\n$/);
  t.true(before.isClosing);
  const after = connect(new HttpServerProtocol(router));
  after.receive(Buffer.from('GET /after HTTP/1.1\r\nHost: x\r\n\r\n'));
  t.true(after.isAborted);
});

test('HttpServerProtocol times a body again by requestTimeout, not the header timeout, once a peer that stopped reading reads again', (t) => {
  const scheduler = new ManualScheduler();
  const protocol = new HttpServerProtocol(demoRouter(), { scheduler, headerTimeout: 30, requestTimeout: 300, idleTimeout: 120 });
  const transport = connect(protocol);
  transport.receive(Buffer.from('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab'));
  protocol.pauseWriting();
  scheduler.advance(60);
  protocol.resumeWriting();
  scheduler.advance(100);
  t.is(transport.bytes().length, 0, 'the body has requestTimeout again, counted from the resume');
  transport.receive(Buffer.from('cdefghij'));
  t.deepEqual(statuses(transport.bytes().toString('latin1')), ['200']);
});
