// examples/readme-client.ts: the HOWTO's client, as the README shows it
import { socket, AF_INET } from '../src/index.js';

const port = Number(process.env['PORT'] ?? 8080);
const s = socket(AF_INET);
await s.connectAsync(['127.0.0.1', port]);
await s.sendall('GET / HTTP/1.0\r\n\r\n');
for (;;) {
  const chunk = await s.recvAsync(4096);
  if (chunk.length === 0) break; // EOF: the server shut down its side
  process.stdout.write(chunk);
}
s.close();
