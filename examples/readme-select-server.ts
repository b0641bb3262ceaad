// examples/readme-select-server.ts: the HOWTO's non-blocking server, driven by select()
import { socket, select, AF_INET, BlockingIOError, type Socket } from '../src/index.js';

const server = socket(AF_INET);
server.bind(['127.0.0.1', Number(process.env['PORT'] ?? 9007)]);
server.listen(5);
console.log('listening on', server.getsockname());
const clients: Socket[] = [];
for (;;) {
  const [readable] = await select([server, ...clients], [], [], 60);
  for (const s of readable) {
    if (s === server) {
      clients.push(server.accept()[0]);
      continue;
    }
    try {
      const data = s.recv(4096);
      if (data.length === 0) {
        clients.splice(clients.indexOf(s), 1); // EOF: the client is done
        s.close();
      } else {
        await s.sendall(data); // send() may take only part of it; sendall() waits for the rest
      }
    } catch (error) {
      if (!(error instanceof BlockingIOError)) throw error; // readiness is a hint
    }
  }
}
