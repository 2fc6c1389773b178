#!/usr/bin/env bash
# Verifies the e2e environment made by setup.sh (setup.sh calls it after building images, or
# with --verify). Usage: verify.sh REGISTRY RUNTIME_IMAGE BUILDER_IMAGE NODE_IMAGE
# Checks:
#   1. `docker build` uses BuildKit, `docker buildx` is available (docker driver);
#   2. a 3-stage build through all stand-ins (apt inside builds, offline `mix release` with
#      ERTS, npm install esbuild, release started as nobody in the runtime stand-in), exporting
#      its cache to the local registry (type=registry, mode=max);
#   3. a rebuild reports every step as CACHED (--progress=plain) / "cached": true (rawjson);
#   4. a build with --cache-from type=registry imports the cache (KN_E2E_VERIFY_PRUNE=1: and
#      hits it with the local build record removed; that mode invalidates the local cache);
#   5. `docker buildx bake` works.
set -euo pipefail

REGISTRY=${1:?registry}
RUNTIME_IMAGE=${2:?runtime image}
BUILDER_IMAGE=${3:?builder image}
NODE_IMAGE=${4:?node image}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_DIR=/var/log/kubenative-e2e
mkdir -p "$LOG_DIR"
export DOCKER_BUILDKIT=1
T0=$(date +%s)
log() { printf '[e2e-verify %3ss] %s\n' "$(( $(date +%s) - T0 ))" "$*" >&2; }
fail() { printf '[e2e-verify] FAILED: %s\n' "$*" >&2; exit 1; }

