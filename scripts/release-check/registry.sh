# Sourced by run.sh: registry_start starts verdaccio on 127.0.0.1 with its storage in a temp dir
# and no uplinks (nothing is fetched from or published to anywhere else), makes a user and
# writes an npmrc ($NPMRC) with its token; registry_stop stops it.
# shellcheck shell=bash
registry_start() {
  REG_DIR=$(mktemp -d /tmp/nlkit-registry.XXXXXX)
  REG_PORT=${NLKIT_REGISTRY_PORT:-4873}
  REGISTRY=http://127.0.0.1:$REG_PORT/
  cat >"$REG_DIR/config.yaml" <<YAML
storage: $REG_DIR/storage
auth:
  htpasswd:
    file: $REG_DIR/htpasswd
uplinks: {}
packages:
  '**':
    access: \$all
    publish: \$authenticated
listen: 127.0.0.1:$REG_PORT
log: { type: file, path: $REG_DIR/verdaccio.log, level: warn }
YAML
  "$CACHE/verdaccio/node_modules/.bin/verdaccio" --config "$REG_DIR/config.yaml" >"$REG_DIR/out.log" 2>&1 &
  REG_PID=$!
  for _ in $(seq 100); do
    curl -fs "$REGISTRY-/ping" >/dev/null 2>&1 && break
    sleep 0.2
  done
  local token
  token=$(curl -fs -X PUT -H 'content-type: application/json' \
    -d '{"name":"release-check","password":"release-check"}' \
    "${REGISTRY}-/user/org.couchdb.user:release-check" | node -p 'JSON.parse(require("fs").readFileSync(0)).token')
  NPMRC=$REG_DIR/npmrc
  printf 'registry=%s\n//127.0.0.1:%s/:_authToken=%s\n' "$REGISTRY" "$REG_PORT" "$token" >"$NPMRC"
}

registry_stop() {
  if [ -n "${REG_PID:-}" ]; then kill "$REG_PID" 2>/dev/null || true; wait "$REG_PID" 2>/dev/null || true; fi
  [ -n "${REG_DIR:-}" ] && rm -rf "$REG_DIR"
}
