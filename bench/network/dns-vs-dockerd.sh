#!/usr/bin/env bash
# DNS benchmark (issue 7) against the peer: N sequential UDP A queries for a 3-replica service
# name from inside a container (python:3.11-slim, bench/network/dns/query.py) to the embedded
# resolver at 127.0.0.11 — on jcompose's engine and on Debian's dockerd (bench/lib/ref-dockerd,
# driven by docker compose v2), the same compose project, rounds interleaved.
# Needs root, a build (scripts/build) and the peers (bench/lib/install-peers).
# Usage: bench/network/dns-vs-dockerd.sh [queries=10000] [rounds=3]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
[ "$(id -u)" = 0 ] || { echo "dns-vs-dockerd: needs root" >&2; exit 1; }
queries=${1:-10000}
rounds=${2:-3}
project=jcdnsbench
file=$root/bench/network/dns/compose.yaml

started_registry=
registry_status=$(fixtures/registry status 2>&1 || true) # not piped into grep -q: SIGPIPE would fail the status under pipefail
if ! grep -q "5000: running" <<<"$registry_status"; then
  fixtures/registry up >/dev/null
  started_registry=1
fi
started_dockerd=
if ! bench/lib/ref-dockerd status >/dev/null 2>&1; then
  bench/lib/ref-dockerd start >/dev/null
  started_dockerd=1
fi

# A private jcompose engine: its own data root, run root (short: socket paths) and socket.
work=$(mktemp -d /tmp/jcdns.XXXXXX)
run=/tmp/jcd$$
mkdir -p "$run"
ip_forward_before=$(cat /proc/sys/net/ipv4/ip_forward)
cat >"$work/daemon.json" <<JSON
{"data-root": "$work/root", "exec-root": "$run", "hosts": ["unix://$run/jcompose.sock"], "registry-mirrors": ["http://127.0.0.1:5000"]}
JSON
jc() { JCOMPOSE_DAEMON_CONFIG=$work/daemon.json JCOMPOSE_HOST=unix://$run/jcompose.sock bin/jcompose --progress quiet -p "$project" -f "$file" "$@"; }
dc() { (eval "$(bench/lib/ref-dockerd env)"; "$JCOMPOSE_REF_DOCKER" compose --progress quiet -p "$project" -f "$file" "$@"); }

cleanup() {
  jc down -v -t 1 >/dev/null 2>&1 || true
  JCOMPOSE_DAEMON_CONFIG=$work/daemon.json JCOMPOSE_HOST=unix://$run/jcompose.sock bin/jcompose engine stop >/dev/null 2>&1 || true
  dc down -v -t 1 >/dev/null 2>&1 || true
  echo "$ip_forward_before" >/proc/sys/net/ipv4/ip_forward
  [ -z "$started_dockerd" ] || bench/lib/ref-dockerd stop >/dev/null || true
  [ -z "$started_registry" ] || fixtures/registry down >/dev/null || true
  rm -rf "$work" "$run"
}
trap cleanup EXIT

echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
jc up -d --wait
dc up -d --wait
printf '| round | engine | queries | errors | answers | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|\n'
for r in $(seq "$rounds"); do
  for engine in jcompose dockerd; do
    if [ "$engine" = jcompose ]; then out=$(jc exec -T client python3 /query.py "$queries" web); else out=$(dc exec -T client python3 /query.py "$queries" web); fi
    echo "$out" | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
print("| %s | %s | %d | %d | %d | %.3f | %.3f | %.3f |" % (sys.argv[1], sys.argv[2], d["queries"], d["errors"], d["answers"], d["p50_ms"], d["p99_ms"], d["max_ms"]))
' "$r" "$engine"
  done
done
