// Docs that point somewhere: every relative Markdown link in the README and docs, and every file
// or folder they or the source comments (src, bench, examples) name, exists in this repository.
// A file name alone (`socket-options.ts`) must be some file's name here; a path must resolve from
// the citing file's folder or the repository root. C sources other than bench/c's are redis's,
// CPython's or Linux's, named as such in the text, so they are not checked here.
import test from 'ava';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', 'api', 'runs', 'bin', '.git']);

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : walk(path);
    return [path];
  });
}

const FILES = [...walk('src'), ...walk('bench'), ...walk('examples'), ...walk('test'), ...walk('docs'), 'README.md', 'LICENSE', 'package.json'];
const NAMES = new Set(FILES.map((file) => basename(file)));
const MARKDOWN = ['README.md', ...FILES.filter((file) => file.endsWith('.md') && /^(docs|examples|bench\/results)\//.test(file))];
const CODE = FILES.filter((file) => file.endsWith('.ts') && /^(src|bench|examples)\//.test(file));

/** A file or folder name in running text: `a/b.ts`, `../x/y.md`, `name.json`; a folder only in backquotes, `a/b/`. */
const REFERENCE = /(?<![\w/.:@<$-])(?:\.{1,2}\/)*(?:[\w@-][\w@.-]*\/)*[\w@-][\w@.-]*\.(?:ts|js|md|json|py|sh|svg|c)(?![\w>])|(?<=`)(?:\.{1,2}\/)*(?:[\w.-]+\/)+(?=`)/g;

/** Names of things that are not files: products, and placeholders in examples. */
// Names that are not files of the repository: a product, and the folder `npm run docs` generates.
const NOT_FILES = new Set(['Node.js', 'docs/api/']);

const comments = (source: string): string => [...source.matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)].map((m) => m[0]).join('\n');

function resolves(from: string, reference: string): boolean {
  if (NOT_FILES.has(reference)) return true;
  if (reference.endsWith('.c') && !reference.startsWith('bench/')) return true;
  const variants = [reference, reference.replace(/\.js$/, '.ts')];
  if (!reference.includes('/')) return variants.some((name) => NAMES.has(name));
  // A path as seen from a folder one level down (`../src/index.js` in examples/) names ROOT/src/index.js.
  const fromBelow = reference.replace(/^\.\.\//, '');
  return variants.some((path) => [join(ROOT, dirname(from), path), join(ROOT, path), join(ROOT, fromBelow.replace(/\.js$/, '.ts')), join(ROOT, fromBelow)].some((candidate) => !relative(ROOT, candidate).startsWith('..') && existsSync(candidate)));
}

function brokenReferences(file: string, text: string): string[] {
  const broken: string[] = [];
  for (const match of text.matchAll(REFERENCE)) if (!resolves(file, match[0])) broken.push(match[0]);
  return broken;
}

/** The broken references of each file that has any. */
function brokenByFile(files: readonly string[], textOf: (file: string) => string): Record<string, string[]> {
  return Object.fromEntries(files.map((file) => [file, brokenReferences(file, textOf(file))]).filter((entry): entry is [string, string[]] => (entry[1]?.length ?? 0) > 0));
}

test('every relative link in the README and docs opens a file of the repository', (t) => {
  let links = 0;
  for (const file of MARKDOWN) {
    for (const [, target = ''] of readFileSync(join(ROOT, file), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      links += 1;
      const path = normalize(join(dirname(file), target.split('#')[0] ?? ''));
      t.true(!path.startsWith('..') && existsSync(join(ROOT, path)), `${file}: (${target})`);
    }
  }
  t.true(links > 10, `${links} links checked`);
});

test('every file the README and docs name exists in the repository', (t) => {
  // Code blocks hold commands and example programs, not citations; links were checked above.
  const prose = (file: string): string => readFileSync(join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '').replace(/\]\([^)]*\)/g, ']');
  t.deepEqual(brokenByFile(MARKDOWN, prose), {});
});

test('every file a source comment names exists in the repository', (t) => {
  t.true(CODE.length > 100, `${CODE.length} files`);
  t.deepEqual(
    brokenByFile(CODE, (file) => comments(readFileSync(join(ROOT, file), 'utf8'))),
    {},
  );
});

test('the reference finder sees what the issue found', (t) => {
  const found = brokenReferences('src/transports/x.ts', '// in ../shared/SEMANTICS.md; see socket-waits.ts and DESIGN.md; `test/fixtures/kernel-own-pending/`');
  t.deepEqual(found, ['../shared/SEMANTICS.md', 'socket-waits.ts', 'DESIGN.md', 'test/fixtures/kernel-own-pending/']);
  t.deepEqual(brokenReferences('README.md', 'see `src/transports/socket.ts`, socket-options.ts, Node.js, redis networking.c, `<file.json>`'), []);
});
