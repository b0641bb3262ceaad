// Cuts a byte string at the given points (taken modulo its length, deduplicated, sorted): the
// random splits the property tests feed to their decoders.
export function cut<B extends Uint8Array>(bytes: B, points: readonly number[]): B[] {
  const sorted = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: B[] = [];
  let start = 0;
  for (const p of [...sorted, bytes.length]) {
    parts.push(bytes.subarray(start, p) as B);
    start = p;
  }
  return parts;
}
