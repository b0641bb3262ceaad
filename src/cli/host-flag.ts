// `--host`: what a person types (a numeric address, `[::1]` as in a URL, or a host name) made into
// the numeric address the library binds. bind() never waits for a resolver (as a non-blocking
// socket's cannot), so the CLI looks the name up first, as a Python server does with getaddrinfo().
import { isIP } from 'node:net';
import { getaddrinfo } from '../transports/socket-module.js';
import { OSError } from '../transports/errors.js';
import { UsageError } from './flags.js';

/**
 * The numeric address `--host` names: brackets dropped from `[v6]`, a name resolved with getaddrinfo()
 * (its first address, in the resolver's order); undefined stays undefined. Throws UsageError for a name
 * that does not resolve.
 */
export async function resolveHostFlag(host: string | undefined): Promise<string | undefined> {
  if (host === undefined) return undefined;
  const bare = /^\[(.*)\]$/.exec(host)?.[1] ?? host;
  if (isIP(bare) !== 0) return bare;
  if (bare === '' || bare !== host) throw new UsageError(`--host takes an address or a host name, got '${host}'`);
  let found: Awaited<ReturnType<typeof getaddrinfo>>;
  try {
    found = await getaddrinfo(bare, 0);
  } catch (error) {
    throw new UsageError(`--host: cannot resolve '${host}' (${error instanceof OSError ? error.code : String(error)})`);
  }
  const address = found[0]?.[4][0];
  if (typeof address !== 'string') throw new UsageError(`--host: '${host}' has no address`);
  return address;
}
