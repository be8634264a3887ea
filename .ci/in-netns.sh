#!/usr/bin/env bash
# Runs a command inside a fresh, private network namespace that disappears with it:
# `unshare -n` as root, `unshare -rn` (a user namespace mapping us to root) otherwise.
# A private mount namespace with its own /run/netns keeps namespaces created by tests
# (netnsCreate, `ip netns add`) away from the host's.
set -euo pipefail
user=()
[ "$(id -u)" = 0 ] || user=(--map-root-user)
exec unshare "${user[@]}" --net --mount -- sh -c 'mkdir -p /run/netns && mount -t tmpfs nlkit-netns /run/netns && exec "$@"' in-netns "$@"
