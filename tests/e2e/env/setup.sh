#!/usr/bin/env bash
# Sets up the end-to-end test environment for kubenative on a Debian 12 (bookworm) host:
#   * Docker engine with BuildKit (Debian 13's docker.io/docker-cli/docker-buildx on Debian 12)
#     and the containerd image store, started in the background when not running;
#   * a local registry (Debian's docker-registry) on 127.0.0.1:<free port>;
#   * offline stand-in base images built from Debian packages and pushed to that registry;
#   * an env file with the resulting facts (see README.md beside this file).
# Idempotent: when everything is already up it only checks and rewrites the env file.
#
# Usage: tests/e2e/env/setup.sh [--rebuild] [--verify] [--no-verify] [--quiet]
#   --rebuild    rebuild (and re-push) the stand-in images even if present
#   --verify     run the full verification build (also done automatically after any image build)
#   --no-verify  skip the verification build even after building images
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE_DIR="$HERE/.state"
VAR_DIR=/var/lib/kubenative-e2e
RUN_DIR=/run/kubenative-e2e
LOG_DIR=/var/log/kubenative-e2e
CACHE_DIR=/var/cache/kubenative-e2e
ENV_FILE="$STATE_DIR/env"
GLOBAL_ENV_FILE="$VAR_DIR/env"
CONTAINERD_SOCK=/run/containerd/containerd.sock
IMAGE_NS=kubenative-test
RUNTIME_IMAGE="$IMAGE_NS/debian:bookworm-slim"
DAEMON_TIMEOUT=${KN_E2E_DAEMON_TIMEOUT:-90}

REBUILD=0
VERIFY=auto
QUIET=0
for arg in "$@"; do
  case "$arg" in
    --rebuild) REBUILD=1 ;;
    --verify) VERIFY=yes ;;
    --no-verify) VERIFY=no ;;
    --quiet) QUIET=1 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "setup.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

T0=$(date +%s)
log() { [ "$QUIET" = 1 ] || printf '[e2e-env %3ss] %s\n' "$(( $(date +%s) - T0 ))" "$*" >&2; }
die() { printf '[e2e-env] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (installs packages and starts dockerd)"
[ -r /etc/os-release ] || die "/etc/os-release missing"
# shellcheck disable=SC1091
. /etc/os-release
[ "${ID:-}" = debian ] || die "only Debian is supported (found ${ID:-unknown})"
CODENAME=${VERSION_CODENAME:?}
[ "$CODENAME" = bookworm ] || log "warning: written for Debian 12 (bookworm), this is $CODENAME"
HOST_ARCH=$(dpkg --print-architecture)

mkdir -p "$STATE_DIR" "$VAR_DIR" "$RUN_DIR" "$LOG_DIR" "$CACHE_DIR"
# One setup at a time (several test runs may call this concurrently).
exec 9>"$RUN_DIR/setup.lock"
flock -w 3600 9 || die "timed out waiting for another setup.sh (lock $RUN_DIR/setup.lock)"

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

# ---------------------------------------------------------------------------------------------
# apt sources: everything is derived from the system's own sources, no host name is hard-coded
# ---------------------------------------------------------------------------------------------
SYSTEM_SOURCES=
if [ -r /etc/apt/sources.list.d/debian.sources ]; then
  SYSTEM_SOURCES=/etc/apt/sources.list.d/debian.sources
elif [ -s /etc/apt/sources.list ]; then
  SYSTEM_SOURCES=/etc/apt/sources.list
fi

# Prints "URI SUITE SIGNED_BY" for every enabled `deb` entry of the system sources.
apt_entries() {
  [ -n "$SYSTEM_SOURCES" ] || return 0
  case "$SYSTEM_SOURCES" in
    *.sources)
      awk '
        function flush(   n, m, i, j, u, s) {
          if (types ~ /(^|[[:space:]])deb([[:space:]]|$)/ && enabled != "no" && uris != "") {
            n = split(uris, u, /[[:space:]]+/); m = split(suites, s, /[[:space:]]+/)
            for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) if (u[i] != "" && s[j] != "")
              print u[i], s[j], (signed == "" ? "-" : signed)
          }
          types = ""; uris = ""; suites = ""; signed = ""; enabled = ""
        }
        /^[[:space:]]*#/ { next }
        /^[[:space:]]*$/ { flush(); next }
        { key = tolower($1); val = $0; sub(/^[^:]*:[[:space:]]*/, "", val) }
        key == "types:" { types = val } key == "uris:" { uris = val }
        key == "suites:" { suites = val } key == "enabled:" { enabled = tolower(val) }
        key == "signed-by:" { if (val ~ /^\//) signed = val }
        END { flush() }' "$SYSTEM_SOURCES"
      ;;
    *)
      awk '$1 == "deb" {
             i = 2; signed = "-"
             if ($2 ~ /^\[/) {
               for (; i <= NF; i++) {
                 if ($i ~ /signed-by=/) { signed = $i; sub(/.*signed-by=/, "", signed); sub(/\]$/, "", signed) }
                 if ($i ~ /\]$/) { i++; break }
               }
             }
             print $i, $(i + 1), signed
           }' "$SYSTEM_SOURCES"
      ;;
  esac
}

# The mirror that serves "$CODENAME" (used for debootstrap and the trixie source).
debian_mirror() { apt_entries | awk -v s="$CODENAME" '$2 == s { print $1; exit }'; }
debian_signed_by() { apt_entries | awk -v s="$CODENAME" '$2 == s { print $3; exit }'; }

# ---------------------------------------------------------------------------------------------
# 1. packages
# ---------------------------------------------------------------------------------------------
pkg_version() { dpkg-query -W -f='${db:Status-Abbrev} ${Version}\n' "$1" 2>/dev/null | awk '$1 == "ii" { print $2 }'; }

