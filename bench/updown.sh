#!/usr/bin/env bash
# up/down benchmark (issue 9): samples/fanout with N busybox services, images pulled first.
# `jcompose up -d` and `down` on a private jcomposed next to `docker compose` v2 (2.26.1, CLI
# plugin) and `docker-compose` 1.29, both on the reference dockerd (bench/lib/ref-dockerd), in
# interleaved rounds; then `jcompose ps` next to `docker compose ps` with the N containers up.
# `jcompose` rows go through bin/jcompose (native client + CLI server in the daemon); the
# "JVM launcher" rows force a fresh JVM per command (JCOMPOSE_NO_SERVER=1) for comparison.
# Prints Markdown tables and ratios (min / median) for bench/README.md: wall time, and the CPU
# time of the client and of the engine's daemons (which a loaded machine distorts much less).
# Usage (root, from anywhere, after ./scripts/mvn -q -pl compose-cli -am package -DskipTests):
#   bench/updown.sh [rounds=3] [N...=1 10 50]       e.g. bench/updown.sh 5 50
#   BENCH_NO_V1=1 skips Compose 1.29 (slow at N=50 on a loaded machine).
set -Eeuo pipefail
trap 'echo "updown.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-3}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1 10 50)
. "$root/bench/lib/engines.sh"
work=$(mktemp -d /tmp/jc-updown.XXXXXX)
# a project name of this run: the reference dockerd is shared, and another run's "fanout" is not ours
proj=fanout-$$
finish() {
  local d
  for d in "$work"/n*; do
    [ -d "$d" ] || continue
    (cd "$d" && jc -p "$proj" down -t 0 >/dev/null 2>&1; dk compose -p "$proj" down -t 0 >/dev/null 2>&1) || true
  done
  rm -rf "$work"
  engines_stop
}
trap finish EXIT
engines_start

echo "## up -d / down of samples/fanout, $(machine_state)"
echo "peers: $(dk version --format 'dockerd {{.Server.Version}}'), $(dk compose version --short 2>/dev/null | sed 's/^/compose v2 /'), $("$JCOMPOSE_REF_COMPOSE_V1" version --short 2>/dev/null | sed 's/^/compose v1 /'); rounds: $rounds"
for n in "${sizes[@]}"; do
  d=$work/n$n
  mkdir -p "$d"
  # Compose 1.29 knows no top-level name: the project name comes from -p for all three.
  "$root/samples/fanout/generate" "$n" | grep -v '^name:' >"$d/compose.yaml"
  DOCKER_HOST=$JCOMPOSE_HOST dk pull -q busybox:latest >/dev/null && dk pull -q busybox:latest >/dev/null

  cb_reset
  cb_add "jcompose up -d (N=$n)" jc_daemon_pids bash -c "cd '$d' && '$root/bin/jcompose' -p '$proj' --progress quiet up -d"
  cb_add "jcompose down (N=$n)" jc_daemon_pids bash -c "cd '$d' && '$root/bin/jcompose' -p '$proj' --progress quiet down -t 1"
  cb_add "jcompose JVM launcher up -d (N=$n)" jc_daemon_pids bash -c "cd '$d' && JCOMPOSE_NO_SERVER=1 '$root/bin/jcompose' -p '$proj' --progress quiet up -d"
  cb_add "jcompose JVM launcher down (N=$n)" jc_daemon_pids bash -c "cd '$d' && JCOMPOSE_NO_SERVER=1 '$root/bin/jcompose' -p '$proj' --progress quiet down -t 1"
  cb_add "docker compose v2 up -d (N=$n)" ref_daemon_pids bash -c "cd '$d' && '$JCOMPOSE_REF_DOCKER' compose -p '$proj' up -d"
  cb_add "docker compose v2 down (N=$n)" ref_daemon_pids bash -c "cd '$d' && '$JCOMPOSE_REF_DOCKER' compose -p '$proj' down -t 1"
  if [ -z "${BENCH_NO_V1:-}" ]; then
    cb_add "docker-compose 1.29 up -d (N=$n)" ref_daemon_pids bash -c "cd '$d' && '$JCOMPOSE_REF_COMPOSE_V1' -p '$proj' up -d"
    cb_add "docker-compose 1.29 down (N=$n)" ref_daemon_pids bash -c "cd '$d' && '$JCOMPOSE_REF_COMPOSE_V1' -p '$proj' down -t 1"
  fi
  echo
  echo "### N = $n"
  cb_run "$rounds"
  cb_ratio "jcompose up -d (N=$n)" "docker compose v2 up -d (N=$n)"
  cb_ratio "jcompose down (N=$n)" "docker compose v2 down (N=$n)"
  cb_ratio "jcompose JVM launcher up -d (N=$n)" "docker compose v2 up -d (N=$n)"
  cb_ratio "jcompose JVM launcher down (N=$n)" "docker compose v2 down (N=$n)"
  if [ -z "${BENCH_NO_V1:-}" ]; then
    cb_ratio "jcompose up -d (N=$n)" "docker-compose 1.29 up -d (N=$n)"
    cb_ratio "jcompose down (N=$n)" "docker-compose 1.29 down (N=$n)"
  fi

  # ps with the N containers running on each engine
  (cd "$d" && jc -p "$proj" --progress quiet up -d >/dev/null && dk compose -p "$proj" up -d >/dev/null 2>&1)
  [ "$(cd "$d" && jc -p "$proj" ps -q | wc -l)" = "$n" ] || { echo "jcompose ps does not show $n containers" >&2; exit 1; }
  cb_reset
  cb_add "jcompose ps (N=$n)" jc_daemon_pids bash -c "cd '$d' && '$root/bin/jcompose' -p '$proj' ps"
  cb_add "jcompose JVM launcher ps (N=$n)" jc_daemon_pids bash -c "cd '$d' && JCOMPOSE_NO_SERVER=1 '$root/bin/jcompose' -p '$proj' ps"
  cb_add "docker compose v2 ps (N=$n)" ref_daemon_pids bash -c "cd '$d' && '$JCOMPOSE_REF_DOCKER' compose -p '$proj' ps"
  cb_run $((rounds * 3))
  cb_ratio "jcompose ps (N=$n)" "docker compose v2 ps (N=$n)"
  cb_ratio "jcompose JVM launcher ps (N=$n)" "docker compose v2 ps (N=$n)"
  (cd "$d" && jc -p "$proj" --progress quiet down -t 0 >/dev/null && dk compose -p "$proj" down -t 0 >/dev/null 2>&1)
done
echo
echo "after: $(machine_state)"
