// examples/readme-upgrade-client.ts: HTTP Upgrade to echo, the request and the first echo bytes in one send
import { socket, AF_INET, SHUT_WR } from '../src/index.js';

const port = Number(process.env['PORT'] ?? 8080);
const s = socket(AF_INET);
await s.connectAsync(['127.0.0.1', port]);
// Bytes after the request's empty line already belong to echo: no need to wait for the 101.
await s.sendall('GET /echo HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nhello, echo\n');
s.shutdown(SHUT_WR); // echo half-closes in turn once it has sent everything back
for (;;) {
  const chunk = await s.recvAsync(4096);
  if (chunk.length === 0) break;
  process.stdout.write(chunk);
}
s.close();
