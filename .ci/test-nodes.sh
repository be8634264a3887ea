#!/usr/bin/env bash
# The JavaScript suite again on each Node.js major version users run (20 is the machine's own and
# runs in `npm test`). The native binary is Node-API, built once by `npm test` before this.
set -euo pipefail
cd "$(dirname "$0")/.."
failed=()
for major in ${NLKIT_NODES:-22 24 26}; do
  bin=$(bash .ci/node.sh "$major")
  echo "== ava on Node $("$bin/node" --version)"
  PATH="$bin:$PATH" bash .ci/in-netns.sh node node_modules/ava/entrypoints/cli.mjs || failed+=("$major")
done
# Every version runs even when one fails, so that one CI run shows them all.
[ ${#failed[@]} -eq 0 ] || { echo "failed on Node ${failed[*]}" >&2; exit 1; }
