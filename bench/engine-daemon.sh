#!/usr/bin/env bash
# Engine daemon benchmark (issue 8): idle memory and API latency of jcomposed next to a reference
# dockerd (+ its containerd) started in the same run, both with no containers yet.
# Needs root for dockerd; without /usr/sbin/dockerd only jcomposed is measured.
# Usage: bench/engine-daemon.sh [requests]   (run from the repository root, after a build)
set -euo pipefail
n=${1:-30}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"
work=$(mktemp -d /tmp/jc-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done
  rm -rf "$work"
}
trap cleanup EXIT

cp_file="$work/cp.txt"
(cd "$root" && ./scripts/mvn -q -pl compose-runtime dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)
setsid "$JAVA_HOME/bin/java" -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED \
  -cp "$root/compose-runtime/target/classes:$(cat "$cp_file")" io.jcompose.runtime.daemon.Jcomposed \
  --data-root "$work/jc" -H "unix://$work/jc.sock" --detached >"$work/jc.out" 2>&1 &
pids+=($!)

have_dockerd=0
if [ -x /usr/sbin/dockerd ] && [ "$(id -u)" = 0 ]; then
  have_dockerd=1
  # never with defaults: own socket, data and exec roots, no bridge, no iptables (see BRIEF)
  printf '{"deprecated-key-path": "%s"}\n' "$work/key.json" >"$work/daemon.json" # not /etc/docker/key.json
  setsid /usr/sbin/dockerd --config-file "$work/daemon.json" --host "unix://$work/d.sock" --pidfile "$work/d.pid" --data-root "$work/d-data" \
    --exec-root "$work/d-exec" --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false --bridge=none \
    --dns 127.0.0.1 >"$work/d.out" 2>&1 &
  pids+=($!)
fi

wait_sock() { for _ in $(seq 200); do curl -sf --unix-socket "$1" http://x/_ping >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "no answer on $1" >&2; exit 1; }
wait_sock "$work/jc.sock"
[ $have_dockerd = 1 ] && wait_sock "$work/d.sock"
sleep 5 # idle

rss_kb() { local total=0; for p in "$@"; do total=$((total + $(awk '/VmRSS/{print $2}' /proc/"$p"/status))); done; echo $total; }
median_ms() { # socket, then the docker CLI arguments
  local sock=$1; shift
  for _ in $(seq "$n"); do
    local t0=$(date +%s%N); DOCKER_HOST="unix://$sock" docker "$@" >/dev/null; local t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 ))
  done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

jc_pid=$(pgrep -f -n "data-root $work/jc" || true)
jc_rss=$(rss_kb "$jc_pid")
jc_ls=$(median_ms "$work/jc.sock" volume ls)
jc_ps=$(median_ms "$work/jc.sock" ps -a)
echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "jcomposed idle RSS: $((jc_rss / 1024)) MiB; docker volume ls median ${jc_ls} ms; docker ps -a median ${jc_ps} ms (n=$n)"
if [ $have_dockerd = 1 ]; then
  d_pid=$(cat "$work/d.pid")
  d_rss=$(rss_kb "$d_pid" $(pgrep -P "$d_pid" | tr '\n' ' '))
  d_ls=$(median_ms "$work/d.sock" volume ls)
  d_ps=$(median_ms "$work/d.sock" ps -a)
  echo "dockerd+containerd idle RSS: $((d_rss / 1024)) MiB; docker volume ls median ${d_ls} ms; docker ps -a median ${d_ps} ms"
  awk -v a="$jc_rss" -v b="$d_rss" -v c="$jc_ls" -v d="$d_ls" -v e="$jc_ps" -v f="$d_ps" \
    'BEGIN {printf "ratios jcomposed/docker: RSS %.2f, volume ls %.2f, ps %.2f\n", a/b, c/d, e/f}'
fi
