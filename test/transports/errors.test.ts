// The errno-to-class table and the helpers around it, checked against Python's own mapping
// (Objects/exceptions.c) and Linux's errno numbers.
import test from 'ava';
import { constants } from 'node:os';
import {
  BlockingIOError,
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  FileExistsError,
  FileNotFoundError,
  InterruptedError,
  OSError,
  PermissionError,
  TimeoutError,
  ValueError,
  codeOf,
  errnoOf,
  gaierror,
  isWouldBlock,
  raisedBy,
  socketError,
  timedOut,
} from '../../src/transports/errors.js';
import { ValueError as ReactorValueError } from '../../src/reactor/value-error.js';

type ErrorClass = abstract new (code: string, message?: string, syscall?: string) => OSError;

const TABLE: readonly (readonly [string, ErrorClass, string])[] = [
  ['EAGAIN', BlockingIOError, 'BlockingIOError'],
  ['EWOULDBLOCK', BlockingIOError, 'BlockingIOError'],
  ['EALREADY', BlockingIOError, 'BlockingIOError'],
  ['EINPROGRESS', BlockingIOError, 'BlockingIOError'],
  ['EPIPE', BrokenPipeError, 'BrokenPipeError'],
  ['ESHUTDOWN', BrokenPipeError, 'BrokenPipeError'],
  ['ECONNABORTED', ConnectionAbortedError, 'ConnectionAbortedError'],
  ['ECONNREFUSED', ConnectionRefusedError, 'ConnectionRefusedError'],
  ['ECONNRESET', ConnectionResetError, 'ConnectionResetError'],
  ['ENOENT', FileNotFoundError, 'FileNotFoundError'],
  ['EEXIST', FileExistsError, 'FileExistsError'],
  ['EACCES', PermissionError, 'PermissionError'],
  ['EPERM', PermissionError, 'PermissionError'],
  ['EINTR', InterruptedError, 'InterruptedError'],
  ['ETIMEDOUT', TimeoutError, 'TimeoutError'],
];

test('socketError picks the class Python raises for each code in the table', (t) => {
  for (const [code, Class, name] of TABLE) {
    const error = socketError(code, 'recv');
    t.true(error instanceof Class, code);
    t.true(error instanceof OSError, code);
    t.true(error instanceof Error, code);
    t.is(error.name, name, code);
    t.is(error.code, code);
    t.is(error.errno, errnoOf(code), code);
    // Node's os.constants.errno has no ESHUTDOWN: Linux's 108 comes from errors.ts's own table.
    t.is(error.errno, code === 'ESHUTDOWN' ? 108 : constants.errno[code as keyof typeof constants.errno], code);
    t.is(error.syscall, 'recv');
  }
});

test('socketError falls back to a plain OSError for codes outside the table', (t) => {
  for (const code of ['EBADF', 'EINVAL', 'EISCONN', 'ENOTCONN', 'EADDRINUSE', 'ENOPROTOOPT', 'EMFILE']) {
    const error = socketError(code);
    t.is(Object.getPrototypeOf(error), OSError.prototype, code);
    t.is(error.name, 'OSError');
    t.is(error.code, code);
    t.is(error.errno, errnoOf(code));
    t.is(error.syscall, undefined);
  }
});

test('The four connection errors share ConnectionError as their base, as in Python', (t) => {
  for (const Class of [BrokenPipeError, ConnectionAbortedError, ConnectionRefusedError, ConnectionResetError]) {
    t.true(new Class('EPIPE') instanceof ConnectionError);
  }
  t.false(new BlockingIOError('EAGAIN') instanceof ConnectionError);
  t.false(new TimeoutError('ETIMEDOUT') instanceof ConnectionError);
});

test('OSError messages read as Python prints them; the call is in syscall, not in the text', (t) => {
  const reset = socketError('ECONNRESET', 'recv');
  t.is(reset.message, '[Errno 104] Connection reset by peer');
  t.is(reset.syscall, 'recv');
  t.is(socketError('ECONNREFUSED', 'connect').message, '[Errno 111] Connection refused');
  t.is(socketError('EAGAIN').message, '[Errno 11] Resource temporarily unavailable');
  // glibc's strerror texts, as python3 -c "import os; print(os.strerror(24))" prints them.
  t.is(socketError('EMFILE').message, '[Errno 24] Too many open files');
  t.is(socketError('ESHUTDOWN').message, '[Errno 108] Cannot send after transport endpoint shutdown');
  // A code without a description shows the code itself.
  t.is(socketError('ENOSUCHCODE').message, '[Errno 0] ENOSUCHCODE');
  t.is(socketError('EPIPE', 'send', 'custom words').message, 'custom words');
});

