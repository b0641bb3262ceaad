// The HOWTO's non-blocking server as a benchmark contender: examples/10-select-server.ts's echo loop,
// select() over every socket each turn, exactly as the example runs it (listen(5), 64 KiB recv).
// Usage: node howto-select-echo.js [port]. Prints `listening on <host>:<port>`; SIGINT/SIGTERM stop it.
import { SelectEchoServer } from '../../examples/10-select-server.js';

const server = new SelectEchoServer(Number(process.argv[2] ?? 0));
const address = server.address;
if (!Array.isArray(address)) throw new TypeError('the example listens on TCP');
console.log(`listening on ${String(address[0])}:${String(address[1])}`);
const stop = (): void => {
  void server.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
