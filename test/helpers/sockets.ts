// Sockets for tests: every one opened here is closed in the test's teardown, and connections are
// made by waiting on events (connectAsync, acceptAsync), never on sleeps.
import type { ExecutionContext } from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Socket } from '../../src/transports/socket.js';
import { AF_INET, AF_INET6, AF_UNIX, type AddressFamily } from '../../src/transports/constants.js';
import { ipv6LoopbackAvailable } from '../../src/scenarios/runner.js';

export interface Connection {
  readonly listener: Socket;
  readonly client: Socket;
  /** The accepted end of `client`. */
  readonly server: Socket;
}

/** Something that must be closed after the test, such as a Socket or a node:net socket. */
interface Closable {
  close?(): void;
  destroy?(): void;
}

/** Registers `thing` to be closed (or destroyed) when the test ends, and returns it. */
export function closing<T extends Closable>(t: ExecutionContext, thing: T): T {
  t.teardown(() => {
    if (thing.close !== undefined) thing.close();
    else thing.destroy?.();
  });
  return thing;
}

export function newSocket(t: ExecutionContext, family: AddressFamily = AF_INET): Socket {
  return closing(t, new Socket(family));
}

/** A temporary directory for Unix socket paths, removed when the test ends. */
export function tempDir(t: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A listener on `host` port 0, a connected client and the accepted end. */
export async function tcpConnection(t: ExecutionContext, family: AddressFamily = AF_INET, host = '127.0.0.1'): Promise<Connection> {
  const listener = newSocket(t, family);
  listener.bind([host, 0]);
  listener.listen(8);
  const client = newSocket(t, family);
  const accepting = listener.acceptAsync();
  await client.connectAsync(listener.getsockname());
  const [server] = await accepting;
  closing(t, server);
  return { listener, client, server };
}

/** A Unix listener on a fresh path in a temp dir, a connected client and the accepted end. */
export async function unixConnection(t: ExecutionContext): Promise<Connection & { readonly path: string }> {
  const path = join(tempDir(t), 'listener.sock');
  const listener = newSocket(t, AF_UNIX);
  listener.bind(path);
  listener.listen(8);
  const client = newSocket(t, AF_UNIX);
  client.connect(path);
  const [server] = await listener.acceptAsync();
  closing(t, server);
  return { listener, client, server, path };
}

let ipv6: boolean | undefined;
/** Whether ::1 can be bound here (decided once, as oracle.py decides its `ipv6` requirement). */
export function hasIPv6(): boolean {
  ipv6 ??= ipv6LoopbackAvailable();
  return ipv6;
}

/**
 * For a test that needs ::1: true when it can be bound; otherwise the test FAILS saying what to set
 * up (a missing prerequisite never passes), and the caller returns.
 */
export function requireIPv6(t: ExecutionContext): boolean {
  if (hasIPv6()) return true;
  t.fail('::1 cannot be bound on this machine: the test needs IPv6 on loopback (sysctl -w net.ipv6.conf.lo.disable_ipv6=0; in a container, run it with IPv6 enabled)');
  return false;
}

/** The family for a loopback host. */
export function familyOf(host: string): AddressFamily {
  return host.includes(':') ? AF_INET6 : AF_INET;
}
