// The `Date` header's value (RFC 9110 section 6.6.1: an origin server with a clock MUST send it),
// formatted once per second and shared by every response of that second.

let cachedSecond = Number.NaN;
let cachedText = '';

/**
 * `now` (milliseconds since the epoch, default Date.now()) as an IMF-fixdate (RFC 9110 section
 * 5.6.7), for example `Sun, 06 Nov 1994 08:49:37 GMT`. The text of the last second asked is kept,
 * so a busy server formats the date once per second, not once per response.
 */
export function httpDate(now: number = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedText = new Date(second * 1000).toUTCString();
  }
  return cachedText;
}
