// The PROXY protocol layer without sockets: v1 and v2 headers (v2 LOCAL, UNSPEC, TCP6, UNIX, TLVs)
// arriving in every split are read and the rest of the stream reaches the real protocol untouched,
// which sees the client's address; malformed, huge, negative and foreign input, a missing header
// past the deadline, and a source that is not an allowed balancer all close the connection.
import test from 'ava';
import type { Address, Protocol, Transport } from '../../src/contract/index.js';
import { PROXY_V2_SIGNATURE, ProxyHeaderError, readProxyHeader, withProxyProtocol, type PeerAdmission } from '../../src/protocols/proxy/index.js';
import { ManualScheduler, RecordingTransport } from '../../src/testing/index.js';
import { bytes, join, splits } from '../helpers/splits.js';

/** The real protocol behind the layer: records the address it was built for and saw, and its bytes. */
class Recorder implements Protocol {
  readonly chunks: Uint8Array[] = [];
  seenPeer: Address | undefined;
  seenLocal: Address | undefined;
  isLost = false;
  constructor(readonly builtFor: Address) {}
  connectionMade(transport: Transport): void {
    this.seenPeer = transport.peerAddress;
    this.seenLocal = transport.localAddress;
  }
  dataReceived(data: Uint8Array): void {
    this.chunks.push(Uint8Array.from(data));
  }
  connectionLost(): void {
    this.isLost = true;
  }
}

interface Setup {
  readonly transport: RecordingTransport;
  readonly built: Recorder[];
  readonly scheduler: ManualScheduler;
  readonly rejected: Error[];
}

function connect(options: { allowed?: (host: string) => boolean; admission?: PeerAdmission; maxHeaderBytes?: number; peer?: Address } = {}): Setup {
  const built: Recorder[] = [];
  const rejected: Error[] = [];
  const scheduler = new ManualScheduler();
  const factory = withProxyProtocol(
    {
      buildProtocol: (peer) => {
        const recorder = new Recorder(peer);
        built.push(recorder);
        return recorder;
      },
      refusal: () => bytes('REFUSED\n'),
    },
    {
      scheduler,
      isAllowedSource: options.allowed ?? ((host) => host === '127.0.0.1'),
      timeout: 5,
      ...(options.admission === undefined ? {} : { admission: options.admission }),
      ...(options.maxHeaderBytes === undefined ? {} : { maxHeaderBytes: options.maxHeaderBytes }),
      onRejected: (reason) => rejected.push(reason),
    },
  );
  const transport = new RecordingTransport();
  transport.peerAddress = options.peer ?? ['127.0.0.1', 40000];
  transport.localAddress = ['127.0.0.1', 8080];
  const protocol = factory.buildProtocol(transport.peerAddress);
  transport.protocol = protocol;
  protocol.connectionMade(transport);
  return { transport, built, scheduler, rejected };
}

function v2(command: number, familyTransport: number, body: Uint8Array): Uint8Array {
  const fixed = Uint8Array.from([0x20 | command, familyTransport, body.length >> 8, body.length & 0xff]);
  return join([PROXY_V2_SIGNATURE, fixed, body]);
}

const tlv = (type: number, value: Uint8Array): Uint8Array => join([Uint8Array.from([type, value.length >> 8, value.length & 0xff]), value]);
const u16 = (n: number): Uint8Array => Uint8Array.from([n >> 8, n & 0xff]);
const PAYLOAD = bytes('PING\r\n');

const IPV6_SRC = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
const IPV6_DST = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
const unixPath = (path: string): Uint8Array => {
  const block = new Uint8Array(108);
  block.set(bytes(path));
  return block;
};

