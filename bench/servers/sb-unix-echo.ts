// switchboard's echo handler on a Unix socket, for bench/unix.ts (`switchboard serve` listens on TCP
// only). Usage: node sb-unix-echo.js <path> [select|selector]. Prints `listening on unix:<path>:0`
// (port 0: the harness reads the path from its own arguments); on SIGTERM/SIGINT it stops like
// `switchboard serve`: stop listening, close connections once flushed, stop the reactor, unlink.
import { rmSync } from 'node:fs';
import { echoFactory } from '../../src/protocols/apps/echo.js';
import { createReactor } from '../../src/reactor/default-reactors.js';
import { listenUnix } from '../../src/transports/endpoints.js';

const [path, reactorName = 'selector'] = process.argv.slice(2);
if (path === undefined || (reactorName !== 'select' && reactorName !== 'selector')) {
  process.stderr.write('usage: sb-unix-echo.js <path> [select|selector]\n');
  process.exit(2);
}
const reactor = createReactor(reactorName);
const port = await listenUnix(reactor, path, echoFactory());
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  port.stopListening();
  port.closeConnections();
  const deadline = reactor.seconds() + 5;
  const check = (): void => {
    if (port.connectionCount === 0 || reactor.seconds() >= deadline) reactor.stop();
    else reactor.callLater(0.05, check);
  };
  reactor.callSoon(check);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdout.write(`listening on unix:${path}:0\n`);
await reactor.run();
rmSync(path, { force: true });
