# Shared by the release-check scripts: where things go, and the tools on PATH.
# shellcheck shell=bash
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${NLKIT_CACHE:-$HOME/.cache/nlkit}
OUT=${NLKIT_RELEASE_OUT:-$ROOT/target/release-check}
ZIGVENV=$CACHE/zigvenv
# The four targets: Rust triple (gnu ones with the glibc they link against) and napi suffix.
TARGETS=(
  "x86_64-unknown-linux-gnu.2.17 linux-x64-gnu"
  "aarch64-unknown-linux-gnu.2.17 linux-arm64-gnu"
  "x86_64-unknown-linux-musl linux-x64-musl"
  "aarch64-unknown-linux-musl linux-arm64-musl"
)
FAILED=0
ok() { printf 'ok    %s\n' "$*"; }
fail() {
  printf 'FAIL  %s\n' "$*"
  FAILED=1
}
# check NAME CMD...: runs CMD, prints ok/FAIL NAME.
check() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else fail "$name"; fi
}