VERIFY_IMAGE=kubenative-test/verify:latest
VERIFY_CACHE="$REGISTRY/kubenative-test/verify:cache"
BUILD_ARGS=(--build-arg "BUILDER_IMAGE=$BUILDER_IMAGE" --build-arg "NODE_IMAGE=$NODE_IMAGE"
            --build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE")

# rawjson progress is a stream of (pretty-printed, multi-line) JSON objects on stderr;
# prints the names of the vertexes reported with "cached": true
cached_vertexes() {
  python3 -c '
import json, sys
s = sys.stdin.read(); dec = json.JSONDecoder(); i = 0; seen = {}
while i < len(s):
    while i < len(s) and s[i].isspace(): i += 1
    if i >= len(s): break
    o, i = dec.raw_decode(s, i)
    for v in o.get("vertexes") or []:
        if v.get("cached"): seen[v["digest"]] = v["name"]
print("\n".join(seen.values()))'
}

# 1. BuildKit / buildx
docker buildx version > /dev/null || fail "docker buildx is not available"
docker buildx inspect 2>/dev/null | grep -q 'Driver: *docker$' || fail "the default buildx builder does not use the docker driver"
log "buildx: $(docker buildx version)"

# 2. full build with registry cache export
log "full build through all stand-ins, --cache-to type=registry (log: $LOG_DIR/verify-build.log)"
if ! docker buildx build --progress=plain "${BUILD_ARGS[@]}" \
      --cache-to "type=registry,ref=$VERIFY_CACHE,mode=max" \
      -t "$VERIFY_IMAGE" "$HERE/verify" > "$LOG_DIR/verify-build.log" 2>&1; then
  tail -40 "$LOG_DIR/verify-build.log" >&2
  fail "verification build failed (log: $LOG_DIR/verify-build.log)"
fi
grep -q '^#1 \[internal\] load build definition' "$LOG_DIR/verify-build.log" || fail "build output is not BuildKit's"
grep -q 'exporting cache to registry' "$LOG_DIR/verify-build.log" || fail "no cache export to the registry in the build output"
curl -fsS -o /dev/null -H 'Accept: application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json' \
  "http://$REGISTRY/v2/kubenative-test/verify/manifests/cache" || fail "registry has no cache manifest $VERIFY_CACHE"
out=$(docker run --rm "$VERIFY_IMAGE") || fail "running the release in $RUNTIME_IMAGE failed"
[ "$out" = ok ] || fail "release printed '$out', expected 'ok'"
esb=$(docker run --rm "$VERIFY_IMAGE" cat /esbuild-version)
log "release (ERTS included, crypto+ssl loaded) runs as nobody in $RUNTIME_IMAGE; esbuild $esb installed by npm in $NODE_IMAGE"

# 3. rebuild is fully cached; plain and rawjson both show it
plain=$(docker build --progress=plain "${BUILD_ARGS[@]}" -t "$VERIFY_IMAGE" "$HERE/verify" 2>&1)
n_plain=$(grep -cE '^#[0-9]+ CACHED$' <<<"$plain" || true)
raw=$(docker build --progress=rawjson "${BUILD_ARGS[@]}" -t "$VERIFY_IMAGE" "$HERE/verify" 2>&1 >/dev/null)
n_raw=$(cached_vertexes <<<"$raw" | grep -c . || true)
n_steps=$(grep -cE '^(RUN|COPY|WORKDIR)' "$HERE/verify/Dockerfile")
[ "$n_raw" -ge "$n_steps" ] || fail "rawjson rebuild reported $n_raw cached vertexes, expected >= $n_steps"
[ "$n_plain" -ge "$n_steps" ] || fail "plain rebuild reported $n_plain CACHED lines, expected >= $n_steps"
log "rebuild: $n_plain '#N CACHED' lines (plain), $n_raw '\"cached\": true' vertexes (rawjson), $n_steps steps"

# 4. cache import from the registry. With KN_E2E_VERIFY_PRUNE=1 the probe's local build record
#    is pruned first, so the hit can only come from the registry. CAUTION: on this engine
#    (dockerd 26.1 + containerd snapshotter) pruning even one build record makes EVERY local
#    cache lookup miss afterwards (data stays on disk), so that mode costs everyone using this
#    dockerd their warm cache; it is off by default.
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
nonce="kn-cache-probe-$(date +%s%N)"
probe_img=kubenative-test/cache-probe:latest
probe_cache="$REGISTRY/kubenative-test/cache-probe:cache"
printf 'FROM %s\nRUN echo %s > /probe && sleep 2\n' "$RUNTIME_IMAGE" "$nonce" > "$probe_dir/Dockerfile"
docker buildx build -q --cache-to "type=registry,ref=$probe_cache,mode=max" -t "$probe_img" "$probe_dir" > /dev/null 2>"$LOG_DIR/verify-probe.log" \
  || { cat "$LOG_DIR/verify-probe.log" >&2; fail "probe build failed"; }
docker rmi "$probe_img" > /dev/null
if [ "${KN_E2E_VERIFY_PRUNE:-0}" = 1 ]; then
  for id in $(docker buildx du --verbose | awk -v n="$nonce" '/^ID:/ { id = $2 } /^Description:/ && index($0, n) { print id }'); do
    docker builder prune -f --filter "id=$id" > /dev/null
  done
fi
raw=$(docker buildx build --progress=rawjson --cache-from "type=registry,ref=$probe_cache" -t "$probe_img" "$probe_dir" 2>&1 >/dev/null) \
  || { printf '%s\n' "$raw" | tail -20 >&2; fail "build with --cache-from type=registry failed"; }
grep -q 'importing cache manifest from' <<<"$raw" || fail "no cache import from the registry"
cached_vertexes <<<"$raw" | grep -q "$nonce" || fail "the probe step was not a cache hit (cache from $probe_cache)"
docker rmi "$probe_img" > /dev/null
if [ "${KN_E2E_VERIFY_PRUNE:-0}" = 1 ]; then
  log "cache hit imported from the registry alone (local record pruned; --cache-from type=registry,ref=$probe_cache)"
else
  log "cache manifest imported from the registry, probe step cached (set KN_E2E_VERIFY_PRUNE=1 to prove it came from the registry)"
fi

# 5. bake
cat > "$probe_dir/docker-bake.hcl" <<EOF
target "probe" {
  context    = "."
  dockerfile = "Dockerfile"
  tags       = ["$probe_img"]
  cache-from = ["type=registry,ref=$probe_cache"]
}
EOF
(cd "$probe_dir" && docker buildx bake --progress=plain probe > "$LOG_DIR/verify-bake.log" 2>&1) \
  || { tail -20 "$LOG_DIR/verify-bake.log" >&2; fail "docker buildx bake failed"; }
docker rmi "$probe_img" > /dev/null
log "docker buildx bake works"
log "all checks passed"
