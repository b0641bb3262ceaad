// `--tls-cert FILE --tls-key FILE`: the server context `serve` uses to listen over TLS. Both flags
// or neither; a file that cannot be read or does not hold PEM is a one-line UsageError.
// `--handshake-timeout S` goes with them.
import { readFileSync } from 'node:fs';
import type { ListenTLSOptions } from '../transports/tls/endpoints-tls.js';
import { TLSContext } from '../transports/tls/tls-context.js';
import { type FlagValues, UsageError, intFlag, stringFlag } from './flags.js';

/** The TLS options of `serve` (context and handshake deadline), or undefined for plain TCP. */
export function tlsOptionsFromFlags(flags: FlagValues): Pick<ListenTLSOptions, 'context' | 'handshakeTimeout'> | undefined {
  const context = tlsContextFromFlags(flags);
  const handshakeTimeout = intFlag(flags, 'handshake-timeout');
  if (handshakeTimeout === undefined) return context === undefined ? undefined : { context };
  if (context === undefined) throw new UsageError('--handshake-timeout applies to TLS only: give --tls-cert and --tls-key too');
  // node:tls's handshakeTimeout has no "never": a handshake that never ends must not hold a descriptor forever.
  if (handshakeTimeout <= 0) throw new UsageError(`--handshake-timeout takes a number of seconds above 0, got ${handshakeTimeout}`);
  return { context, handshakeTimeout };
}

/** The server context the flags ask for, or undefined for plain TCP. */
export function tlsContextFromFlags(flags: FlagValues): TLSContext | undefined {
  const certFile = stringFlag(flags, 'tls-cert');
  const keyFile = stringFlag(flags, 'tls-key');
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) throw new UsageError('--tls-cert and --tls-key go together: give both, or neither for plain TCP');
  const context = new TLSContext('server', { cert: readPem(certFile, '--tls-cert'), key: readPem(keyFile, '--tls-key') });
  try {
    context.secureContext();
  } catch (error) {
    throw new UsageError(`--tls-cert/--tls-key: cannot use ${certFile} with ${keyFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return context;
}

function readPem(file: string, flag: string): Buffer {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${file}: ${error instanceof Error && 'code' in error ? String(error.code) : String(error)}`);
  }
  if (!data.includes('-----BEGIN ')) throw new UsageError(`${flag}: ${file} holds no PEM data (-----BEGIN ...)`);
  return data;
}
