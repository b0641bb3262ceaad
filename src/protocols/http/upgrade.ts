// HTTP Upgrade (RFC 9110 section 7.8): which requests ask to switch protocols, and whether one offers
// a given protocol. What the server then does (101 and a handoff) is in http-server.ts and response.ts.
import type { HttpRequest } from './request-parser.js';

/** Splits a comma-separated header list (all fields of that name), trimmed, empty items dropped. */
function listOf(headers: readonly (readonly [string, string])[], name: string): string[] {
  return headers
    .filter(([n]) => n === name)
    .flatMap(([, value]) => value.split(','))
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/**
 * The protocols a request offers to upgrade to, in its order, if it asks to: HTTP/1.1 (RFC 9110 7.8:
 * a server must ignore Upgrade in an HTTP/1.0 request), an `upgrade` Connection option (without it
 * the header was not meant for this hop) and a non-empty Upgrade header. Undefined otherwise.
 */
export function upgradeOffer(minorVersion: 0 | 1, headers: readonly (readonly [string, string])[]): readonly string[] | undefined {
  if (minorVersion !== 1) return undefined;
  if (!listOf(headers, 'connection').some((option) => option.toLowerCase() === 'upgrade')) return undefined;
  const offered = listOf(headers, 'upgrade');
  return offered.length > 0 ? offered : undefined;
}

/** Whether `request` asks to upgrade and offers `name` (compared without regard to case). */
export function offersUpgrade(request: HttpRequest, name: string): boolean {
  const wanted = name.toLowerCase();
  return request.upgrade?.some((offered) => offered.toLowerCase() === wanted) ?? false;
}
