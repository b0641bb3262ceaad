// `switchboard start` (what `npm start` runs): the example servers on loopback, one line each with
// a command to try it, until Ctrl-C. Either all of them listen or none: a server that cannot listen
// (its port held by another process) closes the ones already listening, so the process ends with
// one line and exit 2 instead of holding ports it never serves.
import { createReactor } from '../reactor/default-reactors.js';
import { addressText } from '../transports/address.js';
import { UsageError, parseFlags, stringFlag } from './flags.js';
import { type RunningServer, reactorName, startServer, stopOnSignals } from './serve-command.js';
import { SERVERS } from './servers.js';

/** What `start` runs, in the order it prints them. */
const EXAMPLE_SERVERS = ['http', 'echo', 'chat', 'resp'].filter((name) => name in SERVERS);

/** What `switchboard start --help` prints. */
export const START_HELP = `usage: switchboard start [--ephemeral] [--ports NAME=N,...] [--reactor select|selector]

Starts the example servers on 127.0.0.1 (${EXAMPLE_SERVERS.map((n) => `${n} ${SERVERS[n]?.defaultPort ?? ''}`).join(', ')}),
prints how to try each, and stops cleanly on Ctrl-C. If a port is taken, none is left running:
it says which in one line and exits 2.

  --ephemeral          every server on a free port the system picks (no clash with anything)
  --ports NAME=N,...   these servers on these ports (e.g. --ports http=8081,resp=0); with
                       --ephemeral the others still pick free ones
  --reactor NAME       select or selector (default selector)`;

/** The `--ports http=8081,resp=0` value as a map from server name to port; UsageError for a bad entry. */
function portsFlag(text: string | undefined): Map<string, number> {
  const ports = new Map<string, number>();
  for (const entry of text === undefined ? [] : text.split(',')) {
    const match = /^(\w+)=(\d{1,5})$/.exec(entry);
    const name = match?.[1] ?? '';
    const port = Number(match?.[2]);
    if (match === null || !EXAMPLE_SERVERS.includes(name) || port > 65535) {
      throw new UsageError(`--ports takes NAME=PORT pairs (NAME one of ${EXAMPLE_SERVERS.join(', ')}, PORT 0-65535), got '${entry}'`);
    }
    ports.set(name, port);
  }
  return ports;
}

/**
 * `switchboard start` (`npm start`): the example servers on loopback, one line each with a command
 * to try it, until SIGINT/SIGTERM; resolves to 0 after a clean stop. Throws UsageError (after closing
 * the servers already listening) when one cannot listen.
 */
export async function startCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { positional, flags } = parseFlags(args, { ephemeral: 'boolean', ports: 'string', reactor: 'string' });
  if (positional.length > 0) throw new UsageError(`start takes no arguments (got '${positional.join(' ')}')`);
  const ports = portsFlag(stringFlag(flags, 'ports'));
  const reactor = createReactor(reactorName(flags));
  const servers: RunningServer[] = [];
  try {
    for (const name of EXAMPLE_SERVERS) {
      servers.push(await startServer(reactor, name, flags, ports.get(name) ?? (flags['ephemeral'] === true ? 0 : undefined)));
    }
  } catch (error) {
    for (const s of servers) s.port.stopListening();
    if (error instanceof UsageError && / is in use$/.test(error.message)) {
      throw new UsageError(`${error.message}; nothing started (--ephemeral picks free ports, --ports moves one)`);
    }
    throw error;
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