need_packages() {
  local p v
  for p in containerd runc tini iptables docker-registry debootstrap curl ca-certificates apache2-utils \
           qemu-user-static binfmt-support; do
    [ -n "$(pkg_version "$p")" ] || return 0
  done
  # Debian 12's docker.io (20.10) has no containerd image store and no buildx: need >= 26.
  for p in docker.io docker-cli docker-buildx; do
    v=$(pkg_version "$p")
    [ -n "$v" ] || return 0
  done
  dpkg --compare-versions "$(pkg_version docker.io)" ge 26 || return 0
  [ -x /usr/libexec/docker/cli-plugins/docker-buildx ] || return 0
  return 1
}

TRIXIE_SOURCE=/etc/apt/sources.list.d/kubenative-e2e-trixie.sources
TRIXIE_PIN=/etc/apt/preferences.d/kubenative-e2e-trixie

install_packages() {
  local mirror signed t
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || die "cannot find a '$CODENAME' entry in ${SYSTEM_SOURCES:-/etc/apt/sources.list*}"
  signed=$(debian_signed_by)
  if [ "$signed" = - ] || [ -z "$signed" ]; then
    signed=/usr/share/keyrings/debian-archive-keyring.gpg
  fi
  # A second source for Debian 13 (trixie), pinned below everything so that only the packages
  # named with /trixie below come from it. Removed again after the install.
  {
    echo "# added by kubenative tests/e2e/env/setup.sh (temporary)"
    echo "Types: deb"
    echo "URIs: $mirror"
    echo "Suites: trixie"
    echo "Components: main"
    [ -r "$signed" ] && echo "Signed-By: $signed"
  } > "$TRIXIE_SOURCE"
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 50\n' > "$TRIXIE_PIN"

  # Do not let package scripts start services (there is no systemd; we start daemons ourselves).
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    own_policy=1
  fi
  t=$(date +%s)
  log "apt-get update"
  apt-get "${APT_OPTS[@]}" update > "$LOG_DIR/apt.log" 2>&1 || { tail -20 "$LOG_DIR/apt.log" >&2; die "apt-get update failed (log: $LOG_DIR/apt.log)"; }
  log "apt-get install engine packages (Debian 12 + docker from Debian 13)"
  if ! apt-get "${APT_OPTS[@]}" install --no-install-recommends \
        containerd runc tini iptables docker-registry debootstrap curl ca-certificates xz-utils apache2-utils \
        qemu-user-static binfmt-support \
        docker.io/trixie docker-cli/trixie docker-buildx/trixie >> "$LOG_DIR/apt.log" 2>&1; then
    tail -30 "$LOG_DIR/apt.log" >&2
    [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
    die "apt-get install failed (log: $LOG_DIR/apt.log)"
  fi
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  rm -f "$TRIXIE_SOURCE" "$TRIXIE_PIN"
  log "packages installed in $(( $(date +%s) - t ))s"
}

if need_packages; then
  install_packages
else
  log "packages present: docker.io $(pkg_version docker.io), docker-buildx $(pkg_version docker-buildx), containerd $(pkg_version containerd)"
fi

# The docker client: whatever `docker` is first on PATH (this machine ships a newer client in
# /usr/local/bin; Debian's docker-cli is /usr/bin/docker). Both find the buildx plugin in
# /usr/libexec/docker/cli-plugins.
DOCKER=$(command -v docker) || die "no docker client on PATH"
export DOCKER_BUILDKIT=1

# ---------------------------------------------------------------------------------------------
# 2. containerd + dockerd
# ---------------------------------------------------------------------------------------------
pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_is() { # pid_is PID NAME: process PID runs executable NAME
  [ -n "${1:-}" ] && [ -r "/proc/$1/comm" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}

configure_daemon_json() {
  mkdir -p /etc/docker
  if ! command -v python3 > /dev/null; then   # no JSON merge without python: write it if needed
    if ! grep -q '"containerd-snapshotter": *true' /etc/docker/daemon.json 2>/dev/null; then
      [ -s /etc/docker/daemon.json ] && cp /etc/docker/daemon.json /etc/docker/daemon.json.kubenative-e2e.bak
      echo '{"features": {"containerd-snapshotter": true}}' > /etc/docker/daemon.json
      echo changed
    fi
    return 0
  fi
  python3 - /etc/docker/daemon.json <<'PY'
import json, os, sys
path = sys.argv[1]
cfg = {}
if os.path.exists(path) and os.path.getsize(path) > 0:
    with open(path) as f:
        cfg = json.load(f)
want = dict(cfg)
want.setdefault("features", {})
want["features"] = dict(want["features"], **{"containerd-snapshotter": True})
if want != cfg:
    with open(path + ".tmp", "w") as f:
        json.dump(want, f, indent=2)
        f.write("\n")
    os.replace(path + ".tmp", path)
    print("changed")
PY
}

containerd_up() { [ -S "$CONTAINERD_SOCK" ] && timeout 5 ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1; }
docker_up() { timeout 10 "$DOCKER" info >/dev/null 2>&1; }

# detach LOGFILE CMD...: start a daemon that outlives this script, in its own session, its output
# in LOGFILE and none of the caller's other open files: a lock or pipe the caller holds (setup's
# own lock on fd 9, a CI runner's flock, a log pipe) would stay held for as long as the daemon
# runs, so the next flock waits forever and a piped log never ends. $! is the daemon's pid.
detach() {
  local log=$1
  shift
  (
    for fd in /proc/"$BASHPID"/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
    done
    exec setsid "$@" >> "$log" 2>&1 < /dev/null
  ) &
}

wait_for() { # wait_for SECONDS DESCRIPTION LOGFILE CMD...
  local secs=$1 what=$2 logf=$3; shift 3
  local end=$(( $(date +%s) + secs ))
  until "$@"; do
    if [ "$(date +%s)" -ge "$end" ]; then
      echo "---- last lines of $logf ----" >&2; tail -25 "$logf" >&2 || true
      die "$what did not come up within ${secs}s (log: $logf)"
    fi
    sleep 0.5
  done
}

start_containerd() {
  log "starting containerd (log: $LOG_DIR/containerd.log)"
  # a killed containerd leaves its socket behind
  rm -f "$CONTAINERD_SOCK" "$CONTAINERD_SOCK.ttrpc"
  detach "$LOG_DIR/containerd.log" containerd
  echo $! > "$RUN_DIR/containerd.pid"
  wait_for "$DAEMON_TIMEOUT" containerd "$LOG_DIR/containerd.log" containerd_up
}

start_dockerd() {
  log "starting dockerd (log: $LOG_DIR/dockerd.log)"
  local old
  old=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [ -n "$old" ] && ! pid_is "$old" dockerd; then rm -f /var/run/docker.pid; fi
  detach "$LOG_DIR/dockerd.log" dockerd --containerd="$CONTAINERD_SOCK"
  echo $! > "$RUN_DIR/dockerd.pid"
  wait_for "$DAEMON_TIMEOUT" dockerd "$LOG_DIR/dockerd.log" docker_up
}

stop_our_dockerd() {
  local pid
  pid=$(cat "$RUN_DIR/dockerd.pid" 2>/dev/null || true)
  pid_is "$pid" dockerd || die "dockerd is running without the containerd image store and was not started by this script; restart it with /etc/docker/daemon.json in place"
  log "restarting dockerd to enable the containerd image store"
  kill "$pid"
  for _ in $(seq 1 60); do pid_alive "$pid" || break; sleep 0.5; done
  pid_alive "$pid" && die "dockerd (pid $pid) did not stop"
  rm -f "$RUN_DIR/dockerd.pid"
}

daemon_json_changed=$(configure_daemon_json)
containerd_up || start_containerd
if docker_up; then
  driver_type=$("$DOCKER" info --format '{{range .DriverStatus}}{{if eq (index . 0) "driver-type"}}{{index . 1}}{{end}}{{end}}' 2>/dev/null || true)
  if [ "$driver_type" != io.containerd.snapshotter.v1 ] || [ -n "$daemon_json_changed" ]; then
    stop_our_dockerd
    start_dockerd
  fi
else
  start_dockerd
fi
driver_type=$("$DOCKER" info --format '{{range .DriverStatus}}{{if eq (index . 0) "driver-type"}}{{index . 1}}{{end}}{{end}}')
[ "$driver_type" = io.containerd.snapshotter.v1 ] || die "dockerd does not use the containerd image store (driver-type: '$driver_type')"
"$DOCKER" buildx version >/dev/null 2>&1 || die "'docker buildx' not found (expected /usr/libexec/docker/cli-plugins/docker-buildx from docker-buildx)"
log "docker up: server $("$DOCKER" version --format '{{.Server.Version}}'), client $DOCKER $("$DOCKER" version --format '{{.Client.Version}}'), $("$DOCKER" buildx version | awk '{print $1, $2}')"

# ---------------------------------------------------------------------------------------------
# 2b. emulation: qemu-user-static registers its interpreters with binfmt_misc with the F flag
# (fix binary: the kernel opens the interpreter when it is registered, so it works inside
# containers and chroots that do not have it), which lets containers run arm64 binaries.
# ---------------------------------------------------------------------------------------------
BINFMT=/proc/sys/fs/binfmt_misc
# The foreign architectures whose stand-ins are built (only arm64 is supported), and the
# releases that get them: only the host's (bookworm), to keep the set-up time small.
FOREIGN_ARCHES=${KN_E2E_FOREIGN_ARCHES-arm64}
FOREIGN_RELEASES=${KN_E2E_FOREIGN_RELEASES-$CODENAME}

setup_emulation() {
  local arch=$1 qemu entry
  case "$arch" in
    arm64) qemu=aarch64 ;;
    *) die "KN_E2E_FOREIGN_ARCHES: only arm64 is supported, not $arch" ;;
  esac
  if ! mountpoint -q "$BINFMT"; then
    log "mounting binfmt_misc on $BINFMT"
    mount -t binfmt_misc binfmt_misc "$BINFMT" || die "cannot mount binfmt_misc on $BINFMT"
  fi
  entry="$BINFMT/qemu-$qemu"
  if [ ! -e "$entry" ]; then
    log "registering qemu-$qemu with binfmt_misc (update-binfmts)"
    update-binfmts --enable "qemu-$qemu" > /dev/null 2>&1 \
      || update-binfmts --import "qemu-$qemu" > /dev/null 2>&1 || true
  fi
  [ -e "$entry" ] || die "qemu-$qemu is not registered in $BINFMT (is qemu-user-static installed?)"
  grep -q '^enabled' "$entry" || die "$entry is disabled; run: update-binfmts --enable qemu-$qemu"
  # Without F the kernel looks the interpreter up inside each container, which has none.
  grep -q '^flags: .*F' "$entry" || die "qemu-$qemu is registered without the F flag ($(grep '^flags' "$entry")); re-register it from Debian's qemu-user-static: update-binfmts --disable qemu-$qemu && update-binfmts --enable qemu-$qemu"
}
for arch in $FOREIGN_ARCHES; do setup_emulation "$arch"; done

