#!/usr/bin/env bash
# npm run release:check: builds the four binaries with zig, checks what they link against,
# packs the five packages, publishes them to a verdaccio of its own on 127.0.0.1, installs nlkit
# from it in fresh folders and runs it on each target (see README "Releasing"). Prints ok/FAIL
# per check and exits non-zero on any failure. Needs root (apt-get, unshare -n).
source "$(dirname "$0")/env.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/registry.sh"
source "$HERE/smoke.sh"
trap registry_stop EXIT

bash "$HERE/deps.sh"
bash "$HERE/build.sh"
(cd "$ROOT" && npm run --silent build:ts)

# What each binary needs: gnu ones glibc <= 2.17, musl ones musl's libc.so only; all stripped.
glibc_max() { objdump -T "$1" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1; }
for t in "${TARGETS[@]}"; do
  read -r _ suffix <<<"$t"
  f=$OUT/bin/nlkit.$suffix.node
  printf 'size  %s %s bytes\n' "$suffix" "$(stat -c %s "$f")"
  check "$suffix: stripped" bash -c "file -b '$f' | grep -q ', stripped'"
  if [[ $suffix == *gnu ]]; then
    max=$(glibc_max "$f")
    check "$suffix: needs glibc $max at most (<= 2.17)" test "$(printf '%s\n2.17\n' "$max" | sort -V | tail -1)" = 2.17
  else
    needed=$(readelf -d "$f" | awk '/NEEDED/ { print $NF }' | tr -d '[]' | sort -u | tr '\n' ' ')
    check "$suffix: needs only musl's libc.so (NEEDED: $needed)" test "$needed" = "libc.so "
    check "$suffix: no glibc symbol versions" bash -c "! objdump -T '$f' | grep -q GLIBC_"
  fi
done

bash "$HERE/pack.sh"
registry_start
check "local registry up on $REGISTRY" curl -fs "${REGISTRY}-/ping" -o /dev/null
for tgz in "$OUT"/tgz/nlkit-linux-*.tgz "$OUT"/tgz/nlkit-[0-9]*.tgz; do
  check "publish $(basename "$tgz") to the local registry" \
    npm publish --userconfig "$NPMRC" --registry "$REGISTRY" --silent "$tgz"
done
check "nlkit's optionalDependencies name the four packages" bash -c \
  "npm view --userconfig '$NPMRC' nlkit optionalDependencies --json | grep -c 'nlkit-linux-' | grep -qx 4"
smoke_all
registry_stop

if [ "$FAILED" = 0 ]; then echo "release check: all passed"; else echo "release check: FAILED"; fi
exit "$FAILED"
