#!/usr/bin/env bash
# Stops the private dockerd that scripts/ensure-docker.sh started (by its PID), and nothing else.
set -euo pipefail
D="${DUCKSTACK_DOCKER_DIR:-/tmp/duckstack-docker}"
[ -f "$D/started-by-duckstack" ] && [ -f "$D/docker.pid" ] || exit 0
pid=$(cat "$D/docker.pid")
if kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
fi
rm -f "$D/started-by-duckstack"
echo "[duckstack] stopped private dockerd (PID $pid)" >&2
