// `switchboard start` (what `npm start` runs): the example servers on loopback, one line each with
// a command to try it, until Ctrl-C.
import { createReactor } from '../reactor/default-reactors.js';
import { addressText } from '../transports/address.js';
import { UsageError, parseFlags } from './flags.js';
import { type RunningServer, reactorName, startServer, stopOnSignals } from './serve-command.js';
import { SERVERS } from './servers.js';

/** What `switchboard start --help` prints. */
/** What `start` runs, in the order it prints them. */
const EXAMPLE_SERVERS = ['http', 'echo', 'chat', 'resp'];

export const START_HELP = `usage: switchboard start [--ephemeral] [--reactor select|selector]

Starts the example servers on 127.0.0.1 (${EXAMPLE_SERVERS.filter((n) => n in SERVERS).join(', ')}) on their default
ports, prints how to try each, and stops cleanly on Ctrl-C. --ephemeral picks free ports instead.`;

/**
 * `switchboard start` (`npm start`): the example servers on loopback, one line each with a command
 * to try it, until SIGINT/SIGTERM; resolves to 0 after a clean stop.
 */
export async function startCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { positional, flags } = parseFlags(args, { ephemeral: 'boolean', reactor: 'string' });
  if (positional.length > 0) throw new UsageError(`start takes no arguments (got '${positional.join(' ')}')`);
  const reactor = createReactor(reactorName(flags));
  const servers: RunningServer[] = [];
  for (const name of EXAMPLE_SERVERS) {
    if (!(name in SERVERS)) continue;
    servers.push(await startServer(reactor, name, flags, flags['ephemeral'] === true ? 0 : undefined));
  }
  const signals = stopOnSignals(reactor, servers);
  for (const s of servers) {
    out(`${s.name.padEnd(5)} listening on ${addressText([s.host, s.portNumber])}  try: ${s.kind.tryIt(s.host, s.portNumber)}`);
  }
  out('Ctrl-C stops them.');
  await reactor.run();
  await signals.whenSettled();
  return signals.exitCode;
}
