#!/usr/bin/env node
// The switchboard command line (a contract scripts rely on): subcommands, each with --help; a user mistake
// gets one clear line on stderr and a non-zero exit, never a stack trace.
import { SCENARIOS_HELP, scenariosCommand } from './cli/scenarios-command.js';
import { CONFORMANCE_HELP, conformanceCommand } from './cli/conformance-command.js';
import { SERVE_HELP, serveCommand } from './cli/serve-command.js';
import { START_HELP, startCommand } from './cli/start-command.js';
import { UsageError } from './cli/flags.js';
import { readFileSync } from 'node:fs';
import { BENCH_HELP, benchCommand } from './cli/bench-command.js';

const HELP = `usage: switchboard <command> [options]

commands:
  start                      the example servers on loopback (what npm start runs)
  serve <server>             run one server: echo, discard, chat, http, resp
  scenarios <file.json>...   replay kernel socket scenarios, print traces as the kernel oracle does
  conformance <module>       run the reactor conformance suite on a reactor module
  bench [name...]            the benchmarks, beside node:net in the same run (a clone only;
                             exits 69 in an installed package)

Run 'switchboard <command> --help' for a command's options; 'switchboard --version' prints the version.`;

interface Command {
  readonly help: string;
  run(args: readonly string[]): Promise<number>;
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const err = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const COMMANDS: Readonly<Record<string, Command>> = {
  scenarios: { help: SCENARIOS_HELP, run: (args) => scenariosCommand(args, out, err) },
  conformance: { help: CONFORMANCE_HELP, run: (args) => conformanceCommand(args, out, err) },
  serve: { help: SERVE_HELP, run: (args) => serveCommand(args, out) },
  start: { help: START_HELP, run: (args) => startCommand(args, out) },
  bench: { help: BENCH_HELP, run: (args) => benchCommand(args, out, err) },
};

/** The package's version, from the package.json beside dist/ (in a clone and in an installed package). */
function version(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const value = typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : undefined;
  return `switchboard ${typeof value === 'string' ? value : 'unknown'}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    out(version());
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    err(`switchboard: unknown command '${name}' (try --help)`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    out(command.help);
    return 0;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    err(`switchboard: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
