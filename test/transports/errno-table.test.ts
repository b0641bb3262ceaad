// The errno -> exception table is CPython's (issue 17): every errno Linux has maps to the class
// PyErr_SetFromErrno picks, with the same number and the message Python prints, and a timeout is
// socket.timeout (TimeoutError, errno None, "timed out"). The reference is a committed fixture
// written by test/fixtures/cpython/errno-table.py, so the test does not depend on the python3 on PATH.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { codeOf, errnoOf, socketError, timedOut } from '../../src/transports/errors.js';

interface CPythonTable {
  readonly python: string;
  readonly entries: readonly { readonly code: string; readonly errno: number; readonly class: string; readonly message: string }[];
  readonly aliases: Readonly<Record<string, string>>;
  readonly timeout: { readonly class: string; readonly errno: number | null; readonly message: string };
}

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/cpython/errno-table.json', import.meta.url));
// The fixture is our own committed file, written by the script beside it.
const table = JSON.parse(readFileSync(FIXTURE, 'utf8')) as CPythonTable;

test('the CPython fixture holds the whole Linux errno table', (t) => {
  t.true(table.entries.length >= 130, `${table.entries.length} entries from Python ${table.python}`);
});

test('every errno raises the class, number and message CPython gives it', (t) => {
  const differences: string[] = [];
  for (const entry of table.entries) {
    const error = socketError(entry.code, 'recv');
    const got = `${error.constructor.name} ${String(error.errno)} ${error.message}`;
    const want = `${entry.class} ${entry.errno} ${entry.message}`;
    if (got !== want) differences.push(`${entry.code}: got ${got}, CPython ${want}`);
  }
  t.deepEqual(differences, []);
});

test('aliases (EWOULDBLOCK, EDEADLK, EOPNOTSUPP) raise what their canonical errno raises', (t) => {
  t.true(Object.keys(table.aliases).length >= 3);
  for (const [alias, canonical] of Object.entries(table.aliases)) {
    const a = socketError(alias, 'send');
    const c = socketError(canonical, 'send');
    t.is(a.constructor, c.constructor, alias);
    t.is(a.errno, c.errno, alias);
  }
});

test('errnoOf and codeOf go both ways over the whole table', (t) => {
  for (const entry of table.entries) {
    t.is(errnoOf(entry.code), entry.errno, entry.code);
    t.is(errnoOf(codeOf(entry.errno)), entry.errno, `${entry.errno}`);
  }
});

test('a settimeout timeout is socket.timeout: TimeoutError with no errno, "timed out"', (t) => {
  const error = timedOut('recv');
  t.is(error.constructor.name, table.timeout.class);
  t.is(error.errno, table.timeout.errno);
  t.is(error.message, table.timeout.message);
  t.is(error.syscall, 'recv');
});
