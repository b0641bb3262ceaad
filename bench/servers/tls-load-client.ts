// The TLS load client for bench/tls.ts (the C client speaks plain TCP only): N node:tls connections
// in one process, ping-pong (one message at a time per connection) or stream (16 KiB writes, the
// echo read back), every echoed byte checked against what was sent. Prints one JSON line:
// {"opsPerSec":..,"mbPerSec":..} or {"error":".."}.
// Usage: node tls-load-client.js PORT CA_FILE pingpong|stream CONNECTIONS SIZE SECONDS WARMUP
import { readFileSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';

const [port, caFile, mode, connections, size, seconds, warmup] = process.argv.slice(2);
if (caFile === undefined || (mode !== 'pingpong' && mode !== 'stream') || warmup === undefined) {
  process.stderr.write('usage: tls-load-client.js PORT CA_FILE pingpong|stream CONNECTIONS SIZE SECONDS WARMUP\n');
  process.exit(2);
}
const ca = readFileSync(caFile);
const messageSize = Number(size);
/** A pattern no echo server could produce by accident: byte i of the stream is (i * 7 + 3) mod 251. */
const PIECE = 65536;
const pattern = Buffer.alloc(251 + Math.max(PIECE, messageSize));
for (let i = 0; i < pattern.length; i++) pattern[i] = (i * 7 + 3) % 251;
/** The pattern's bytes from stream offset `offset`, `length` of them (at most PIECE). */
const expected = (offset: number, length: number): Buffer => pattern.subarray(offset % 251, (offset % 251) + length);
let isMeasuring = false;
let isDone = false;
let ops = 0;
let bytes = 0;

function fail(message: string): never {
  process.stdout.write(`${JSON.stringify({ error: message })}\n`);
  process.exit(1);
}

/** One connection: writes from the pattern at `sent`, checks echoed bytes at `received`. */
function drive(socket: TLSSocket): void {
  let sent = 0;
  let received = 0;
  const send = (): void => {
    if (isDone) return;
    const chunk = expected(sent, messageSize);
    sent += chunk.length;
    if (!socket.write(chunk) && mode === 'stream') return;
    if (mode === 'stream') setImmediate(send);
  };
  socket.on('drain', () => mode === 'stream' && send());
  socket.on('data', (data: Buffer) => {
    for (let at = 0; at < data.length; at += PIECE) {
      const piece = data.subarray(at, at + PIECE);
      if (!piece.equals(expected(received + at, piece.length))) fail(`bytes from ${received + at} echoed wrong`);
    }
    received += data.length;
    if (isMeasuring) bytes += data.length;
    if (mode === 'pingpong' && received === sent) {
      if (isMeasuring) ops += 1;
      send();
    }
  });
  socket.on('error', (error) => isDone || fail(`connection failed: ${error.message}`));
  send();
}

const sockets: TLSSocket[] = [];
let ready = 0;
for (let i = 0; i < Number(connections); i++) {
  const socket = connect({ host: '127.0.0.1', port: Number(port), ca, servername: 'localhost' }, () => {
    socket.setNoDelay(true);
    ready += 1;
    if (ready === Number(connections)) start();
  });
  sockets.push(socket);
}

function start(): void {
  for (const socket of sockets) drive(socket);
  setTimeout(() => {
    isMeasuring = true;
    process.stderr.write('measuring\n');
    const began = performance.now();
    setTimeout(() => {
      const elapsed = (performance.now() - began) / 1000;
      isDone = true;
      process.stderr.write('measured\n');
      process.stdout.write(`${JSON.stringify({ opsPerSec: ops / elapsed, mbPerSec: bytes / elapsed / 1e6 })}\n`);
      for (const socket of sockets) socket.destroy();
    }, Number(seconds) * 1000);
  }, Number(warmup) * 1000);
}