test('A settimeout timeout is Python socket.timeout: TimeoutError with no errno, "timed out"', (t) => {
  const error = timedOut('recv');
  t.true(error instanceof TimeoutError);
  t.true(error instanceof OSError);
  t.is(error.errno, null);
  t.is(error.message, 'timed out');
  t.is(error.syscall, 'recv');
  t.is(error.code, 'ETIMEDOUT');
});

test('raisedBy gives a pending error the call that takes it, keeping its class and text', (t) => {
  const pending = socketError('ECONNREFUSED', 'recv');
  const raised = raisedBy(pending, 'connect');
  t.true(raised instanceof ConnectionRefusedError);
  t.is(raised.syscall, 'connect');
  t.is(raised.message, '[Errno 111] Connection refused');
  t.is(raised.errno, 111);
  t.is(raisedBy(raised, 'connect'), raised);
  const custom = socketError('EPIPE', 'recv', 'custom words');
  t.is(raisedBy(custom, 'send').message, 'custom words');
  // Classes outside the errno table keep their own form.
  const lookup = new gaierror('ENOTFOUND', 'getaddrinfo nowhere.invalid: ENOTFOUND');
  t.is(raisedBy(lookup, 'connect'), lookup);
});

test('errnoOf gives Linux errno numbers and 0 for an unknown code', (t) => {
  t.is(errnoOf('EAGAIN'), 11);
  t.is(errnoOf('ECONNRESET'), 104);
  t.is(errnoOf('EPIPE'), 32);
  t.is(errnoOf('EINPROGRESS'), 115);
  t.is(errnoOf('ENOSUCHCODE'), 0);
  // Resolver codes get getaddrinfo's negative EAI_* numbers, as Python's gaierror has them.
  t.is(errnoOf('ENOTFOUND'), -2);
  t.is(errnoOf('EAI_AGAIN'), -3);
  t.is(new gaierror('ENOTFOUND').errno, -2);
});

test('codeOf turns errno numbers back into codes, EAGAIN before its alias EWOULDBLOCK', (t) => {
  t.is(codeOf(11), 'EAGAIN');
  t.is(codeOf(104), 'ECONNRESET');
  t.is(codeOf(111), 'ECONNREFUSED');
  t.is(codeOf(9), 'EBADF');
  for (const code of ['EPIPE', 'ENOTCONN', 'EISCONN', 'EALREADY', 'ETIMEDOUT']) t.is(codeOf(errnoOf(code)), code);
  t.is(codeOf(987654), '987654');
  t.is(codeOf(-3), 'EAI_AGAIN');
  t.is(codeOf(-99), '-99');
});

test('isWouldBlock is true only for BlockingIOError', (t) => {
  t.true(isWouldBlock(socketError('EAGAIN')));
  t.true(isWouldBlock(socketError('EINPROGRESS')));
  t.true(isWouldBlock(new BlockingIOError('EALREADY')));
  t.false(isWouldBlock(new OSError('EAGAIN')));
  t.false(isWouldBlock(socketError('ECONNRESET')));
  t.false(isWouldBlock(new Error('EAGAIN')));
  t.false(isWouldBlock('EAGAIN'));
  t.false(isWouldBlock(undefined));
});

test('ValueError is the reactor layer class and carries no errno', (t) => {
  t.is(ValueError, ReactorValueError);
  const error = new ValueError('bad');
  t.true(error instanceof Error);
  t.false(error instanceof OSError);
  t.is(error.name, 'ValueError');
  t.false('errno' in error);
});

test('gaierror is an OSError carrying the resolver code', (t) => {
  const error = new gaierror('ENOTFOUND', 'getaddrinfo nowhere.invalid: ENOTFOUND');
  t.true(error instanceof OSError);
  t.is(error.name, 'gaierror');
  t.is(error.code, 'ENOTFOUND');
  t.is(error.message, 'getaddrinfo nowhere.invalid: ENOTFOUND');
});
