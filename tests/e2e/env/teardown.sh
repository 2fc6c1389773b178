#!/usr/bin/env bash
# Stops what tests/e2e/env/setup.sh started: the local registry, dockerd and containerd
# (only the processes whose pids setup.sh recorded; a daemon started some other way is left
# alone). Packages stay installed.
#
# Usage: tests/e2e/env/teardown.sh [--purge]
#   --purge  also delete the kubenative-test/* images, the registry's storage, the cached
#            rootfs tarball and the env files, so that the next setup.sh starts from scratch
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN_DIR=/run/kubenative-e2e
VAR_DIR=/var/lib/kubenative-e2e
CACHE_DIR=/var/cache/kubenative-e2e
PURGE=0
case "${1:-}" in
  --purge) PURGE=1 ;;
  "") ;;
  *) echo "usage: $0 [--purge]" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "teardown.sh: must run as root" >&2; exit 1; }
log() { printf '[e2e-teardown] %s\n' "$*" >&2; }

stop() { # stop NAME: SIGTERM the pid in $RUN_DIR/NAME.pid if it still runs NAME, wait for it
  local name=$1 pidfile="$RUN_DIR/$1.pid" pid
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
    log "stopping $name (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) ignored SIGTERM for 30s, sending SIGKILL"
      kill -9 "$pid" 2>/dev/null || true
    fi
  else
    log "$name: not running (or not started by setup.sh)"
  fi
  rm -f "$pidfile"
}

if [ "$PURGE" = 1 ] && docker info > /dev/null 2>&1; then
  # A tag-less image (a stand-in whose tag a rebuild moved away) lists as REPO:<none>, which
  # docker rmi refuses ("invalid reference format"): it is removed by its image ID instead.
  imgs=$(docker image ls --format '{{.Repository}} {{.Tag}} {{.ID}}' \
    | awk '$1 ~ /^(127\.0\.0\.1:[0-9]+\/)?kubenative-test\// { print ($2 == "<none>" ? $3 : $1 ":" $2) }' \
    | sort -u)
  if [ -n "$imgs" ]; then
    log "removing images: $(echo "$imgs" | tr '\n' ' ')"
    # shellcheck disable=SC2086
    docker rmi -f $imgs > /dev/null || true
  fi
fi

stop docker-registry
stop dockerd
stop containerd

if [ "$PURGE" = 1 ]; then
  log "removing registry storage, rootfs cache and env files"
  rm -rf "$VAR_DIR/registry" "$CACHE_DIR" "$VAR_DIR/env" "$HERE/.state"
fi
log "done"
