#!/usr/bin/env bash
# Cold pull + unpack of fixture images from the local registry, the issue-5 comparison:
#   - `docker pull` (Debian's docker CLI) against jcomposed, a private engine started here;
#   - the same `docker pull` against the reference dockerd (bench/lib/ref-dockerd);
#   - `skopeo copy` + `umoci unpack` as a daemon-less baseline.
# Before each timed pull the images are removed on that engine (rmi + prune, so blobs and layers
# go too); rounds interleave the three so a shared machine's load falls on all alike.
# Needs root, a build (scripts/build), the peers (bench/lib/install-peers) and the fixture
# registry (started here if it is not running).
# Usage: bench/image-pull.sh [runs=3] [registry=127.0.0.1:5000]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ "$(id -u)" = 0 ] || { echo "image-pull: needs root" >&2; exit 1; }
RUNS=${1:-3}
REG=${2:-127.0.0.1:5000}
IMAGES=(library/mariadb:10.11 library/python:3.11-slim)
DOCKER=/usr/bin/docker

registry_status=$(fixtures/registry status 2>&1 || true) # not piped into grep -q: SIGPIPE under pipefail
started_registry=
if ! grep -q "5000: running" <<<"$registry_status"; then fixtures/registry up >/dev/null; started_registry=1; fi
started_dockerd=
if ! bench/lib/ref-dockerd status >/dev/null 2>&1; then bench/lib/ref-dockerd start >/dev/null; started_dockerd=1; fi
ref_host=$(bench/lib/ref-dockerd env | sed -n 's/^export DOCKER_HOST=//p')

WORK=$(mktemp -d /var/tmp/jcompose-bench.XXXXXX)
run=/tmp/jcp$$
mkdir -p "$run"
ip_forward_before=$(cat /proc/sys/net/ipv4/ip_forward)
cat >"$WORK/daemon.json" <<JSON
{"data-root": "$WORK/root", "exec-root": "$run", "hosts": ["unix://$run/jcompose.sock"]}
JSON
jc_env=(JCOMPOSE_DAEMON_CONFIG="$WORK/daemon.json" JCOMPOSE_HOST="unix://$run/jcompose.sock")
cleanup() {
  env "${jc_env[@]}" bin/jcompose engine stop >/dev/null 2>&1 || true
  for i in "${IMAGES[@]}"; do DOCKER_HOST=$ref_host "$DOCKER" rmi -f "$REG/$i" >/dev/null 2>&1 || true; done
  echo "$ip_forward_before" >/proc/sys/net/ipv4/ip_forward
  [ -z "$started_dockerd" ] || bench/lib/ref-dockerd stop >/dev/null || true
  [ -z "$started_registry" ] || fixtures/registry down >/dev/null || true
  rm -rf "$WORK" "$run"
}
trap cleanup EXIT
env "${jc_env[@]}" bin/jcompose engine start >/dev/null

now() { date +%s.%N; }
# docker_pull HOST: removes the images on that engine, then times pulling them all.
docker_pull() {
  local host=$1 t0 i id
  for i in "${IMAGES[@]}"; do
    id=$(DOCKER_HOST=$host "$DOCKER" image inspect -f '{{.Id}}' "$REG/$i" 2>/dev/null || true)
    DOCKER_HOST=$host "$DOCKER" rmi -f "$REG/$i" >/dev/null 2>&1 || true
    # Another tag or a container of someone else keeps the image (and its layers): the pull would not be cold.
    if [ -n "$id" ] && DOCKER_HOST=$host "$DOCKER" image inspect "$id" >/dev/null 2>&1; then
      echo "image-pull: $host still holds $i ($id) after rmi (another tag or container uses it);" \
        "run the benchmark on an engine no one else uses" >&2
      exit 3
    fi
  done
  DOCKER_HOST=$host "$DOCKER" image prune -f >/dev/null
  sync
  t0=$(now)
  for i in "${IMAGES[@]}"; do DOCKER_HOST=$host "$DOCKER" pull -q "$REG/$i" >/dev/null; done
  echo "$(now) - $t0" | bc
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

echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); images: ${IMAGES[*]} from $REG, $RUNS runs"
JC=(); DD=(); SK=()
for r in $(seq "$RUNS"); do
  JC+=("$(docker_pull "unix://$run/jcompose.sock")")
  DD+=("$(docker_pull "$ref_host")")
  SK+=("$(run_skopeo)")
  echo "run $r: jcomposed ${JC[-1]} s, dockerd ${DD[-1]} s, skopeo+umoci ${SK[-1]} s" >&2
done
read -r jmin jmed < <(printf '%s\n' "${JC[@]}" | stats)
read -r dmin dmed < <(printf '%s\n' "${DD[@]}" | stats)
read -r smin smed < <(printf '%s\n' "${SK[@]}" | stats)
printf '| what | min s | median s | ratio to dockerd (median) |\n|---|---|---|---|\n'
printf '| docker pull → jcomposed | %s | %s | %s |\n' "$jmin" "$jmed" "$(echo "scale=2; $jmed / $dmed" | bc)"
printf '| docker pull → dockerd 20.10 | %s | %s | 1 |\n' "$dmin" "$dmed"
printf '| skopeo copy + umoci unpack | %s | %s | %s |\n' "$smin" "$smed" "$(echo "scale=2; $smed / $dmed" | bc)"
