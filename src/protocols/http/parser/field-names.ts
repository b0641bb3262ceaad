// The header field names clients send most (browsers, curl, wrk, node's and Python's clients,
// proxies), found from their bytes in any case: each is one shared lower-case string, so a request
// made of them costs no string per name.
import { NameTable } from './name-table.js';

/** Common request field names, lower case. Any other name is sliced from the head and lower-cased. */
export const FIELD_NAMES = new NameTable(
  [
    'host', 'user-agent', 'accept', 'accept-encoding', 'accept-language', 'accept-charset', 'connection', 'keep-alive',
    'content-length', 'content-type', 'content-encoding', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect',
    'cookie', 'authorization', 'proxy-authorization', 'referer', 'origin', 'cache-control', 'pragma', 'range',
    'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'if-range', 'date', 'via',
    'forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip', 'x-requested-with',
    'dnt', 'sec-fetch-dest', 'sec-fetch-mode', 'sec-fetch-site', 'sec-fetch-user', 'upgrade-insecure-requests',
    'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol', 'sec-websocket-extensions',
  ],
  true,
);