# ---------------------------------------------------------------------------------------------
# 3. local registry
# ---------------------------------------------------------------------------------------------
REG_DIR="$VAR_DIR/registry"
mkdir -p "$REG_DIR/data"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
registry_ok() { curl -fs -o /dev/null --max-time 3 "http://127.0.0.1:$1/v2/"; }

start_registry() {
  local port=$1
  cat > "$REG_DIR/config.yml" <<EOF
# written by kubenative tests/e2e/env/setup.sh
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $REG_DIR/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$port
EOF
  log "starting docker-registry on 127.0.0.1:$port (log: $LOG_DIR/registry.log)"
  detach "$LOG_DIR/registry.log" docker-registry serve "$REG_DIR/config.yml"
  echo $! > "$RUN_DIR/docker-registry.pid"
  echo "$port" > "$REG_DIR/port"
  wait_for 30 "docker-registry on port $port" "$LOG_DIR/registry.log" registry_ok "$port"
}

REG_PORT=$(cat "$REG_DIR/port" 2>/dev/null || true)
reg_pid=$(cat "$RUN_DIR/docker-registry.pid" 2>/dev/null || true)
if [ -n "$REG_PORT" ] && pid_is "$reg_pid" docker-registry && registry_ok "$REG_PORT"; then
  log "registry already running on 127.0.0.1:$REG_PORT"