const VALID: readonly { name: string; header: Uint8Array; peer: Address; local: Address }[] = [
  { name: 'v1 TCP4', header: bytes('PROXY TCP4 192.0.2.1 198.51.100.7 56324 443\r\n'), peer: ['192.0.2.1', 56324], local: ['198.51.100.7', 443] },
  { name: 'v1 TCP6', header: bytes('PROXY TCP6 2001:db8::1 2001:db8::2 65535 0\r\n'), peer: ['2001:db8::1', 65535, 0, 0], local: ['2001:db8::2', 0, 0, 0] },
  { name: 'v1 UNKNOWN (the connection\'s own addresses)', header: bytes('PROXY UNKNOWN ffff:f...f:ffff 1 2\r\n'), peer: ['127.0.0.1', 40000], local: ['127.0.0.1', 8080] },
  {
    name: 'v2 PROXY TCP4 with TLVs (skipped)',
    header: v2(1, 0x11, join([Uint8Array.from([192, 0, 2, 1, 198, 51, 100, 7]), u16(56324), u16(443), tlv(0x04, new Uint8Array(0)), tlv(0xe0, bytes('any vendor data')), tlv(0x20, new Uint8Array(300))])),
    peer: ['192.0.2.1', 56324],
    local: ['198.51.100.7', 443],
  },
  { name: 'v2 PROXY TCP6', header: v2(1, 0x21, join([IPV6_SRC, IPV6_DST, u16(1), u16(2)])), peer: ['2001:db8::1', 1, 0, 0], local: ['2001:db8::2', 2, 0, 0] },
  { name: 'v2 PROXY UNIX stream', header: v2(1, 0x31, join([unixPath('/run/client.sock'), unixPath('/run/server.sock')])), peer: '/run/client.sock', local: '/run/server.sock' },
  { name: 'v2 LOCAL (a health check: own addresses, block ignored)', header: v2(0, 0x11, new Uint8Array(12)), peer: ['127.0.0.1', 40000], local: ['127.0.0.1', 8080] },
  { name: 'v2 PROXY UNSPEC (UNKNOWN family: own addresses, bytes ignored)', header: v2(1, 0x00, bytes('ignored')), peer: ['127.0.0.1', 40000], local: ['127.0.0.1', 8080] },
  { name: 'v2 PROXY TCP4 over UDP (not a stream client: own addresses)', header: v2(1, 0x12, new Uint8Array(12)), peer: ['127.0.0.1', 40000], local: ['127.0.0.1', 8080] },
];

for (const { name, header, peer, local } of VALID) {
  test(`PROXY ${name}: every split gives the client's address to the real protocol and the rest of the stream untouched`, (t) => {
    const stream = join([header, PAYLOAD]);
    let count = 0;
    for (const chunks of splits(stream)) {
      const { transport, built, rejected } = connect();
      for (const chunk of chunks) transport.receive(chunk);
      const [inner] = built;
      if (inner === undefined || built.length !== 1 || rejected.length > 0) {
        t.fail(`split ${chunks.map((c) => c.length).join('+')}: built ${built.length}, rejected ${rejected.map((e) => e.message).join()}`);
        return;
      }
      t.deepEqual([inner.builtFor, inner.seenPeer, inner.seenLocal], [peer, peer, local]);
      t.deepEqual(Buffer.from(join(inner.chunks)).toString('latin1'), Buffer.from(PAYLOAD).toString('latin1'));
      t.false(transport.isClosing);
      count += 1;
    }
    t.true(count > stream.length, `${count} splits`);
  });
}

const MALFORMED: readonly [string, Uint8Array][] = [
  ['not a PROXY header at all', bytes('GET / HTTP/1.1\r\n\r\n')],
  ['v1 with no CRLF within 107 bytes', bytes(`PROXY TCP4 ${'1'.repeat(120)}`)],
  ['v1 negative port', bytes('PROXY TCP4 192.0.2.1 198.51.100.7 -1 443\r\n')],
  ['v1 port past 65535', bytes('PROXY TCP4 192.0.2.1 198.51.100.7 65536 443\r\n')],
  ['v1 huge port', bytes('PROXY TCP4 192.0.2.1 198.51.100.7 99999999999999999999 443\r\n')],
  ['v1 port with a leading zero', bytes('PROXY TCP4 192.0.2.1 198.51.100.7 0443 443\r\n')],
  ['v1 IPv6 address under TCP4', bytes('PROXY TCP4 2001:db8::1 198.51.100.7 1 2\r\n')],
  ['v1 unknown family', bytes('PROXY UDP4 192.0.2.1 198.51.100.7 1 2\r\n')],
  ['v1 missing field', bytes('PROXY TCP4 192.0.2.1 198.51.100.7 1\r\n')],
  ['v1 extra field', bytes('PROXY TCP4 192.0.2.1 198.51.100.7 1 2 3\r\n')],
  ['v1 lowercase keyword', bytes('proxy TCP4 192.0.2.1 198.51.100.7 1 2\r\n')],
  ['v2 version 1 in the version nibble', join([PROXY_V2_SIGNATURE, Uint8Array.from([0x11, 0x11, 0, 12]), new Uint8Array(12)])],
  ['v2 command 2', v2(2, 0x11, new Uint8Array(12))],
  ['v2 unknown family 4', v2(1, 0x41, new Uint8Array(12))],
  ['v2 unknown transport 3', v2(1, 0x13, new Uint8Array(12))],
  ['v2 length too short for TCP4 addresses', v2(1, 0x11, new Uint8Array(8))],
  ['v2 TLV running past the header', v2(1, 0x11, join([new Uint8Array(12), Uint8Array.from([0x04, 0xff, 0xff, 1, 2])]))],
  ['v2 TLV cut short', v2(1, 0x11, join([new Uint8Array(12), Uint8Array.from([0x04, 0x00])]))],
  ['v2 length 65535 past the 4096-byte limit (refused before buffering)', join([PROXY_V2_SIGNATURE, Uint8Array.from([0x21, 0x11, 0xff, 0xff])])],
];

