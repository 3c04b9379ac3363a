#!/usr/bin/env bash
# bench/lib/timing.sh — tiny timing helpers for bench/ scripts (source it; bash).
#
#   . "$root/bench/lib/timing.sh"
#   bench_add "docker run --rm true" "$JCOMPOSE_REF_DOCKER" run --rm busybox true
#   bench_add "jcompose run --rm true" bin/jcompose run --rm ...
#   bench_run 5                     # 5 rounds; each round runs every variant once (interleaved,
#                                   # so the load of a shared machine falls on all alike)
#   bench_ratio "jcompose run --rm true" "docker run --rm true"
#
# bench_run prints a Markdown table (variant | runs | min ms | median ms). A variant whose
# command fails stops the benchmark with its stderr: a failed run is no timing.
# BENCH_BEFORE, when set, is evaluated (untimed) before every timed command, e.g. to remove a
# pulled image before a cold pull: BENCH_BEFORE='docker rmi -f busybox >/dev/null 2>&1 || true'.
# Output of the timed commands goes to /dev/null; set BENCH_SHOW=1 to see it.

declare -a bench_names=() bench_cmds=()
declare -A bench_samples=()

# time_ms CMD...: runs CMD once, prints its wall time in ms; returns CMD's exit status.
time_ms() {
  local t0 t1 rc=0 err
  err=$(mktemp)
  t0=$(date +%s%N)
  if [ -n "${BENCH_SHOW:-}" ]; then "$@" 2>"$err" || rc=$?; else "$@" >/dev/null 2>"$err" || rc=$?; fi
  t1=$(date +%s%N)
  if [ "$rc" != 0 ]; then
    echo "timing: '$*' failed with exit $rc:" >&2
    tail -n 20 "$err" >&2
  fi
  rm -f "$err"
  echo $(((t1 - t0) / 1000000))
  return "$rc"
}

# bench_add NAME CMD...: registers a variant.
bench_add() {
  local name=$1
  shift
  bench_names+=("$name")
  bench_cmds+=("$(printf '%q ' "$@")")
}

# bench_stats NAME: prints "min median runs" of NAME's samples (ms).
bench_stats() {
  # shellcheck disable=SC2086  # the samples are a space-separated list of integers
  printf '%s\n' ${bench_samples[$1]} | sort -n | awk '{v[NR] = $1} END {
    if (NR == 0) { print "- - 0"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)
    print v[1], m, NR }'
}

# bench_run ROUNDS: runs every variant ROUNDS times, interleaved; prints the table (of all
# samples so far). bench_reset forgets the variants and samples.
bench_run() {
  local rounds=$1 r i ms min med n
  for ((r = 1; r <= rounds; r++)); do
    for i in "${!bench_names[@]}"; do
      [ -z "${BENCH_BEFORE:-}" ] || eval "$BENCH_BEFORE"
      ms=$(eval "time_ms ${bench_cmds[$i]}") || { echo "timing: stopping: '${bench_names[$i]}' failed" >&2; return 1; }
      bench_samples[${bench_names[$i]}]+="$ms "
    done
  done
  echo "| variant | runs | min ms | median ms |"
  echo "|---|---:|---:|---:|"
  for i in "${!bench_names[@]}"; do
    read -r min med n < <(bench_stats "${bench_names[$i]}")
    echo "| ${bench_names[$i]} | $n | $min | $med |"
  done
}

bench_reset() { bench_names=(); bench_cmds=(); bench_samples=(); }

# bench_ratio A B: prints A's time as a multiple of B's (median and min).
bench_ratio() {
  local amin amed bmin bmed
  read -r amin amed < <(bench_stats "$1")
  read -r bmin bmed < <(bench_stats "$2")
  awk -v a="$1" -v b="$2" -v am="$amed" -v bm="$bmed" -v an="$amin" -v bn="$bmin" 'BEGIN {
    if (bm <= 0 || bn <= 0) { printf "ratio %s / %s: no time for %s\n", a, b, b; exit }
    printf "ratio %s / %s: %.2fx (median %d / %d ms), %.2fx (min %d / %d ms)\n", a, b, am / bm, am, bm, an / bn, an, bn }'
}