else
  if pid_is "$reg_pid" docker-registry; then kill "$reg_pid" 2>/dev/null || true; sleep 0.5; fi
  # reuse the previous port (keeps image references stable) when it is free, else find one
  if [ -z "$REG_PORT" ] || port_in_use "$REG_PORT"; then
    REG_PORT=
    for p in $(seq 5000 5099); do
      if ! port_in_use "$p"; then REG_PORT=$p; break; fi
    done
    [ -n "$REG_PORT" ] || die "no free TCP port in 5000-5099 for the registry"
  fi
  start_registry "$REG_PORT"
fi
REGISTRY="127.0.0.1:$REG_PORT"

# ---------------------------------------------------------------------------------------------
# 4. stand-in base images, one set per Debian release in $RELEASES (the first is the host's)
# ---------------------------------------------------------------------------------------------
# bookworm: Elixir 1.14 / OTP 25 / Node 18; trixie: Elixir 1.18 / OTP 27 / Node 20 (what each
# release's own packages are). KN_E2E_RELEASES overrides the list.
RELEASES=${KN_E2E_RELEASES:-$CODENAME trixie}
RELEASES=$(tr ' ' '\n' <<<"$RELEASES" | awk 'NF && !seen[$0]++' | tr '\n' ' ')
image_exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }
# image_by_role ROLE RELEASE: the stand-in with that role label for that release (the tag of the
# elixir/node images comes from their content and ends with -RELEASE)
image_by_role() {
  "$DOCKER" image ls --filter "label=org.kubenative.e2e.role=$1" --format '{{.Repository}}:{{.Tag}}' \
    | grep -v '<none>' | grep "^$IMAGE_NS/" | grep -e "-$2\$" | head -1
}
BUILT_ANY=0
declare -A RUNTIME_OF BUILDER_OF NODE_OF BUILT_OF

# release_sources RELEASE FILE: the host's apt sources with every suite renamed to RELEASE's
# (bookworm-updates -> trixie-updates, ...), so the image reaches the host's own mirror
release_sources() {
  local release=$1 out=$2
  if [ "$release" = "$CODENAME" ]; then install -m 0644 "$SYSTEM_SOURCES" "$out"; return; fi
  case "$SYSTEM_SOURCES" in
    *.sources)
      awk -v from="$CODENAME" -v to="$release" '
        tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if (index($i, from) == 1) $i = to substr($i, length(from) + 1) }
        { print }' "$SYSTEM_SOURCES" > "$out" ;;
    *)
      awk -v from="$CODENAME" -v to="$release" '
        $1 == "deb" || $1 == "deb-src" { for (i = 2; i <= NF; i++) if (index($i, from) == 1) { $i = to substr($i, length(from) + 1); break } }
        { print }' "$SYSTEM_SOURCES" > "$out" ;;
  esac
  chmod 0644 "$out"
}

