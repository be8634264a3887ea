#!/usr/bin/env bash
# Packs the five packages as napi prepublish would shape them: each npm/<target> package with
# its binary (from build.sh) and LICENSE, and nlkit with optionalDependencies on the four at its
# version. Tarballs go to $OUT/tgz; the checkout's package.json files are not changed.
source "$(dirname "$0")/env.sh"
VERSION=$(node -p "require('$ROOT/package.json').version")
rm -rf "$OUT/stage" "$OUT/tgz"
mkdir -p "$OUT/stage" "$OUT/tgz"

for t in "${TARGETS[@]}"; do
  read -r _ suffix <<<"$t"
  d=$OUT/stage/$suffix
  cp -r "$ROOT/npm/$suffix" "$d"
  cp "$OUT/bin/nlkit.$suffix.node" "$ROOT/LICENSE" "$d/"
  node -e "const f='$d/package.json',p=require(f);p.version='$VERSION';require('fs').writeFileSync(f,JSON.stringify(p,null,2))"
  (cd "$d" && npm pack --silent --pack-destination "$OUT/tgz" >/dev/null)
done

# nlkit itself: the files npm would pack from the checkout, then the optionalDependencies.
d=$OUT/stage/nlkit
mkdir -p "$d"
(cd "$ROOT" && npm pack --dry-run --json --silent) | node -e '
  const files = JSON.parse(require("fs").readFileSync(0, "utf8"))[0].files.map((f) => f.path)
  console.log(files.join("\n"))' | (cd "$ROOT" && xargs -I{} cp --parents {} "$d/")
node -e "
  const f = '$d/package.json', p = require(f)
  p.optionalDependencies = Object.fromEntries(p.napi.targets.map((t) => {
    const [arch, , , libc] = t.split('-')
    return ['nlkit-linux-' + (arch === 'x86_64' ? 'x64' : 'arm64') + '-' + libc, p.version]
  }))
  require('fs').writeFileSync(f, JSON.stringify(p, null, 2))"
(cd "$d" && npm pack --silent --pack-destination "$OUT/tgz" >/dev/null)
ls "$OUT/tgz"
