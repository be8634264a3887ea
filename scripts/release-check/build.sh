#!/usr/bin/env bash
# Builds the binding for the four Linux targets with zig (cargo-zigbuild), so that the gnu
# binaries need only glibc 2.17 and the musl ones only musl libc; puts them in $OUT/bin as
# nlkit.linux-<arch>-<libc>.node, the names napi and load.cjs use.
source "$(dirname "$0")/env.sh"

if [ ! -x "$ZIGVENV/bin/cargo-zigbuild" ]; then
  python3 -m venv "$ZIGVENV"
  "$ZIGVENV/bin/pip" install --quiet ziglang cargo-zigbuild
fi
export PATH="$ZIGVENV/bin:$PATH"
rustup target add x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl >/dev/null 2>&1

mkdir -p "$OUT/bin"
for t in "${TARGETS[@]}"; do
  read -r triple suffix <<<"$t"
  base=${triple%.2.17}
  # cdylib on musl: Rust links musl statically by default, a Node addon must not (it shares the
  # process's libc); -crt-static makes it a dynamic library against the process's musl.
  if [[ $base == *musl ]]; then export RUSTFLAGS="-C target-feature=-crt-static"; else unset RUSTFLAGS; fi
  cargo zigbuild --quiet --release -p nlkit-node --target "$triple" --target-dir "$ROOT/target/zig"
  cp "$ROOT/target/zig/$base/release/libnlkit_node.so" "$OUT/bin/nlkit.$suffix.node"
  echo "built nlkit.$suffix.node"
done