# build_debian RELEASE IMAGE [ARCH]: debootstrap RELEASE into a slim-like rootfs and import it as
# IMAGE; ARCH (default: the host's) other than the host's is debootstrapped with --arch, its
# second stage (the packages' scripts) running under qemu-user-static, and imported for linux/ARCH
build_debian() {
  local release=$1 image=$2 arch=${3:-$HOST_ARCH} mirror rootfs tarball t suffix= arch_opts=()
  t=$(date +%s)
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || die "cannot find a '$CODENAME' entry in the apt sources"
  if [ "$arch" != "$HOST_ARCH" ]; then suffix="-$arch"; arch_opts=(--arch "$arch"); fi
  tarball="$CACHE_DIR/debian-$release-slim$suffix.tar"
  if [ "$REBUILD" = 1 ] || [ ! -s "$tarball" ]; then
    rootfs=$(mktemp -d "$CACHE_DIR/rootfs.XXXXXX")
    log "debootstrap --variant=minbase ${arch_opts[*]} $release (log: $LOG_DIR/debootstrap-$release$suffix.log)"
    if ! debootstrap --variant=minbase "${arch_opts[@]}" "$release" "$rootfs" "$mirror" \
        > "$LOG_DIR/debootstrap-$release$suffix.log" 2>&1; then
      tail -20 "$LOG_DIR/debootstrap-$release$suffix.log" >&2
      rm -rf "$rootfs"
      die "debootstrap $release$suffix failed (log: $LOG_DIR/debootstrap-$release$suffix.log)"
    fi
    # --- make it look like debian:<release>-slim ---
    # apt sources: the machine's own (same mirror as the host, no host name written here)
    rm -f "$rootfs/etc/apt/sources.list"
    case "$SYSTEM_SOURCES" in
      *.sources) release_sources "$release" "$rootfs/etc/apt/sources.list.d/debian.sources" ;;
      *) release_sources "$release" "$rootfs/etc/apt/sources.list" ;;
    esac
    # CA bundle: the host's (it may include a TLS-intercepting proxy's CA). Also as a local CA so
    # that installing the ca-certificates package later (update-ca-certificates) keeps it.
    mkdir -p "$rootfs/etc/ssl/certs" "$rootfs/usr/local/share/ca-certificates"
    install -m 0644 /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
    install -m 0644 /etc/ssl/certs/ca-certificates.crt "$rootfs/usr/local/share/ca-certificates/kubenative-e2e-host-bundle.crt"
    # docker-style tweaks, as in the official images
    printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d"; chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
    echo 'force-unsafe-io' > "$rootfs/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
    cat > "$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
    cat > "$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
    echo 'Acquire::Languages "none";' > "$rootfs/etc/apt/apt.conf.d/docker-no-languages"
    echo 'Acquire::GzipIndexes "true";' > "$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
    echo 'APT::AutoRemove::SuggestsImportant "false";' > "$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"
    # trim
    find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
    find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
    rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/groff/* \
           "$rootfs"/usr/share/lintian/* "$rootfs"/usr/share/linda/*
    find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
           "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old "$rootfs"/var/log/* "$rootfs"/tmp/* \
           "$rootfs"/root/.bash_history "$rootfs"/debootstrap
    : > "$rootfs/etc/machine-id" 2>/dev/null || true
    printf 'nameserver 127.0.0.1\n' > "$rootfs/etc/resolv.conf"   # replaced by docker at run time
    echo localhost > "$rootfs/etc/hostname"
    tar --numeric-owner --xattrs -C "$rootfs" -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
  else
    log "reusing rootfs tarball $tarball"
  fi
  log "docker import -> $image"
  "$DOCKER" import --platform "linux/$arch" \
    --change 'CMD ["bash"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL org.kubenative.e2e.role=runtime org.kubenative.e2e.stand-in-for=debian:$release-slim" \
    "$tarball" "$image" > /dev/null
  BUILT_ANY=1
  log "built $image in $(( $(date +%s) - t ))s"
}

# build_from_debian ROLE DIR TMP_TAG BASE RELEASE [ARCH] -> builds images/DIR/Dockerfile FROM BASE
# for linux/ARCH (default: the host's; another one runs under qemu-user-static, with the flag the
# BEAM's JIT needs there as the ERL_FLAGS build argument: see jit_flag)
build_from_debian() {
  local role=$1 dir=$2 tmp=$3 base=$4 release=$5 arch=${6:-$HOST_ARCH} t name extra=()
  t=$(date +%s)
  name="build-$role-$release"
  if [ "$arch" != "$HOST_ARCH" ]; then
    name="$name-$arch"
    extra=(--build-arg "ERL_FLAGS=$(jit_flag "$release")")
  fi
  log "docker build --platform linux/$arch $tmp (log: $LOG_DIR/$name.log)"
  if ! "$DOCKER" build --progress=plain --platform "linux/$arch" \
        --build-arg "BASE_IMAGE=$base" "${extra[@]}" \
        --label "org.kubenative.e2e.role=$role" \
        -t "$tmp" "$HERE/images/$dir" > "$LOG_DIR/$name.log" 2>&1; then
    tail -30 "$LOG_DIR/$name.log" >&2
    die "building the $release $role stand-in for linux/$arch failed (log: $LOG_DIR/$name.log)"
  fi
  BUILT_ANY=1
  log "built $tmp in $(( $(date +%s) - t ))s"
}

retag() { # retag TMP FINAL: move the image from its temporary tag to the final one
  "$DOCKER" tag "$1" "$2"
  "$DOCKER" rmi "$1" > /dev/null
}

# standins RELEASE: the debian, elixir and node stand-ins of one Debian release, each built only
# when missing; sets RUNTIME_OF, BUILDER_OF, NODE_OF and BUILT_OF for RELEASE.
standins() {
  local release=$1 runtime builder node base_built=0 ver ex_minor otp major
  runtime="$IMAGE_NS/debian:$release-slim"
  BUILT_OF[$release]=0
  if [ "$REBUILD" = 1 ] || ! image_exists "$runtime"; then
    build_debian "$release" "$runtime"
    base_built=1
  else
    log "image $runtime present"
  fi

  # elixir builder: tag from the versions inside, e.g. kubenative-test/elixir:1.14-otp25-bookworm
  builder=$(image_by_role builder "$release" || true)
  if [ "$REBUILD" = 1 ] || [ "$base_built" = 1 ] || [ -z "$builder" ]; then
    build_from_debian builder elixir "$IMAGE_NS/elixir:building-$release" "$runtime" "$release"
    ver=$("$DOCKER" run --rm "$IMAGE_NS/elixir:building-$release" sh -c \
      "elixir -e 'IO.write(System.version())'; echo -n ' '; erl -noshell -eval 'io:format(\"~s\", [erlang:system_info(otp_release)]), halt().'")
    ex_minor=$(echo "$ver" | awk '{split($1, v, "."); print v[1] "." v[2]}')
    otp=$(echo "$ver" | awk '{print $2}')
    if [ -z "$ex_minor" ] || [ -z "$otp" ]; then
      die "cannot read elixir/otp versions from the $release builder image ($ver)"
    fi
    if [ -n "$builder" ] && [ "$builder" != "$IMAGE_NS/elixir:$ex_minor-otp$otp-$release" ]; then
      "$DOCKER" rmi "$builder" > /dev/null 2>&1 || true   # versions changed: drop the old tag
    fi
    builder="$IMAGE_NS/elixir:$ex_minor-otp$otp-$release"
    retag "$IMAGE_NS/elixir:building-$release" "$builder"
    BUILT_OF[$release]=1
  else
    log "image $builder present"
  fi

  # node: tag from the nodejs major version inside, e.g. kubenative-test/node:18-bookworm
  node=$(image_by_role node "$release" || true)
  if [ "$REBUILD" = 1 ] || [ "$base_built" = 1 ] || [ -z "$node" ]; then
    build_from_debian node node "$IMAGE_NS/node:building-$release" "$runtime" "$release"
    major=$("$DOCKER" run --rm "$IMAGE_NS/node:building-$release" node -p 'process.versions.node.split(".")[0]')
    [ -n "$major" ] || die "cannot read the node version from the $release node image"
    if [ -n "$node" ] && [ "$node" != "$IMAGE_NS/node:$major-$release" ]; then
      "$DOCKER" rmi "$node" > /dev/null 2>&1 || true   # version changed: drop the old tag
    fi
    node="$IMAGE_NS/node:$major-$release"
    retag "$IMAGE_NS/node:building-$release" "$node"
    BUILT_OF[$release]=1
  else
    log "image $node present"
  fi
  [ "$base_built" = 1 ] && BUILT_OF[$release]=1
  RUNTIME_OF[$release]=$runtime
  BUILDER_OF[$release]=$builder
  NODE_OF[$release]=$node
}

for release in $RELEASES; do
  standins "$release"
done
HOST_RELEASE=${RELEASES%% *}

# jit_flag RELEASE: what the BEAM of RELEASE's Erlang needs to run under QEMU. Its JIT maps
# its code twice (one writable, one executable mapping of the same pages), which QEMU's user
# mode does not follow: erl crashes (SIGSEGV) or hangs. OTP 26+ has +JMsingle true (one RWX
# mapping); OTP 25 (bookworm) does not know that flag and maps once with +JPperf map (which also
# writes /tmp/perf-<pid>.map).
jit_flag() {
  case "$1" in
    bookworm) echo "+JPperf map" ;;
    *) echo "+JMsingle true" ;;
  esac
}

# package_versions IMAGE ARCH PACKAGE...: "name=version" lines from the image's dpkg database
package_versions() {
  local image=$1 arch=$2; shift 2
  "$DOCKER" run --rm --platform "linux/$arch" "$image" dpkg-query -W -f '${Package}=${Version}\n' "$@"
}

# foreign_standins RELEASE ARCH: RELEASE's stand-ins for linux/ARCH, tagged like the host's with
# -ARCH appended (kubenative-test/elixir:1.14-otp25-bookworm-arm64), from the same Dockerfiles
# with the same packages (the versions are checked against the host's images). Each is built
# only when missing, the elixir and node images also when their base or the host's were
# rebuilt. Under emulation dpkg is the slow part (minutes per image), so the elixir and node
# images are built at the same time: QEMU runs each on one core.
foreign_standins() {
  local release=$1 arch=$2 runtime base_built=0 img image dir pids=() built=() i pkgs
  runtime="${RUNTIME_OF[$release]}-$arch"
  if [ "$REBUILD" = 1 ] || ! image_exists "$runtime"; then
    build_debian "$release" "$runtime" "$arch"
    base_built=1
  else
    log "image $runtime present"
  fi
  for img in builder node; do
    case $img in
      builder) image="${BUILDER_OF[$release]}-$arch"; dir=elixir ;;
      node) image="${NODE_OF[$release]}-$arch"; dir=node ;;
    esac
    if [ "$REBUILD" = 1 ] || [ "$base_built" = 1 ] || [ "${BUILT_OF[$release]}" = 1 ] \
        || ! image_exists "$image"; then
      build_from_debian "$img" "$dir" "$image" "$runtime" "$release" "$arch" &
      pids+=($!)
      built+=("$img=$image")
    else
      log "image $image present"
    fi
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || die "building the $release ${built[$i]%%=*} stand-in for $arch failed (see above)"
  done
  for i in "${!built[@]}"; do
    img=${built[$i]%%=*}; image=${built[$i]#*=}
    case $img in
      builder) pkgs="elixir erlang-base erlang-dev rebar3" ;;
      node) pkgs="nodejs npm" ;;
    esac
    # shellcheck disable=SC2086
    if [ "$(package_versions "$image" "$arch" $pkgs)" != \
         "$(package_versions "${image%-"$arch"}" "$HOST_ARCH" $pkgs)" ]; then
      die "the $release $img stand-in for $arch has other package versions than the $HOST_ARCH one"
    fi
  done
}

T_FOREIGN=$(date +%s)
for release in $FOREIGN_RELEASES; do
  [ -n "${BUILDER_OF[$release]:-}" ] || die "KN_E2E_FOREIGN_RELEASES: $release is not among the releases ($RELEASES)"
  for arch in $FOREIGN_ARCHES; do foreign_standins "$release" "$arch"; done
done
[ -z "$FOREIGN_RELEASES" ] || log "foreign-architecture stand-ins ($FOREIGN_ARCHES for $FOREIGN_RELEASES) ready in $(( $(date +%s) - T_FOREIGN ))s"
RUNTIME_IMAGE=${RUNTIME_OF[$HOST_RELEASE]}
BUILDER_IMAGE=${BUILDER_OF[$HOST_RELEASE]}
NODE_IMAGE=${NODE_OF[$HOST_RELEASE]}

# An old Node stand-in, for the fixture whose frontend needs the Node of its era (webpack 4,
# lockfileVersion 1: tests/e2e/test_old_node.py): Debian 11 "bullseye" ships nodejs 12 and npm.
# Found by its role label (node-old); not pushed, not in the env file.
build_old_node() {
  local image="$IMAGE_NS/node:12-bullseye" tarball="$CACHE_DIR/debian-bullseye-node.tar" rootfs t
  if [ "$REBUILD" != 1 ] && image_exists "$image"; then
    log "image $image present"
    return
  fi
  t=$(date +%s)
  if [ "$REBUILD" = 1 ] || [ ! -s "$tarball" ]; then
    rootfs=$(mktemp -d "$CACHE_DIR/rootfs-node.XXXXXX")
    log "debootstrap bullseye with nodejs and npm (log: $LOG_DIR/debootstrap-node.log)"
    if ! debootstrap --variant=minbase --include=nodejs,npm,ca-certificates bullseye "$rootfs" \
        "$(debian_mirror)" > "$LOG_DIR/debootstrap-node.log" 2>&1; then
      tail -20 "$LOG_DIR/debootstrap-node.log" >&2
      rm -rf "$rootfs"
      die "debootstrap bullseye failed (log: $LOG_DIR/debootstrap-node.log)"
    fi
    # the host's CA bundle (TLS to the npm registry may go through a proxy only the host trusts)
    install -m 0644 /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
           "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/* "$rootfs"/debootstrap
    tar --numeric-owner --xattrs -C "$rootfs" -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
  fi
  "$DOCKER" import \
    --change 'CMD ["node"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'ENV npm_config_cafile=/etc/ssl/certs/ca-certificates.crt' \
    --change "LABEL org.kubenative.e2e.role=node-old org.kubenative.e2e.stand-in-for=node:12-bullseye-slim" \
    "$tarball" "$image" > /dev/null
  log "built $image in $(( $(date +%s) - t ))s"
}
build_old_node

# ---------------------------------------------------------------------------------------------
# push the stand-ins to the local registry under the same repository names
# ---------------------------------------------------------------------------------------------
ACCEPT='application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.list.v2+json,application/vnd.docker.distribution.manifest.v2+json'
registry_digest() { # registry_digest REPO:TAG -> sha256:... of the manifest in the local registry
  local repo=${1%:*} tag=${1##*:}
  curl -fsSI --max-time 10 -H "Accept: $ACCEPT" "http://$REGISTRY/v2/$repo/manifests/$tag" 2>/dev/null \
    | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }' || true
}
local_digest() { # digest the local image was pushed with (containerd store: the image's own digest)
  "$DOCKER" image inspect --format '{{.Id}}' "$1" 2>/dev/null || true
}

push_image() { # push_image LOCAL_NAME [REMOTE_NAME]: push LOCAL_NAME as REMOTE_NAME (default: the same)
  local src=$1 name=${2:-$1} dst remote
  dst="$REGISTRY/$name"
  remote=$(registry_digest "$name")
  if [ -n "$remote" ] && [ "$remote" = "$(local_digest "$src")" ]; then
    return 0
  fi
  log "push $dst"
  "$DOCKER" tag "$src" "$dst"
  "$DOCKER" push -q "$dst" > "$LOG_DIR/push.log" 2>&1 || { cat "$LOG_DIR/push.log" >&2; die "docker push $dst failed"; }
  [ -n "$(registry_digest "$name")" ] || die "pushed $dst but the registry does not serve its manifest"
}

# push_multi NAME ARCH...: NAME as one multi-platform tag (an image index, a "manifest list")
# of the host's image and each ARCH's (NAME-ARCH). The platform images are pushed as NAME-<arch>
# (the host's too: NAME itself becomes the index); the index is made by `docker buildx
# imagetools create` in the registry, and made again only when a platform image changed (the
# digests it was made from are kept in $VAR_DIR/indexes).
push_multi() {
  local name=$1 arch sources=() record current wanted
  shift
  push_image "$name" "$name-$HOST_ARCH"
  sources+=("$REGISTRY/$name-$HOST_ARCH@$(registry_digest "$name-$HOST_ARCH")")
  for arch in "$@"; do
    push_image "$name-$arch"
    sources+=("$REGISTRY/$name-$arch@$(registry_digest "$name-$arch")")
  done
  # A local image under the registry's name (an earlier push_image tagged it) holds the host's
  # platform only, and BuildKit resolves a FROM from the local image store first: "no match
  # for platform in manifest" for the others. Without it, builds resolve the registry's index.
  if image_exists "$REGISTRY/$name"; then "$DOCKER" rmi "$REGISTRY/$name" > /dev/null; fi
  mkdir -p "$VAR_DIR/indexes"
  record="$VAR_DIR/indexes/$(tr '/:' '__' <<<"$REGISTRY/$name")"
  current=$(registry_digest "$name")
  wanted="${sources[*]}"
  if [ -n "$current" ] && [ "$(cat "$record" 2>/dev/null || true)" = "$current $wanted" ]; then
    return 0
  fi
  log "multi-platform tag $REGISTRY/$name ($HOST_ARCH $*)"
  "$DOCKER" buildx imagetools create -t "$REGISTRY/$name" "${sources[@]}" > "$LOG_DIR/push.log" 2>&1 \
    || { cat "$LOG_DIR/push.log" >&2; die "docker buildx imagetools create $REGISTRY/$name failed"; }
  current=$(registry_digest "$name")
  [ -n "$current" ] || die "made $REGISTRY/$name but the registry does not serve it"
  echo "$current $wanted" > "$record"
}

declare -A PLATFORMS_OF
for release in $RELEASES; do
  arches=
  for arch in $FOREIGN_ARCHES; do
    if [[ " $FOREIGN_RELEASES " == *" $release "* ]]; then arches="$arches $arch"; fi
  done
  PLATFORMS_OF[$release]=linux/$HOST_ARCH
  for arch in $arches; do PLATFORMS_OF[$release]+=",linux/$arch"; done
  for img in "${RUNTIME_OF[$release]}" "${BUILDER_OF[$release]}" "${NODE_OF[$release]}"; do
    if [ -n "$arches" ]; then
      # shellcheck disable=SC2086
      push_multi "$img" $arches
    else
      push_image "$img"
    fi
  done
done

# ---------------------------------------------------------------------------------------------
# 5. verification (full build through all stand-ins; registry cache export/import)
# ---------------------------------------------------------------------------------------------
# The engine's features (BuildKit, registry cache export/import, bake) are checked once, with the
# host release's stand-ins; the other releases' images are exercised by the e2e tests.
if [ "$VERIFY" = yes ] || { [ "$VERIFY" = auto ] && [ "${BUILT_OF[$HOST_RELEASE]}" = 1 ]; }; then
  "$HERE/verify.sh" "$REGISTRY" "$RUNTIME_IMAGE" "$BUILDER_IMAGE" "$NODE_IMAGE" \
    || die "verification failed (see output above and $LOG_DIR/verify-*.log)"
fi

# ---------------------------------------------------------------------------------------------
# 6. env file
# ---------------------------------------------------------------------------------------------
# release_versions RELEASE: "elixir=... otp=... erts=... node=..." lines of RELEASE's stand-ins,
# cached in .state/versions-RELEASE under the builder's image id
release_versions() {
  local release=$1 file="$STATE_DIR/versions-$1" builder=${BUILDER_OF[$1]} node=${NODE_OF[$1]} id cached
  [ "$release" = "$HOST_RELEASE" ] && [ ! -e "$file" ] && [ -e "$STATE_DIR/versions" ] && cp "$STATE_DIR/versions" "$file"
  id=$("$DOCKER" image inspect --format '{{.Id}}' "$builder")
  cached=$(cat "$file" 2>/dev/null || true)
  if [ "${BUILT_OF[$release]}" = 1 ] || ! grep -q "^image=$id$" <<<"$cached" || ! grep -q '^node=' <<<"$cached"; then
    cached=$({
      echo "image=$id"
      "$DOCKER" run --rm "$builder" sh -c \
        "echo elixir=\$(elixir -e 'IO.write(System.version())'); \
         erl -noshell -eval 'io:format(\"otp=~s~nerts=~s~n\", [erlang:system_info(otp_release), erlang:system_info(version)]), halt().'"
      echo "node=$("$DOCKER" run --rm "$node" node -p process.versions.node)"
    })
    echo "$cached" > "$file"
  fi
  echo "$cached"
}
declare -A VERSIONS_OF
for release in $RELEASES; do
  VERSIONS_OF[$release]=$(release_versions "$release")
done
versions=${VERSIONS_OF[$HOST_RELEASE]}
vget() { awk -F= -v k="$1" '$1 == k { print $2 }' <<<"${2:-$versions}"; }

# release_env RELEASE: the KN_<RELEASE>_* keys of one release's stand-ins
release_env() {
  local r=$1 up v kind img
  up=$(tr '[:lower:]' '[:upper:]' <<<"$r")
  v=${VERSIONS_OF[$r]}
  for kind in RUNTIME BUILDER NODE; do
    case $kind in
      RUNTIME) img=${RUNTIME_OF[$r]} ;; BUILDER) img=${BUILDER_OF[$r]} ;; NODE) img=${NODE_OF[$r]} ;;
    esac
    echo "KN_${up}_${kind}_IMAGE=$img"
    echo "KN_${up}_${kind}_IMAGE_REMOTE=$REGISTRY/$img"
    echo "KN_${up}_${kind}_IMAGE_DIGEST=$(registry_digest "$img")"
  done
  echo "KN_${up}_ELIXIR_VERSION=$(vget elixir "$v")"
  echo "KN_${up}_OTP_VERSION=$(vget otp "$v")"
  echo "KN_${up}_ERTS_VERSION=$(vget erts "$v")"
  echo "KN_${up}_NODE_VERSION=$(vget node "$v")"
  echo "KN_${up}_PLATFORMS=${PLATFORMS_OF[$r]}"
}

write_env() {
  cat <<EOF
# kubenative e2e environment, written by tests/e2e/env/setup.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ)
DOCKER_BUILDKIT=1
KN_DOCKER=$DOCKER
KN_DOCKER_CLIENT_VERSION=$("$DOCKER" version --format '{{.Client.Version}}')
KN_DOCKER_SERVER_VERSION=$("$DOCKER" version --format '{{.Server.Version}}')
KN_BUILDX_VERSION=$("$DOCKER" buildx version | awk '{print $2}')
KN_REGISTRY=$REGISTRY
KN_RUNTIME_IMAGE=$RUNTIME_IMAGE
KN_BUILDER_IMAGE=$BUILDER_IMAGE
KN_NODE_IMAGE=$NODE_IMAGE
KN_RUNTIME_IMAGE_REMOTE=$REGISTRY/$RUNTIME_IMAGE
KN_BUILDER_IMAGE_REMOTE=$REGISTRY/$BUILDER_IMAGE
KN_NODE_IMAGE_REMOTE=$REGISTRY/$NODE_IMAGE
KN_RUNTIME_IMAGE_DIGEST=$(registry_digest "$RUNTIME_IMAGE")
KN_BUILDER_IMAGE_DIGEST=$(registry_digest "$BUILDER_IMAGE")
KN_NODE_IMAGE_DIGEST=$(registry_digest "$NODE_IMAGE")
KN_DEBIAN_CODENAME=$CODENAME
KN_ELIXIR_VERSION=$(vget elixir)
KN_OTP_VERSION=$(vget otp)
KN_ERTS_VERSION=$(vget erts)
KN_NODE_VERSION=$(vget node)
KN_RELEASES=${RELEASES% }
KN_PLATFORMS=${PLATFORMS_OF[$HOST_RELEASE]}
EOF
  for release in $RELEASES; do release_env "$release"; done
}
write_env > "$ENV_FILE.tmp"
mv "$ENV_FILE.tmp" "$ENV_FILE"
cp "$ENV_FILE" "$GLOBAL_ENV_FILE.tmp" && mv "$GLOBAL_ENV_FILE.tmp" "$GLOBAL_ENV_FILE"

log "ready in $(( $(date +%s) - T0 ))s; env file: $ENV_FILE (copy: $GLOBAL_ENV_FILE)"
[ "$QUIET" = 1 ] || grep -v '^#' "$ENV_FILE"
