#!/usr/bin/env bash
# devstack benchmark (issue 9): time of `up -d --wait` of samples/devstack (mariadb + redis +
# python app, healthchecks, depends_on service_healthy) until every service is healthy,
# jcompose on a private jcomposed next to `docker compose` v2 on the reference dockerd, in
# interleaved rounds; every round starts from nothing (`down -v` untimed before it, so mariadb
# initialises its volume each time). Images are pulled before the first round.
# Usage (root, after ./scripts/mvn -q -pl compose-cli -am package -DskipTests):
#   bench/devstack.sh [rounds=3]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-3}
. "$root/bench/lib/engines.sh"
work=$(mktemp -d /tmp/jc-devstack.XXXXXX)
finish() {
  (cd "$work/jc" 2>/dev/null && jc --progress quiet down -v -t 0 >/dev/null 2>&1) || true
  (cd "$work/dk" 2>/dev/null && dk compose down -v -t 0 >/dev/null 2>&1) || true
  rm -rf "$work"
  engines_stop
}
trap finish EXIT
engines_start
cp -r "$root/samples/devstack" "$work/jc"
cp -r "$root/samples/devstack" "$work/dk"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
jc_port=$(free_port)
dk_port=$(free_port)
for img in mariadb:10.11 redis:7.0 python:3.11-slim; do
  DOCKER_HOST=$JCOMPOSE_HOST dk pull -q "$img" >/dev/null
  dk pull -q "$img" >/dev/null
done

BENCH_BEFORE="(cd '$work/jc' && '$root/bin/jcompose' --progress quiet down -v -t 0 >/dev/null 2>&1; cd '$work/dk' && '$JCOMPOSE_REF_DOCKER' compose down -v -t 0 >/dev/null 2>&1) || true"
cb_add "jcompose up -d --wait (devstack)" jc_daemon_pids bash -c "cd '$work/jc' && APP_PORT=$jc_port '$root/bin/jcompose' --progress quiet up -d --wait --wait-timeout 180 && curl -sf http://127.0.0.1:$jc_port/visit"
cb_add "docker compose v2 up -d --wait (devstack)" ref_daemon_pids bash -c "cd '$work/dk' && APP_PORT=$dk_port '$JCOMPOSE_REF_DOCKER' compose up -d --wait --wait-timeout 180 && curl -sf http://127.0.0.1:$dk_port/visit"
echo "## devstack up -d --wait until healthy, $(machine_state)"
echo "peers: $(dk version --format 'dockerd {{.Server.Version}}'), $(dk compose version --short | sed 's/^/compose v2 /'); rounds: $rounds"
echo
cb_run "$rounds"
cb_ratio "jcompose up -d --wait (devstack)" "docker compose v2 up -d --wait (devstack)"
echo
echo "after: $(machine_state)"
