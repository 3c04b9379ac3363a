#!/usr/bin/env bash
# DNS benchmark (issue 7) against the peer: N sequential UDP A queries for a 3-replica service
# name from inside a container (python:3.11-slim, bench/network/dns/query.py) to the embedded
# resolver at 127.0.0.11 — on jcompose's engine and on Debian's dockerd (bench/lib/ref-dockerd,
# driven by docker compose v2), the same compose project, rounds interleaved.
# Needs root and a build of the CLI; the engines come from bench/lib/engines.sh.
# Usage: bench/network/dns-vs-dockerd.sh [queries=10000] [rounds=3]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
[ "$(id -u)" = 0 ] || { echo "dns-vs-dockerd: needs root" >&2; exit 1; }
queries=${1:-10000}
rounds=${2:-3}
project=jcdnsbench
file=$root/bench/network/dns/compose.yaml

. bench/lib/engines.sh
engines_start >/dev/null
trap 'jc -p "$project" -f "$file" down -v -t 1 >/dev/null 2>&1 || true; dk compose -p "$project" -f "$file" down -v -t 1 >/dev/null 2>&1 || true; engines_stop >/dev/null 2>&1' EXIT
jcq() { jc --progress quiet -p "$project" -f "$file" "$@"; }
dcq() { dk compose --progress quiet -p "$project" -f "$file" "$@"; }

echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
jcq up -d --wait
dcq up -d --wait
printf '| round | engine | queries | errors | answers | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|\n'
for r in $(seq "$rounds"); do
  for engine in jcompose dockerd; do
    if [ "$engine" = jcompose ]; then out=$(jcq exec -T client python3 /query.py "$queries" web); else out=$(dcq exec -T client python3 /query.py "$queries" web); fi
    echo "$out" | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
print("| %s | %s | %d | %d | %d | %.3f | %.3f | %.3f |" % (sys.argv[1], sys.argv[2], d["queries"], d["errors"], d["answers"], d["p50_ms"], d["p99_ms"], d["max_ms"]))
' "$r" "$engine"
  done
done
