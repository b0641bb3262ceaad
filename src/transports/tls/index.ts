// TLS over node:tls, as Python's ssl module: contexts, the non-blocking SSLSocket, its errors.
export * from './errors.js';
export { CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED, TLSContext, createDefaultContext } from './tls-context.js';
export type { VerifyMode, TLSPurpose, PemInput, TLSContextOptions, TLSSettings, DefaultContextOptions } from './tls-context.js';
export { SSLSocket, type WrapSocketOptions } from './ssl-socket.js';
export type { PeerCertificate, CipherInfo } from './peer-info.js';
export { listenTLS, connectTLS, serveTLSConnection, type ListenTLSOptions, type ConnectTLSOptions } from './endpoints-tls.js';
