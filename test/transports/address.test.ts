// Address helpers: Python's address shapes, resolution that needs no waiting, readable forms.
import test from 'ava';
import {
  addressText,
  checkHostFamily,
  familyName,
  formatAddress,
  ipEndpoint,
  isWildcard,
  numericHost,
  unixPath,
  unnamedAddress,
} from '../../src/transports/address.js';
import { AF_INET, AF_INET6, AF_UNIX } from '../../src/transports/constants.js';
import { ValueError } from '../../src/transports/errors.js';

test('addressText writes IPv4 as host:port, IPv6 in brackets and paths as they are', (t) => {
  t.is(addressText(['127.0.0.1', 80]), '127.0.0.1:80');
  t.is(addressText(['::1', 8080, 0, 0]), '[::1]:8080');
  t.is(addressText('/tmp/x.sock'), '/tmp/x.sock');
  t.is(addressText(''), '(unnamed)');
});

test('formatAddress and unnamedAddress give the shapes getsockname shows per family', (t) => {
  t.deepEqual(formatAddress(AF_INET, '127.0.0.1', 1), ['127.0.0.1', 1]);
  t.deepEqual(formatAddress(AF_INET6, '::1', 1), ['::1', 1, 0, 0]);
  t.deepEqual(unnamedAddress(AF_INET), ['0.0.0.0', 0]);
  t.deepEqual(unnamedAddress(AF_INET6), ['::', 0, 0, 0]);
  t.is(unnamedAddress(AF_UNIX), '');
});

test('numericHost resolves only what needs no lookup', (t) => {
  t.is(numericHost(AF_INET, ''), '0.0.0.0');
  t.is(numericHost(AF_INET6, ''), '::');
  t.is(numericHost(AF_INET, 'localhost'), '127.0.0.1');
  t.is(numericHost(AF_INET6, 'localhost'), '::1');
  t.is(numericHost(AF_INET, '10.1.2.3'), '10.1.2.3');
  t.is(numericHost(AF_INET6, 'fe80::1'), 'fe80::1');
  t.is(numericHost(AF_INET, 'www.python.org'), undefined);
  t.is(numericHost(AF_INET6, '127.0.0.1'), undefined);
});

test('ipEndpoint and unixPath check the argument shapes', (t) => {
  t.deepEqual(ipEndpoint(AF_INET6, ['::1', 5, 0, 0]), { host: '::1', port: 5 });
  t.throws(() => ipEndpoint(AF_INET6, '/path'), { instanceOf: TypeError, message: /AF_INET6/ });
  t.throws(() => ipEndpoint(AF_INET, ['x', 1.5]), { instanceOf: RangeError });
  t.is(unixPath('/p'), '/p');
  t.throws(() => unixPath(['127.0.0.1', 1]), { instanceOf: TypeError });
});

test('checkHostFamily refuses a numeric host of the other family', (t) => {
  t.throws(() => checkHostFamily(AF_INET, '::1'), { instanceOf: ValueError });
  t.throws(() => checkHostFamily(AF_INET6, '127.0.0.1'), { instanceOf: ValueError });
  t.notThrows(() => checkHostFamily(AF_INET, 'example.org'));
  t.notThrows(() => checkHostFamily(AF_INET6, '::1'));
});

test('isWildcard and familyName', (t) => {
  t.true(isWildcard('0.0.0.0'));
  t.true(isWildcard('::'));
  t.false(isWildcard('127.0.0.1'));
  t.is(familyName(AF_INET), 'AF_INET');
  t.is(familyName(AF_INET6), 'AF_INET6');
  t.is(familyName(AF_UNIX), 'AF_UNIX');
});
