// The request methods llhttp knows for HTTP/1.x (llhttp's METHODS_HTTP1): RFC 9110's, WebDAV,
// Subversion, UPnP, CalDAV, PURGE, QUERY, SOURCE. Any other token is rejected with 400, as node:http
// does; RTSP's methods and HTTP/2's PRI are not HTTP/1.x methods.

import { NameTable } from './name-table.js';

/** Method names, case-sensitive (RFC 9110 section 9.1). */
export const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'DELETE', 'GET', 'HEAD', 'POST', 'PUT', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'LINK', 'UNLINK',
  'COPY', 'LOCK', 'MKCOL', 'MOVE', 'PROPFIND', 'PROPPATCH', 'SEARCH', 'UNLOCK', 'BIND', 'REBIND', 'UNBIND', 'ACL',
  'REPORT', 'MKACTIVITY', 'CHECKOUT', 'MERGE',
  'M-SEARCH', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE',
  'MKCALENDAR', 'PURGE', 'QUERY', 'SOURCE',
]);

/** The longest name above: a longer method is rejected before its space arrives. */
export const MAX_METHOD_LENGTH = 11;

/** KNOWN_METHODS found from a request's bytes: each method is one shared string. */
export const METHOD_NAMES = new NameTable([...KNOWN_METHODS], false);
