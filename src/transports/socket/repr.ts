// Python's repr of a socket (`<socket.socket fd=3, family=2, type=1, proto=0, laddr=(...)>`), with
// the family and type by name, which reads better in a log than CPython 3.12's numbers.
import type { Address } from '../address.js';
import { familyName } from '../address.js';
import type { AddressFamily } from '../constants.js';

/** What the printable form shows of a socket. */
export interface ReprFields {
  readonly fd: number;
  readonly family: AddressFamily;
  /** The local address, or null when there is none to show (closed, or an unnamed AF_UNIX socket). */
  readonly laddr: Address | null;
  /** The peer's address, or null when not connected. */
  readonly raddr: Address | null;
}

/** `<Socket fd=3, family=AF_INET, type=SOCK_STREAM, proto=0, laddr=('127.0.0.1', 5000)>`, `[closed]` as Python. */
export function socketRepr(fields: ReprFields): string {
  const closed = fields.fd < 0 ? ' [closed]' : '';
  let text = `<Socket${closed} fd=${fields.fd}, family=${familyName(fields.family)}, type=SOCK_STREAM, proto=0`;
  // CPython leaves out an address that is empty (an unnamed AF_UNIX socket's '').
  if (fields.laddr !== null && fields.laddr !== '') text += `, laddr=${pythonAddress(fields.laddr)}`;
  if (fields.raddr !== null && fields.raddr !== '') text += `, raddr=${pythonAddress(fields.raddr)}`;
  return `${text}>`;
}

/** An address as Python prints it: `('127.0.0.1', 5000)`, `('::1', 80, 0, 0)`, or the path. */
function pythonAddress(address: Address): string {
  if (typeof address === 'string') return address;
  const [host, ...numbers] = address;
  return `('${host}', ${numbers.join(', ')})`;
}
