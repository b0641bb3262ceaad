// `switchboard scenarios <file.json>...`: replays kernel scenarios and prints one trace per line,
// exactly as the kernel oracle (the Python script that recorded test/fixtures/kernel on Linux)
// prints the real kernel's, so the two can be diffed.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type Scenario, ScenarioError, ipv6LoopbackAvailable, runScenario, validateScenario } from '../scenarios/runner.js';

/** What `switchboard scenarios --help` prints. */
export const SCENARIOS_HELP = `usage: switchboard scenarios <file.json>...

Replays socket scenarios (the format of shared/kernel/README.md) against switchboard's own
sockets and select(), printing one JSON trace per line on stdout, as the kernel oracle does for the
real kernel. Exits 0 when every scenario ran, whatever the traces say; 2 for a file that
cannot be read or parsed.`;

/** Replays each scenario file, one JSON trace line per scenario on `out`; resolves to the exit code. */
export async function scenariosCommand(files: readonly string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  if (files.length === 0) {
    err('switchboard scenarios: give at least one scenario file (see --help)');
    return 2;
  }
  const scenarios: Scenario[] = [];
  for (const file of files) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      scenarios.push(validateScenario(parsed, basename(file).replace(/\.json$/, '')));
    } catch (error) {
      err(`switchboard scenarios: ${file}: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
  }
  let failed = false;
  let ipv6: boolean | undefined;
  for (const scenario of scenarios) {
    if (scenario.requires?.includes('ipv6')) {
      ipv6 ??= ipv6LoopbackAvailable();
      if (!ipv6) {
        err(`SKIP  ${scenario.id} (requires ipv6)`);
        continue;
      }
    }
    try {
      const trace = await runScenario(scenario);
      out(JSON.stringify({ id: scenario.id, trace }));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      err(`switchboard scenarios: ${error.message}`);
      failed = true;
    }
  }
  return failed ? 2 : 0;
}
