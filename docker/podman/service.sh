#!/usr/bin/env bash
# Serves the Docker API from podman for Docker clients such as Testcontainers, and prints the environment they need:
#
#   eval "$(docker/podman/service.sh)"      # then: dotnet test tests/Silo.Tests --filter FullyQualifiedName~Container
#
# Starts `podman system service` on a unix socket (VAECF_PODMAN_SOCKET, default $XDG_RUNTIME_DIR or /tmp, then
# vaecf-podman/podman.sock) unless one already answers there, with docker/podman/containers.conf unless
# CONTAINERS_CONF names another file. The service stays up until it has been idle for VAECF_PODMAN_IDLE_S seconds
# (default 600; 0 keeps it up); when this script started it, the output also sets VAECF_PODMAN_SERVICE_PID, for
# `kill "$VAECF_PODMAN_SERVICE_PID"`. Testcontainers' Ryuk (the reaper) needs an image from a registry: it is disabled, and
# the tests remove their own containers and networks.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/docker/podman/containers.conf}
socket=${VAECF_PODMAN_SOCKET:-${XDG_RUNTIME_DIR:-/tmp}/vaecf-podman/podman.sock}
idle=${VAECF_PODMAN_IDLE_S:-600}

command -v podman >/dev/null || { echo "service.sh: podman is not installed (apt-get install podman runc)" >&2; exit 2; }
answers() { curl -sf --max-time 2 --unix-socket "$socket" http://d/_ping >/dev/null 2>&1; }
if ! answers; then
  mkdir -p "$(dirname "$socket")"
  rm -f "$socket"
  log=$(dirname "$socket")/service.log
  setsid podman system service --time="$idle" "unix://$socket" >"$log" 2>&1 < /dev/null &
  pid=$!
  for _ in $(seq 1 100); do answers && break; sleep 0.1; done
  answers || { echo "service.sh: podman system service did not answer on $socket (see $log)" >&2; exit 1; }
fi
[ -n "${pid:-}" ] && echo "export VAECF_PODMAN_SERVICE_PID=$pid"
echo "export DOCKER_HOST=unix://$socket TESTCONTAINERS_RYUK_DISABLED=true CONTAINERS_CONF=$CONTAINERS_CONF"
