// examples/readme-tls.ts: an echo server over TLS, and a select() client that verifies it
import { readFileSync } from 'node:fs';
import { createDefaultContext, createReactor, echoFactory, listenTLS, select, socket, TLSContext } from '../src/index.js';

const pem = (name: string): Buffer => readFileSync(process.env[name] ?? `${name.toLowerCase()}.pem`);
const [cert, key, ca] = [pem('TLS_CERT'), pem('TLS_KEY'), pem('TLS_CA')];
const reactor = createReactor();
const server = await listenTLS(reactor, 0, echoFactory(), { context: new TLSContext('server', { cert, key }) });
void reactor.run();

const raw = socket();
await raw.connectAsync(server.address);
const sock = createDefaultContext({ ca }).wrapSocket(raw, { serverHostname: 'localhost' });
await sock.doHandshakeAsync();
sock.send('hello over TLS');
await select([sock], [], [], 10);
let echo = sock.recv(5).toString();
while (sock.pending() > 0) echo += sock.recv(1024).toString(); // select() cannot see these bytes
console.log(sock.version(), echo);
sock.close();
server.stopListening();
reactor.stop();
