#!/usr/bin/env bash
# Runs a command inside a fresh, private network namespace that disappears with it:
# `unshare -n` as root, `unshare -rn` (a user namespace mapping us to root) otherwise.
set -euo pipefail
if [ "$(id -u)" = 0 ]; then
  exec unshare --net -- "$@"
else
  exec unshare --map-root-user --net -- "$@"
fi
