// node:http serving what `switchboard serve http` serves (GET /, POST /echo, GET|HEAD /bytes/<n>),
// with node's own defaults and stream backpressure: the reference for the hostile suite's figures.
// Run by the hostile suite (test/hostile/peers.ts); prints 'listening on 127.0.0.1:<port>' as the CLI
// does. With `--tls-cert FILE --tls-key FILE` it is node:https, as `serve http` is with the same flags.
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';

const CHUNK = Buffer.alloc(65536, 0x61);

function bytes(n: number): Readable {
  let left = n;
  return new Readable({
    read() {
      if (left <= 0) {
        this.push(null);
        return;
      }
      const piece = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= piece.length;
      this.push(piece);
    },
  });
}

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

const handler: http.RequestListener = (req, res) => {
  const url = req.url ?? '/';
  if (req.method === 'GET' && url === '/') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('hello\n');
  } else if (req.method === 'POST' && url === '/echo') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    req.pipe(res);
  } else if ((req.method === 'GET' || req.method === 'HEAD') && url.startsWith('/bytes/')) {
    const n = Number(url.slice('/bytes/'.length));
    if (!Number.isSafeInteger(n) || n < 0 || n > 2 ** 40) {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(200, { 'content-length': String(n) });
    if (req.method === 'HEAD') res.end();
    else bytes(n).pipe(res);
  } else {
    res.writeHead(404).end();
  }
};
const certFile = flag('--tls-cert');
const keyFile = flag('--tls-key');
const server =
  certFile !== undefined && keyFile !== undefined
    ? https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, handler)
    : http.createServer(handler);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address === 'object' && address !== null) console.log(`listening on 127.0.0.1:${address.port}`);
});
