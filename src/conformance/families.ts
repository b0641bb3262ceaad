// The socket families the conformance suite runs connection cases over: TCP on 127.0.0.1 and ::1,
// Unix paths in a temp dir, and the in-memory socketpair().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reactor } from '../reactor/reactor.js';
import { AF_INET, AF_INET6, AF_UNIX } from '../transports/constants.js';
import { type Connector, type ListeningPort, connectTCP, connectUnix, listenTCP, listenUnix } from '../transports/endpoints.js';
import type { Factory } from '../contract/index.js';
import { Socket } from '../transports/socket.js';
import { startConnection } from '../transports/connection/connection-start.js';
import type { Family, FamilyName } from './case.js';

function ipFamily(name: 'tcp4' | 'tcp6', host: string): Family {
  const family: Family = {
    name,
    provides: ['listen', 'tcp'],
    listen: (reactor, factory) => listenTCP(reactor, 0, factory, { host, backlog: 4096 }),
    connect: (reactor, port, factory) => connectTCP(reactor, host, portNumber(port), factory, { timeout: 20 }),
    connectPair: (reactor, server, client) => connectThroughListener(family, reactor, server, client),
    refusingTarget() {
      // Bound, never listening: connections to it are refused (the kernel keeps the port reserved).
      const holder = new Socket(name === 'tcp6' ? AF_INET6 : AF_INET);
      holder.bind([host, 0]);
      const port = portOf(holder);
      return { connect: (reactor, factory) => connectTCP(reactor, host, port, factory), release: () => holder.close() };
    },
  };
  return family;
}

let unixDir: string | undefined;
let unixCount = 0;
function unixPath(): string {
  unixDir ??= mkdtempSync(join(tmpdir(), 'switchboard-conformance-'));
  unixCount += 1;
  return join(unixDir, `s${unixCount}.sock`);
}

/** Removes the temp dir of the Unix family's paths. */
export function removeUnixDir(): void {
  if (unixDir !== undefined) rmSync(unixDir, { recursive: true, force: true });
  unixDir = undefined;
}

const unix: Family = {
  name: 'unix',
  provides: ['listen'],
  listen: (reactor, factory) => listenUnix(reactor, unixPath(), factory, { backlog: 4096 }),
  connect: (reactor, port, factory) => connectUnix(reactor, String(port.address), factory),
  connectPair: (reactor, server, client) => connectThroughListener(unix, reactor, server, client),
  refusingTarget() {
    const holder = new Socket(AF_UNIX);
    const path = unixPath();
    holder.bind(path);
    return { connect: (reactor, factory) => connectUnix(reactor, path, factory), release: () => holder.close() };
  },
};

const pair: Family = {
  name: 'pair',
  provides: [],
  async connectPair(reactor, server, client) {
    const [a, b] = Socket.pair();
    startConnection({ reactor, socket: a, factory: server, peer: '', onFailure: (error) => server.connectionFailed?.(error) });
    startConnection({ reactor, socket: b, factory: client, peer: '', onFailure: (error) => client.connectionFailed?.(error) });
  },
};

async function connectThroughListener(family: Family, reactor: Reactor, server: Factory, client: Factory): Promise<void> {
  if (family.listen === undefined || family.connect === undefined) throw new Error(`${family.name} cannot listen`);
  const port = await family.listen(reactor, {
    buildProtocol(peer) {
      // One connection per pair: stop listening once it arrived.
      port.stopListening();
      return server.buildProtocol(peer);
    },
    connectionFailed: (reason) => server.connectionFailed?.(reason),
  });
  family.connect(reactor, port, client);
}

/** Each family by name: `tcp4` on 127.0.0.1, `tcp6` on ::1, `unix` in a temporary directory, `pair` over socketpair(). */
export const FAMILIES: Readonly<Record<FamilyName, Family>> = {
  tcp4: ipFamily('tcp4', '127.0.0.1'),
  tcp6: ipFamily('tcp6', '::1'),
  unix,
  pair,
};

function portNumber(port: ListeningPort): number {
  const address = port.address;
  if (!Array.isArray(address)) throw new Error('not an IP listener');
  return address[1];
}

function portOf(socket: Socket): number {
  const address = socket.getsockname();
  if (!Array.isArray(address)) throw new Error('not an IP socket');
  return address[1];
}

export type { Connector };
