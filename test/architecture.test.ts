// The layers import downwards only (protocols -> transports -> reactor), with the Protocol/Transport
// contract in src/contract, a folder of its own below them that every layer may import as values
// (so its error classes are one class everywhere) and that imports nothing itself. Under everything,
// src/bytes (the one chunk queue) imports nothing and every layer may use it, pure codecs included.
// Protocols see no transport and no reactor, only the contract; pure codecs import nothing outside
// their folder but src/bytes; no source file uses an explicit `any`.
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

const importsOutside = (layer: string, allowed: readonly string[]): Import[] =>
  all.filter((i) => layerOf(i.file) === layer && !allowed.includes(layerOf(i.target)));

test('src/bytes, the lowest layer, imports nothing outside itself', (t) => {
  t.deepEqual(importsOutside('bytes', ['bytes']), []);
});

test('src/contract imports nothing outside itself', (t) => {
  t.deepEqual(importsOutside('contract', ['contract']), []);
});

test('src/reactor imports nothing from the layers above it', (t) => {
  t.deepEqual(importsOutside('reactor', ['reactor', 'bytes']), []);
});

test('src/transports imports from itself, the contract, src/reactor and src/bytes only', (t) => {
  t.deepEqual(importsOutside('transports', ['transports', 'contract', 'reactor', 'bytes']), []);
});

test('src/protocols sees no transport and no reactor, only the contract (and src/bytes)', (t) => {
  t.deepEqual(importsOutside('protocols', ['protocols', 'contract', 'bytes']), []);
});

test('the contract is one set of classes: no file outside src/contract declares its errors again', (t) => {
  const redeclared = files.filter(
    (file) => !relative(SRC, file).startsWith('contract/') && /\b(ERR_TRANSPORT_CLOSED|ERR_NOT_CONNECTED)\b|class (TransportClosedError|NotConnectedError)\b/.test(readFileSync(file, 'utf8')),
  );
  t.deepEqual(redeclared.map((f) => relative(SRC, f)), []);
});

test('pure codecs in src/protocols/framing import nothing outside their folder but src/bytes', (t) => {
  const bad = all.filter((i) => i.file.startsWith('protocols/framing/') && !i.target.startsWith('protocols/framing/') && layerOf(i.target) !== 'bytes');
  t.deepEqual(bad, []);
});

test('no module re-creates the old contract path src/transports/protocol.ts', (t) => {
  t.deepEqual(all.filter((i) => i.target === 'transports/protocol.ts'), []);
  t.false(files.some((f) => relative(SRC, f) === 'transports/protocol.ts'));
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
