// The layers import downwards only (protocols -> transports -> reactor), protocols see transports
// only through the contract files with `import type`, pure codecs import nothing outside their
// folder, and no source file uses an explicit `any`.
import test from 'ava';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  readonly file: string;
  readonly target: string;
  readonly typeOnly: boolean;
}

function imports(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'/gm)) {
    const [, , typeWord, spec] = match;
    if (spec === undefined) continue;
    found.push({ file: relative(SRC, file), target: relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))), typeOnly: typeWord !== undefined });
  }
  return found;
}

const layerOf = (path: string): string => path.split('/')[0] ?? '';
const files = sourceFiles(SRC);
const all = files.flatMap(imports);

test('src/reactor imports nothing from the layers above it', (t) => {
  const upward = all.filter((i) => layerOf(i.file) === 'reactor' && layerOf(i.target) !== 'reactor');
  t.deepEqual(upward, []);
});

test('src/transports imports from itself and src/reactor only', (t) => {
  const upward = all.filter((i) => layerOf(i.file) === 'transports' && !['transports', 'reactor'].includes(layerOf(i.target)));
  t.deepEqual(upward, []);
});

test('src/protocols sees the transports layer only through the contract files, as types', (t) => {
  const contract = ['transports/protocol.ts', 'transports/address.ts'];
  const bad = all.filter(
    (i) => layerOf(i.file) === 'protocols' && (layerOf(i.target) === 'reactor' || (layerOf(i.target) === 'transports' && (!contract.includes(i.target) || !i.typeOnly))),
  );
  t.deepEqual(bad, []);
});

test('pure codecs in src/protocols/framing import nothing outside their folder', (t) => {
  const bad = all.filter((i) => i.file.startsWith('protocols/framing/') && !i.target.startsWith('protocols/framing/'));
  t.deepEqual(bad, []);
});

test('no source file uses an explicit any', (t) => {
  const offenders = files.filter((file) => /(:|\bas|<)\s*any\b/.test(readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')));
  t.deepEqual(offenders.map((f) => relative(SRC, f)), []);
});

test('the architecture check sees the source tree', (t) => {
  t.true(files.length > 20, `only ${files.length} files found under ${SRC}`);
  t.true(all.length > 50);
});

// ---- src/transports' folders (issue 16 step 1) ---------------------------------------------------
// kernel/: the emulated kernel's parts; socket/: the core under the Python socket API and its
// per-family rules; connection/: endpoints and the guarded start; tls/: TLS over them.

test('src/transports/kernel imports only itself and the address, constant and error modules', (t) => {
  const allowed = ['transports/address.ts', 'transports/constants.ts', 'transports/errors.ts'];
  const bad = all.filter((i) => i.file.startsWith('transports/kernel/') && !i.target.startsWith('transports/kernel/') && !allowed.includes(i.target));
  t.deepEqual(bad, []);
});

test('src/transports/socket (the core) imports no connection, TLS or public socket module', (t) => {
  const above = ['transports/connection/', 'transports/tls/', 'transports/socket.ts', 'transports/socket-transport.ts', 'transports/endpoints.ts'];
  const bad = all.filter((i) => i.file.startsWith('transports/socket/') && above.some((prefix) => i.target.startsWith(prefix)));
  t.deepEqual(bad, []);
});

test('the socket core and the emulated kernel are module-internal: nothing outside src/transports imports them', (t) => {
  const bad = all.filter((i) => !i.file.startsWith('transports/') && (i.target.startsWith('transports/socket/') || i.target.startsWith('transports/kernel/')));
  t.deepEqual(bad, []);
});

test('only the per-family rules (socket/tcp.ts, socket/unix.ts) test for AF_UNIX', (t) => {
  const offenders = files
    .filter((file) => relative(SRC, file).startsWith('transports/') && !['transports/socket/tcp.ts', 'transports/socket/unix.ts'].includes(relative(SRC, file)))
    .filter((file) => /[!=]==\s*AF_UNIX\b|\bAF_UNIX\s*[!=]==/.test(readFileSync(file, 'utf8')));
  t.deepEqual(offenders.map((f) => relative(SRC, f)), []);
});
