// The layers import downwards only (protocols -> transports -> reactor), with the Protocol/Transport
// contract in src/contract, a folder of its own below them that every layer may import as values
// (so its error classes are one class everywhere) and that imports nothing itself. Protocols see no
// transport and no reactor, only the contract; pure codecs import nothing outside their folder; no
// source file uses an explicit `any`.
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

test('src/contract imports nothing outside itself', (t) => {
  t.deepEqual(importsOutside('contract', ['contract']), []);
});

test('src/reactor imports nothing from the layers above it', (t) => {
  t.deepEqual(importsOutside('reactor', ['reactor']), []);
});

test('src/transports imports from itself, the contract and src/reactor only', (t) => {
  t.deepEqual(importsOutside('transports', ['transports', 'contract', 'reactor']), []);
});

test('src/protocols sees no transport and no reactor, only the contract', (t) => {
  t.deepEqual(importsOutside('protocols', ['protocols', 'contract']), []);
});

test('the contract is one set of classes: no file outside src/contract declares its errors again', (t) => {
  const redeclared = files.filter(
    (file) => !relative(SRC, file).startsWith('contract/') && /\b(ERR_TRANSPORT_CLOSED|ERR_NOT_CONNECTED)\b|class (TransportClosedError|NotConnectedError)\b/.test(readFileSync(file, 'utf8')),
  );
  t.deepEqual(redeclared.map((f) => relative(SRC, f)), []);
});

test('pure codecs in src/protocols/framing import nothing outside their folder', (t) => {
  const bad = all.filter((i) => i.file.startsWith('protocols/framing/') && !i.target.startsWith('protocols/framing/'));
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
