#!/usr/bin/env bash
# bench/lib/engines.sh — the two engines a benchmark compares, started for one run (source it; bash):
#   - a private jcomposed: own data root, run root and socket under a temp dir, the fixture
#     registry as Docker Hub mirror (as the it/ tests run it); `jc` runs bin/jcompose against it;
#   - the reference dockerd of bench/lib/ref-dockerd (shared: started only when none runs, and
#     then stopped again at the end); `dk` runs Debian's docker CLI against it, and the exports of
#     `ref-dockerd env` give $JCOMPOSE_REF_COMPOSE_V1 / _V2 and `docker compose` (v2 plugin).
#
#   . "$root/bench/lib/engines.sh"
#   engines_start            # installs the peers if needed, fixture registry, both engines
#   trap engines_stop EXIT
#   jc up -d ...; dk ps ...; jc_pids (daemon + shims); ref_pids (dockerd, containerd, shims)
#
# Needs root and a build of the CLI: ./scripts/mvn -q -pl compose-cli -am package -DskipTests
# (bin/jcompose runs compose-cli/target; its AOT cache comes from scripts/make-aot-cache).

engines_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$engines_root/bench/lib/fixture-registry.sh"
. "$engines_root/bench/lib/timing.sh"

jc_work=""
jc_run=""
ref_started_here=""

jc() { "$engines_root/bin/jcompose" "$@"; }
dk() { "$JCOMPOSE_REF_DOCKER" "$@"; }

engines_start() {
  [ "$(id -u)" = 0 ] || { echo "engines: run as root" >&2; return 1; }
  "$engines_root/bench/lib/install-peers" >&2
  registry_ensure || return 1
  if ! "$engines_root/bench/lib/ref-dockerd" status >/dev/null 2>&1; then
    "$engines_root/bench/lib/ref-dockerd" start
    ref_started_here=1
  fi
  eval "$("$engines_root/bench/lib/ref-dockerd" env)"
  export DOCKER_HOST DOCKER_CONFIG JCOMPOSE_REF_DOCKER JCOMPOSE_REF_COMPOSE_V1 JCOMPOSE_REF_COMPOSE_V2

  jc_work=$(mktemp -d /tmp/jc-bench.XXXXXX)
  jc_run=$(mktemp -d /tmp/jcb.XXXXXX) # short: the shims' socket paths must fit
  cat >"$jc_work/daemon.json" <<EOF
{"data-root": "$jc_work/root", "exec-root": "$jc_run", "hosts": ["unix://$jc_run/jcompose.sock"], "registry-mirrors": ["http://127.0.0.1:5000"]}
EOF
  export JCOMPOSE_DAEMON_CONFIG="$jc_work/daemon.json"
  export JCOMPOSE_HOST="unix://$jc_run/jcompose.sock"
  export JCOMPOSE_SHIM="${JCOMPOSE_SHIM:-$engines_root/compose-runtime/target/native/jcompose-shim}"
  ip_forward_before=$(cat /proc/sys/net/ipv4/ip_forward)
  jc engine start >&2
}

# jc_pid: the private jcomposed's pid (from its data root lock).
jc_pid() { tr -d '[:space:]' <"$jc_work/root/jcomposed.lock"; }

# jc_pids: "<role> <pid>" of the private jcomposed and its shims (the container processes not included).
jc_pids() {
  local p
  echo "jcomposed $(jc_pid)"
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = jcompose-shim ] || continue
    tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "$jc_work/root/" && echo "shim ${p#/proc/}"
  done
  return 0
}

# ref_pids [CONTAINER_ID...]: dockerd, containerd and the shims (of the given containers only, when named).
ref_pids() {
  local role pid id
  "$engines_root/bench/lib/ref-dockerd" pids | while read -r role pid; do
    if [ "$role" = shim ] && [ $# -gt 0 ]; then
      id=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | sed -n '/^-id$/{n;p}')
      printf '%s\n' "$@" | grep -qx -- "$id" || continue
    fi
    echo "$role $pid"
  done
}

