// The PROXY protocol layer (HAProxy's v1 and v2): the header reader, and the layer in front of a factory.
export { PROXY_V1_MAX_BYTES, PROXY_V2_SIGNATURE, ProxyHeaderError, type ProxyHeader, readProxyHeader } from './proxy-header.js';
export { DEFAULT_PROXY_HEADER_BYTES, DEFAULT_PROXY_HEADER_SECONDS, type PeerAdmission, type ProxyProtocolOptions, ProxyHeaderReader, withProxyProtocol } from './proxy-protocol.js';
export { type ClientAddresses, ClientAddressed } from './client-addressed.js';
