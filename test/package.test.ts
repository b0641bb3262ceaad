// The package as a user gets it: `npm pack`, the tarball installed (offline: it has no runtime
// dependencies) into a new project, then the bin (--help, serve answering a request, Ctrl-C under
// npx, bench without the harness) and a strict TypeScript app importing `switchboard` and
// `switchboard/testing`, compiled with this project's tsc and run against that server.
import test from 'ava';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const APP = `import { socket, AF_INET, type Socket } from 'switchboard';
import { ManualScheduler } from 'switchboard/testing';

const port = Number(process.argv[2]);
const s: Socket = socket(AF_INET);
await s.connectAsync(['127.0.0.1', port]);
await s.sendall('GET / HTTP/1.0\\r\\n\\r\\n');
let reply = '';
for (;;) {
  const chunk = await s.recvAsync(4096);
  if (chunk.length === 0) break;
  reply += chunk.toString('latin1');
}
s.close();
const scheduler = new ManualScheduler();
let fired = false;
scheduler.callLater(2, () => (fired = true));
scheduler.advance(2);
process.stdout.write(\`\${reply.split('\\r\\n')[0] ?? ''} \${String(fired)}\\n\`);
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules', '@types')],
    outDir: 'out',
  },
  files: ['app.ts'],
};

interface Packed {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

/** Packs this project into `dir` and installs the tarball into a new project there; resolves with what was packed. */
async function install(dir: string): Promise<Packed> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, timeout: 120000 });
  const [packed] = JSON.parse(stdout) as Packed[];
  if (packed === undefined) throw new Error(`npm pack said: ${stdout}`);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, packed.filename)], { cwd: dir, timeout: 120000 });
  return packed;
}

/** Starts `command` in its own process group (as a terminal's foreground job) and resolves with its first stdout line. */
async function startServing(command: string, args: readonly string[], cwd: string): Promise<{ child: ReturnType<typeof spawn>; line: string }> {
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  if (child.stdout === null) throw new Error('no stdout');
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const { value, done } = await lines.next();
  if (done === true) throw new Error(`${command} ${args.join(' ')} ended before printing a line: ${stderr}`);
  return { child, line: String(value) };
}

/** Ctrl-C as a terminal sends it: SIGINT to the whole process group; resolves with the exit code. */
async function interrupt(child: ReturnType<typeof spawn>): Promise<number | null> {
  if (child.pid === undefined) throw new Error('no pid');
  const exited = once(child, 'exit');
  process.kill(-child.pid, 'SIGINT');
  const [code] = (await exited) as [number | null];
  return code;
}

test('the packed tarball installs offline, and its bin, library and testing module work as documented', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-package-'));
  const children: ReturnType<typeof spawn>[] = [];
  t.teardown(() => {
    for (const child of children) if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const packed = await install(dir);
  const paths = packed.files.map((f) => f.path);
  t.true(paths.includes('LICENSE'), 'LICENSE is packed');
  t.deepEqual(
    paths.filter((p) => !p.startsWith('dist/src/')),
    ['LICENSE', 'README.md', 'docs/limits.md', 'docs/semantics.md', 'package.json'].filter((p) => paths.includes(p)).sort(),
  );
  const installed = join(dir, 'node_modules', 'switchboard');
  t.regex(readFileSync(join(installed, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) \d{4} switchboard contributors\n/);
  // Every source map carries its sources, so none points at a src/*.ts the package does not have.
  const maps = paths.filter((p) => p.endsWith('.js.map'));
  t.true(maps.length > 50, `${maps.length} maps`);
  for (const map of maps) {
    const parsed = JSON.parse(readFileSync(join(installed, map), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
    t.is(parsed.sourcesContent?.filter((s) => typeof s === 'string').length, parsed.sources.length, map);
  }

  const bin = join(dir, 'node_modules', '.bin', 'switchboard');
  const help = await run(bin, ['--help'], { cwd: dir });
  t.regex(help.stdout, /^usage: switchboard <command>/);
  const bench = await run(bin, ['bench', '--quick'], { cwd: dir }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
  );
  t.is(bench.code, 69, bench.stderr);

  // A strict TypeScript app, compiled with this project's tsc against the installed types.
  writeFileSync(join(dir, 'app.ts'), APP);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  await t.notThrowsAsync(run(process.execPath, [TSC, '-p', '.'], { cwd: dir, timeout: 120000 }).catch((error: { stdout?: string }) => {
    throw new Error(`tsc failed: ${error.stdout ?? String(error)}`);
  }));
  t.deepEqual(readdirSync(join(dir, 'out')), ['app.js']);

  const served = await startServing(bin, ['serve', 'http', '--port', '0'], dir);
  children.push(served.child);
  const port = /^listening on 127\.0\.0\.1:(\d+)$/.exec(served.line)?.[1];
  t.truthy(port, served.line);
  const app = await run(process.execPath, [join(dir, 'out', 'app.js'), port ?? '0'], { cwd: dir, timeout: 30000 });
  t.is(app.stdout, 'HTTP/1.0 200 OK true\n');
  t.is(await interrupt(served.child), 0, 'the bin ends with 0 on Ctrl-C');

  // npx runs the bin through a shell (npm's script-shell, /bin/sh by default). bash waits for the
  // bin and exits as it does (0); dash, Debian's /bin/sh, dies of the terminal's SIGINT itself, so
  // npx then ends by SIGINT whatever the bin does (README, "Running the servers").
  const viaNpx = await startServing('npx', ['--offline', '--no-install', '--script-shell=bash', 'switchboard', 'serve', 'echo', '--port', '0'], dir);
  children.push(viaNpx.child);
  t.regex(viaNpx.line, /^listening on 127\.0\.0\.1:\d+$/);
  t.is(await interrupt(viaNpx.child), 0, 'npx switchboard serve ends with 0 on Ctrl-C');
});