# mem_kib KIND PID...: summed VmRSS (KIND=rss) or Pss (KIND=pss) of the PIDs, in KiB.
mem_kib() {
  local kind=$1 p total=0 v
  shift
  for p in "$@"; do
    if [ "$kind" = rss ]; then
      v=$(awk '/^VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null)
    else
      v=$(awk '/^Pss:/{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null)
    fi
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# machine_state: one line for bench/README.md (date, cores, load, memory).
machine_state() {
  echo "$(date -u '+%F %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(awk '/MemAvailable/{printf "%.1f", $2/1048576}' /proc/meminfo) GiB available"
}

engines_stop() {
  local ids
  if [ -n "$jc_work" ]; then
    # containers outlive the daemon: remove what a failed run left, then stop it
    mapfile -t ids < <(DOCKER_HOST=$JCOMPOSE_HOST dk ps -aq 2>/dev/null)
    [ ${#ids[@]} -eq 0 ] || DOCKER_HOST=$JCOMPOSE_HOST dk rm -fv "${ids[@]}" >/dev/null || true
    DOCKER_HOST=$JCOMPOSE_HOST dk network prune -f >/dev/null 2>&1 || true
    DOCKER_HOST=$JCOMPOSE_HOST dk volume prune -f >/dev/null 2>&1 || true
    jc engine stop >&2 || true
    echo "$ip_forward_before" >/proc/sys/net/ipv4/ip_forward
    if grep -qF -e " $jc_work/" -e " $jc_run/" /proc/self/mountinfo; then
      echo "engines: mounts left under $jc_work or $jc_run; not removing them (look with: grep $jc_work /proc/self/mountinfo)" >&2
    else
      rm -rf "$jc_work" "$jc_run"
    fi
    jc_work=""
  fi
  if [ -n "$ref_started_here" ]; then
    "$engines_root/bench/lib/ref-dockerd" stop || true
    ref_started_here=""
  fi
  registry_release
}

# ---- wall time and CPU time, client and daemon ---------------------------------------------
# On a loaded machine wall time mostly measures the scheduler; the CPU time the work costs moves
# much less. cb_* time a command like timing.sh (interleaved rounds, min/median) and also take
# the client's CPU (user+sys, /usr/bin/time) and the CPU the engine's daemons spent meanwhile
# (utime+stime+reaped children of the PIDs a function prints: jc_daemon_pids / ref_daemon_pids).
#   cb_add NAME PIDS_FUNCTION CMD...; cb_run ROUNDS; cb_ratio A B; cb_reset
declare -a cb_names=() cb_cmds=() cb_daemons=()
declare -A cb_wall=() cb_cpu=() cb_dcpu=()

jc_daemon_pids() { jc_pid; }
ref_daemon_pids() { "$engines_root/bench/lib/ref-dockerd" pids | awk '$1 != "shim" {print $2}'; }

cb_add() {
  local name=$1 pids=$2
  shift 2
  cb_names+=("$name")
  cb_daemons+=("$pids")
  cb_cmds+=("$(printf '%q ' "$@")")
}

cb_reset() { cb_names=(); cb_cmds=(); cb_daemons=(); cb_wall=(); cb_cpu=(); cb_dcpu=(); }

# ticks PID...: CPU clock ticks used by the PIDs and their reaped children.
ticks() {
  local p t=0 v
  for p in "$@"; do
    v=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13 + $14 + $15}')
    t=$((t + ${v:-0}))
  done
  echo "$t"
}

# stats_of "N N N...": "min median count"
stats_of() {
  # shellcheck disable=SC2086
  printf '%s\n' $1 | sort -n | awk '{v[NR] = $1} END {
    if (NR == 0) { print "- - 0"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)
    print v[1], m, NR }'
}

cb_run() {
  local rounds=$1 r i pids d0 d1 t0 t1 u s rc tf ef hz
  hz=$(getconf CLK_TCK)
  tf=$(mktemp)
  ef=$(mktemp)
  for ((r = 1; r <= rounds; r++)); do
    for i in "${!cb_names[@]}"; do
      [ -z "${BENCH_BEFORE:-}" ] || eval "$BENCH_BEFORE"
      # shellcheck disable=SC2046
      pids=$(${cb_daemons[$i]} | tr '\n' ' ')
      # shellcheck disable=SC2086
      d0=$(ticks $pids)
      t0=$(date +%s%N)
      rc=0
      eval "/usr/bin/time -f '%U %S' -o '$tf' ${cb_cmds[$i]}" >/dev/null 2>"$ef" || rc=$?
      t1=$(date +%s%N)
      # shellcheck disable=SC2086
      d1=$(ticks $pids)
      if [ "$rc" != 0 ]; then
        echo "timing: '${cb_names[$i]}' failed with exit $rc:" >&2
        tail -n 20 "$ef" >&2
        rm -f "$tf" "$ef"
        return 1
      fi
      read -r u s < <(tail -n 1 "$tf") || true
      cb_wall[${cb_names[$i]}]+="$(((t1 - t0) / 1000000)) "
      cb_cpu[${cb_names[$i]}]+="$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%d", (u + s) * 1000}') "
      cb_dcpu[${cb_names[$i]}]+="$(((d1 - d0) * 1000 / hz)) "
    done
  done
  rm -f "$tf" "$ef"
  echo "| variant | runs | wall min ms | wall median ms | client CPU median ms | daemons' CPU median ms |"
  echo "|---|---:|---:|---:|---:|---:|"
  for i in "${!cb_names[@]}"; do
    local n=${cb_names[$i]} wmin wmed cnt cmed dmed x
    read -r wmin wmed cnt < <(stats_of "${cb_wall[$n]}")
    read -r x cmed x < <(stats_of "${cb_cpu[$n]}")
    read -r x dmed x < <(stats_of "${cb_dcpu[$n]}")
    echo "| $n | $cnt | $wmin | $wmed | $cmed | $dmed |"
  done
}

# cb_ratio A B: A as a multiple of B: wall median, wall min, and client+daemon CPU median.
cb_ratio() {
  local amin amed bmin bmed acpu bcpu x
  read -r amin amed x < <(stats_of "${cb_wall[$1]}")
  read -r bmin bmed x < <(stats_of "${cb_wall[$2]}")
  # shellcheck disable=SC2086
  acpu=$(paste -d' ' <(printf '%s\n' ${cb_cpu[$1]}) <(printf '%s\n' ${cb_dcpu[$1]}) | awk '{printf "%d ", $1 + $2}')
  # shellcheck disable=SC2086
  bcpu=$(paste -d' ' <(printf '%s\n' ${cb_cpu[$2]}) <(printf '%s\n' ${cb_dcpu[$2]}) | awk '{printf "%d ", $1 + $2}')
  read -r x acpu x < <(stats_of "$acpu")
  read -r x bcpu x < <(stats_of "$bcpu")
  awk -v a="$1" -v b="$2" -v am="$amed" -v bm="$bmed" -v an="$amin" -v bn="$bmin" -v ac="$acpu" -v bc="$bcpu" 'BEGIN {
    printf "ratio %s / %s: wall %.2fx (median %d / %d ms), %.2fx (min %d / %d ms); CPU client+daemons %.2fx (median %d / %d ms)\n",
      a, b, am / bm, am, bm, an / bn, an, bn, (bc > 0 ? ac / bc : 0), ac, bc }'
}