for (const [name, input] of MALFORMED) {
  test(`PROXY malformed: ${name} closes the connection, builds nothing, in every split`, (t) => {
    t.throws(() => readProxyHeader(input, 4096), { instanceOf: ProxyHeaderError });
    for (const chunks of splits(input)) {
      const { transport, built, rejected } = connect();
      for (const chunk of chunks) transport.receive(chunk);
      if (!transport.isAborted || built.length !== 0 || rejected.length !== 1) {
        t.fail(`split ${chunks.map((c) => c.length).join('+')}: aborted ${String(transport.isAborted)}, built ${built.length}`);
        return;
      }
    }
    t.pass();
  });
}

test('PROXY: a v2 header over maxHeaderBytes is refused from its length field, before its body arrives', (t) => {
  const { transport, rejected } = connect({ maxHeaderBytes: 64 });
  transport.receive(join([PROXY_V2_SIGNATURE, Uint8Array.from([0x21, 0x11, 0x00, 100])]));
  t.true(transport.isAborted);
  t.regex(rejected[0]?.message ?? '', /length 116 exceeds the limit of 64 bytes/);
});

test('PROXY: no header within the deadline closes the connection (on the injected clock), not before', (t) => {
  const { transport, built, scheduler, rejected } = connect();
  transport.receive(bytes('PROXY TCP4 192.0.2.1'));
  scheduler.advance(4.9);
  t.false(transport.isClosing);
  scheduler.advance(0.2);
  t.true(transport.isAborted);
  t.is(built.length, 0);
  t.regex(rejected[0]?.message ?? '', /none within 5 s/);
});

test('PROXY: a complete header stops the deadline', (t) => {
  const { transport, built, scheduler } = connect();
  transport.receive(bytes('PROXY TCP4 192.0.2.1 198.51.100.7 1 2\r\n'));
  scheduler.advance(60);
  t.false(transport.isClosing);
  t.is(built.length, 1);
});

test('PROXY: a source that is not an allowed balancer is closed at once, before reading anything', (t) => {
  const { transport, built, rejected } = connect({ peer: ['192.0.2.99', 5000] });
  t.true(transport.isAborted);
  transport.receive(bytes('PROXY TCP4 192.0.2.1 198.51.100.7 1 2\r\n'));
  t.is(built.length, 0);
  t.regex(rejected[0]?.message ?? '', /192\.0\.2\.99: not an allowed balancer/);
});

test('PROXY: EOF before a complete header closes without building the real protocol', (t) => {
  const { transport, built } = connect();
  transport.receive(bytes('PROXY TCP4 1'));
  t.false(transport.protocol?.eofReceived?.() ?? true);
  t.true(transport.isClosing);
  t.is(built.length, 0);
});

test('PROXY: the per-peer limit is asked after the header, for the client; reading waits for the answer; a refused client gets the refusal', (t) => {
  const asked: Address[] = [];
  const released: Address[] = [];
  let answer: ((ok: boolean) => void) | undefined;
  const admission: PeerAdmission = {
    admit: (peer, decide) => {
      asked.push(peer);
      answer = decide;
    },
    release: (peer) => released.push(peer),
  };
  const admitted = connect({ admission });
  admitted.transport.receive(join([bytes('PROXY TCP4 192.0.2.1 198.51.100.7 1 2\r\n'), PAYLOAD]));
  t.deepEqual(asked, [['192.0.2.1', 1]]);
  t.false(admitted.transport.isReading, 'reading pauses while the count is asked');
  t.is(admitted.built.length, 0);
  answer?.(true);
  t.true(admitted.transport.isReading);
  t.deepEqual(admitted.built[0]?.chunks.map((c) => Buffer.from(c).toString()), [Buffer.from(PAYLOAD).toString()]);
  admitted.transport.protocol?.connectionLost();
  t.deepEqual(released, [['192.0.2.1', 1]], 'the place is released when the connection ends');

  const refused = connect({ admission });
  refused.transport.receive(bytes('PROXY TCP4 192.0.2.1 198.51.100.7 3 2\r\n'));
  answer?.(false);
  t.is(refused.transport.take(), 'REFUSED\n');
  t.true(refused.transport.isClosing);
  t.is(refused.built.length, 0);
});

test('PROXY: an HTTP Upgrade-style switch after the header keeps the client address for the next protocol', (t) => {
  const { transport, built } = connect();
  transport.receive(bytes('PROXY TCP4 192.0.2.1 198.51.100.7 1 2\r\n'));
  t.is(built.length, 1);
  const next = new Recorder('');
  // The real protocol got the layer as its transport; switching through it wraps the next one too.
  const layer = transport.protocol as unknown as Transport;
  layer.setProtocol?.(next, [bytes('after')]);
  t.deepEqual(next.seenPeer, ['192.0.2.1', 1]);
  t.deepEqual(next.chunks.map((c) => Buffer.from(c).toString()), ['after']);
});
