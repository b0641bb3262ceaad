// Which rules a socket of each address family follows: a table, as Linux picks proto_ops by family.
import { AF_INET, AF_INET6, AF_UNIX, type AddressFamily } from '../constants.js';
import type { FamilyRules } from './family.js';
import { TCP_RULES } from './tcp.js';
import { UNIX_RULES } from './unix.js';

const RULES: ReadonlyMap<AddressFamily, FamilyRules> = new Map([
  [AF_INET, TCP_RULES],
  [AF_INET6, TCP_RULES],
  [AF_UNIX, UNIX_RULES],
]);

/** The rules of `family`, or undefined for a family switchboard does not emulate. */
export function rulesFor(family: number): FamilyRules | undefined {
  return RULES.get(family as AddressFamily);
}
