// switchboard: the socket HOWTO for Node.js. Sockets with the kernel's semantics, select(), a
// reactor, and protocol handlers that compose.
export * from './contract/index.js';
export * from './reactor/index.js';
export * from './transports/index.js';
export * from './protocols/index.js';
