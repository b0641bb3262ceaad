// Runs a protocol factory on a real loopback listener with a running SelectorReactor, for tests
// that talk to it with real clients (node:http, curl, raw node:net).
import { SelectorReactor } from '../../src/reactor/selector-reactor.js';
import { type ListeningPort, listenTCP } from '../../src/transports/endpoints.js';
import type { Factory } from '../../src/contract/index.js';
import type { ClockedScheduler } from '../../src/protocols/throttle-window.js';

export interface RunningTestServer {
  readonly port: number;
  readonly listening: ListeningPort;
  readonly reactor: SelectorReactor;
  readonly scheduler: ClockedScheduler;
  stop(): Promise<void>;
}

export async function serveForTest(build: (scheduler: ClockedScheduler) => Factory): Promise<RunningTestServer> {
  const reactor = new SelectorReactor();
  const scheduler: ClockedScheduler = { callLater: (s, fn) => reactor.callLater(s, fn), seconds: () => reactor.seconds() };
  const listening = await listenTCP(reactor, 0, build(scheduler), { host: '127.0.0.1' });
  const running = reactor.run();
  const address = listening.address;
  const port = Array.isArray(address) ? address[1] : 0;
  return {
    port,
    listening,
    reactor,
    scheduler,
    async stop() {
      listening.stopListening();
      listening.closeConnections();
      reactor.stop();
      await running;
    },
  };
}
