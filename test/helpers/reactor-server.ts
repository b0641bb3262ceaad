// Runs a protocol factory on a real loopback listener with a running SelectorReactor, for tests
// that talk to it with real clients (node:http, curl, raw node:net).
import { SelectorReactor } from '../../src/reactor/selector-reactor.js';
import { type ListeningPort, listenTCP } from '../../src/transports/endpoints.js';
import type { Factory } from '../../src/transports/protocol.js';
import type { Scheduler } from '../../src/protocols/scheduler.js';

export interface RunningTestServer {
  readonly port: number;
  readonly listening: ListeningPort;
  readonly reactor: SelectorReactor;
  readonly scheduler: Scheduler;
  stop(): Promise<void>;
}

export async function serveForTest(build: (scheduler: Scheduler) => Factory): Promise<RunningTestServer> {
  const reactor = new SelectorReactor();
  const scheduler: Scheduler = { callLater: (s, fn) => reactor.callLater(s, fn) };
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
