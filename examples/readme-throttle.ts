// examples/readme-throttle.ts: an echo server that reads and writes at most 64 KiB a second per connection
import { createReactor, echoFactory, listenTCP, throttled } from '../src/index.js';

const reactor = createReactor();
// The reactor is the clock the one-second windows are placed on; tests pass a ManualScheduler.
const factory = throttled(echoFactory(), { readBytesPerSecond: 65536, writeBytesPerSecond: 65536, scheduler: reactor });
const port = await listenTCP(reactor, Number(process.env['PORT'] ?? 9013), factory, {
  // Out of file descriptors, accepting pauses this long (asyncio's 1 s), and the hook hears it once.
  acceptBackoff: 1,
  onAcceptError: (error) => console.error(`cannot accept: ${error.code}`),
});
console.log('listening on', port.address);
await reactor.run();
