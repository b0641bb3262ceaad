/**
 * The socket HOWTO for Node.js: sockets with the kernel's semantics, select(), a reactor, and
 * protocol handlers that compose. Import from `switchboard`; test helpers are in `switchboard/testing`.
 *
 * @module switchboard
 */
export * from './bytes/index.js';
export * from './contract/index.js';
export * from './reactor/index.js';
export * from './transports/index.js';
export * from './protocols/index.js';
