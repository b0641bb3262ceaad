// The contract between layers: a Protocol receives a connection's events, a Transport carries its
// writes, a Factory builds one Protocol per connection, and the errors any Transport throws. Every
// layer above src/reactor may import this folder, as types and as values; it imports nothing.
export type { Protocol } from './protocol.js';
export type { Transport } from './transport.js';
export type { Factory } from './factory.js';
export type { Address, IPv4Address, IPv6Address } from './address.js';
export { TransportClosedError } from './transport-closed-error.js';
export { NotConnectedError } from './not-connected-error.js';
