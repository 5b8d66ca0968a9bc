#!/usr/bin/env bash
# Makes a Docker engine with the compose v2 plugin and a local base image available to tests.
# Reuses an engine that already answers on DOCKER_HOST; otherwise starts a private dockerd
# whose PID is written to $DUCKSTACK_DOCKER_DIR/docker.pid (stop it with scripts/stop-docker.sh).
# Prints `export DOCKER_HOST=...` and `export DOCKER_CONFIG=...` lines on stdout for the caller; logs on stderr.
set -euo pipefail
log() { echo "[duckstack] $*" >&2; }
D="${DUCKSTACK_DOCKER_DIR:-/tmp/duckstack-docker}"
# Tools live in the checkout (.tools/, git-ignored), never in $HOME.
TOOLS="${DUCKSTACK_TOOLS_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.tools}"
export DOCKER_CONFIG="${DOCKER_CONFIG:-$TOOLS/docker-config}"
mkdir -p "$D" "$DOCKER_CONFIG/cli-plugins"
command -v docker >/dev/null || { log "ERROR: the docker CLI is missing (install Debian's docker.io: scripts/ensure-host-packages.sh)"; exit 1; }

# 1. An engine: reuse one that answers, else start a private one.
if [ -n "${DOCKER_HOST:-}" ] && docker version >/dev/null 2>&1; then
  log "Docker engine: reusing the one at $DOCKER_HOST"
elif [ -z "${DOCKER_HOST:-}" ] && docker version >/dev/null 2>&1; then
  # The machine's own engine (default socket or current docker context) answers: use it.
  export DOCKER_HOST="$(docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null || echo unix:///var/run/docker.sock)"
  log "Docker engine: reusing this machine's engine at $DOCKER_HOST"
else
  export DOCKER_HOST="unix://$D/docker.sock"
  if docker version >/dev/null 2>&1; then
    log "Docker engine: reusing the private one at $DOCKER_HOST"
  else
    command -v dockerd >/dev/null || { log "ERROR: dockerd is missing (Debian package docker.io: scripts/ensure-host-packages.sh)"; exit 1; }
    log "Docker engine: starting a private dockerd at $DOCKER_HOST"
    rm -f "$D/docker.sock"
    setsid dockerd --host "$DOCKER_HOST" --data-root "$D/data" --exec-root "$D/exec" --pidfile "$D/docker.pid" \
      --storage-driver overlay2 > "$D/dockerd.log" 2>&1 < /dev/null &
    for _ in $(seq 1 120); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
    docker version >/dev/null 2>&1 || { log "ERROR: dockerd did not answer within 60 s; see $D/dockerd.log"; tail -20 "$D/dockerd.log" >&2; exit 1; }
    touch "$D/started-by-duckstack"
  fi
fi

# 2. The compose v2 plugin (Debian 13's docker-compose package runs on Debian 12).
if docker compose version >/dev/null 2>&1; then
  log "docker compose: $(docker compose version --short 2>/dev/null || echo present)"
else
  log "docker compose: fetching the v2 plugin from Debian trixie with a private apt configuration"
  A="$TOOLS/apt-trixie"; mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/deb"
  URI=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$URI" ] || URI=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$URI" ] || { log "ERROR: no Debian mirror found in /etc/apt/sources.list(.d) to fetch docker-compose v2"; exit 1; }
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $URI trixie main" > "$A/sources.list"
  OPTS=(-o "Dir::Etc::SourceList=$A/sources.list" -o Dir::Etc::SourceParts=/nonexistent -o "Dir::State::Lists=$A/lists" -o "Dir::Cache=$A/cache" -o DPkg::Lock::Timeout=600)
  apt-get "${OPTS[@]}" update -q >&2
  (cd "$A/deb" && apt-get "${OPTS[@]}" download docker-compose >&2)
  rm -rf "$A/x"; dpkg-deb -x "$(ls "$A"/deb/docker-compose_*.deb | head -1)" "$A/x"
  cp "$A/x/usr/libexec/docker/cli-plugins/docker-compose" "$DOCKER_CONFIG/cli-plugins/docker-compose"
  chmod +x "$DOCKER_CONFIG/cli-plugins/docker-compose"
  docker compose version >/dev/null 2>&1 || { log "ERROR: docker compose v2 plugin does not run"; exit 1; }
  log "docker compose: $(docker compose version --short) installed in $DOCKER_CONFIG/cli-plugins"
fi

# 3. A local base image (no registry is reachable): busybox from Debian's busybox-static.
if docker image inspect local/busybox:1 >/dev/null 2>&1; then
  log "image local/busybox:1: present"
else
  BB=$(command -v busybox || true)
  [ -n "$BB" ] || { log "ERROR: busybox is missing (Debian package busybox-static)"; exit 1; }
  R=$(mktemp -d); mkdir -p "$R/rootfs/bin" "$R/rootfs/etc" "$R/rootfs/tmp" "$R/rootfs/www"
  cp "$BB" "$R/rootfs/bin/busybox"
  for a in $("$BB" --list); do [ "$a" = busybox ] || ln -sf busybox "$R/rootfs/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$R/rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$R/rootfs/etc/group"
  tar -C "$R/rootfs" -c . | docker import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - local/busybox:1 >/dev/null
  rm -rf "$R"
  log "image local/busybox:1: built from $BB"
fi
echo "export DOCKER_HOST=$DOCKER_HOST"
echo "export DOCKER_CONFIG=$DOCKER_CONFIG"
