#!/usr/bin/env bash
# Cold pull + unpack of fixture images from the local registry, the issue-5 comparison:
#   - `docker pull` (Debian's docker CLI) against jcomposed, a private engine started here;
#   - the same `docker pull` against the reference dockerd (bench/lib/ref-dockerd);
#   - `skopeo copy` + `umoci unpack` as a daemon-less baseline.
# Before each timed pull the images are removed on that engine (rmi + prune, so blobs and layers
# go too); rounds interleave the three so a shared machine's load falls on all alike.
# Needs root and a build of the CLI; the engines and the fixture registry come from
# bench/lib/engines.sh.
# Usage: bench/image-pull.sh [runs=3] [registry=127.0.0.1:5000]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ "$(id -u)" = 0 ] || { echo "image-pull: needs root" >&2; exit 1; }
RUNS=${1:-3}
REG=${2:-127.0.0.1:5000}
IMAGES=(library/mariadb:10.11 library/python:3.11-slim)
DOCKER=/usr/bin/docker

. bench/lib/engines.sh
engines_start >/dev/null
ref_host=$DOCKER_HOST
WORK=$(mktemp -d /var/tmp/jcompose-bench.XXXXXX)
cleanup() {
  for i in "${IMAGES[@]}"; do DOCKER_HOST=$ref_host "$DOCKER" rmi -f "$REG/$i" >/dev/null 2>&1 || true; done
  engines_stop >/dev/null 2>&1
  rm -rf "$WORK"; rm -f "${CPU_FILE:-}"
}
trap cleanup EXIT

now() { date +%s.%N; }
# cpu_s PID...: user+system CPU seconds the processes (and their waited-for children) used so far.
cpu_s() {
  local p t=0
  for p in "$@"; do t=$(awk -v t="$t" '{print t + ($14+$15+$16+$17)/100}' "/proc/$p/stat"); done
  echo "$t"
}
CPU_FILE=$(mktemp)
# docker_pull HOST PID...: removes the images on that engine, then times pulling them all
# (wall seconds on stdout; the daemon PIDs' CPU seconds during the pull appended to $CPU_FILE).
docker_pull() {
  local host=$1 t0 i id c0
  shift
  for i in "${IMAGES[@]}"; do
    # by id, so every tag of it goes (the same image may be there under its Docker Hub name too)
    id=$(DOCKER_HOST=$host "$DOCKER" image inspect -f '{{.Id}}' "$REG/$i" 2>/dev/null || true)
    [ -z "$id" ] || DOCKER_HOST=$host "$DOCKER" rmi -f "$id" >/dev/null 2>&1 || true
    # A container of someone else keeps the image (and its layers): the pull would not be cold.
    if [ -n "$id" ] && DOCKER_HOST=$host "$DOCKER" image inspect "$id" >/dev/null 2>&1; then
      echo "image-pull: $host still holds $i ($id) after rmi (a container uses it);" \
        "run the benchmark on an engine no one else uses" >&2
      exit 3
    fi
  done
  DOCKER_HOST=$host "$DOCKER" image prune -f >/dev/null
  sync
  c0=$(cpu_s "$@")
  t0=$(now)
  for i in "${IMAGES[@]}"; do DOCKER_HOST=$host "$DOCKER" pull -q "$REG/$i" >/dev/null; done
  echo "$(now) - $t0" | bc
  echo "$(cpu_s "$@") - $c0" | bc >>"$CPU_FILE"
}
run_skopeo() {
  local d="$WORK/sk" t0
  rm -rf "$d"; mkdir -p "$d"; sync
  t0=$(now)
  for i in "${IMAGES[@]}"; do
    local name=${i//[\/:]/_}
    skopeo copy -q --src-tls-verify=false "docker://$REG/$i" "oci:$d/oci:$name" >/dev/null
    umoci unpack --image "$d/oci:$name" "$d/bundle-$name" >/dev/null
  done
  echo "$(now) - $t0" | bc
}
stats() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f %.2f\n", a[1], m}'; }

# One untimed pull on each engine first: the removal before each timed pull goes by image id.
for i in "${IMAGES[@]}"; do
  for host in "$JCOMPOSE_HOST" "$ref_host"; do DOCKER_HOST=$host "$DOCKER" pull -q "$REG/$i" >/dev/null; done
done
echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); images: ${IMAGES[*]} from $REG, $RUNS runs"
# The daemons whose CPU time counts: jcomposed; dockerd and its containerd.
JC_PIDS=("$(jc_pid)")
mapfile -t REF_PIDS < <(bench/lib/ref-dockerd pids | awk '$1 == "dockerd" || $1 == "containerd" {print $2}')
JC=(); DD=(); SK=(); JCPU=(); DCPU=()
for r in $(seq "$RUNS"); do
  JC+=("$(docker_pull "$JCOMPOSE_HOST" "${JC_PIDS[@]}")"); JCPU+=("$(tail -1 "$CPU_FILE")")
  DD+=("$(docker_pull "$ref_host" "${REF_PIDS[@]}")"); DCPU+=("$(tail -1 "$CPU_FILE")")
  SK+=("$(run_skopeo)")
  echo "run $r: jcomposed ${JC[-1]} s (cpu ${JCPU[-1]} s), dockerd ${DD[-1]} s (cpu ${DCPU[-1]} s)," \
    "skopeo+umoci ${SK[-1]} s; load $(cut -d' ' -f1 /proc/loadavg)" >&2
done
rm -f "$CPU_FILE"
read -r jmin jmed < <(printf '%s\n' "${JC[@]}" | stats)
read -r dmin dmed < <(printf '%s\n' "${DD[@]}" | stats)
read -r smin smed < <(printf '%s\n' "${SK[@]}" | stats)
read -r _ jcmed < <(printf '%s\n' "${JCPU[@]}" | stats)
read -r _ dcmed < <(printf '%s\n' "${DCPU[@]}" | stats)
echo "# load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| what | min s | median s | ratio to dockerd (median) | daemon CPU s (median) | CPU ratio |\n|---|---|---|---|---|---|\n'
printf '| docker pull → jcomposed | %s | %s | %s | %s | %s |\n' "$jmin" "$jmed" "$(echo "scale=2; $jmed / $dmed" | bc)" \
  "$jcmed" "$(echo "scale=2; $jcmed / $dcmed" | bc)"
printf '| docker pull → dockerd 20.10 | %s | %s | 1 | %s | 1 |\n' "$dmin" "$dmed" "$dcmed"
printf '| skopeo copy + umoci unpack | %s | %s | %s | | |\n' "$smin" "$smed" "$(echo "scale=2; $smed / $dmed" | bc)"
