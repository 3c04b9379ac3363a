#!/usr/bin/env bash
# Engine daemon benchmark (issue 8): memory and list latency with 10 running containers.
#   - a private jcomposed (bench/lib/engines.sh) and the reference dockerd (bench/lib/ref-dockerd)
#     each run the same 10 `busybox sleep` containers (--network none);
#   - after 10 s idle: RSS and PSS of jcomposed + its 10 shims next to dockerd + containerd + the
#     10 containerd shims (the containers' own processes are the same on both and not counted);
#   - latency of Debian's docker CLI `ps` (filtered to the 10) and `volume ls` against each
#     daemon, interleaved rounds, min / median.
# Usage (root, after ./scripts/mvn -q -pl compose-cli -am package -DskipTests):
#   bench/engine-daemon.sh [rounds=30]
# The reference dockerd may be shared with other runs: only our containers' shims are counted,
# but dockerd's and containerd's own memory includes whatever else they hold.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-30}
. "$root/bench/lib/engines.sh"
tag=benchmem-$$
finish() {
  local ids
  mapfile -t ids < <(dk ps -aq --filter "name=$tag" 2>/dev/null)
  [ ${#ids[@]} -eq 0 ] || dk rm -f "${ids[@]}" >/dev/null || true
  engines_stop
}
trap finish EXIT
engines_start
jdk() { DOCKER_HOST=$JCOMPOSE_HOST dk "$@"; }

jdk pull -q busybox:latest >/dev/null
dk pull -q busybox:latest >/dev/null
ref_ids=()
for i in $(seq 10); do
  jdk run -d --network none --name "$tag-$i" busybox:latest sleep 3600 >/dev/null
  ref_ids+=("$(dk run -d --network none --name "$tag-$i" busybox:latest sleep 3600)")
done
[ "$(jdk ps -q --filter "name=$tag" | wc -l)" = 10 ] || { echo "jcomposed does not run the 10 containers" >&2; exit 1; }
[ "$(dk ps -q --filter "name=$tag" | wc -l)" = 10 ] || { echo "dockerd does not run the 10 containers" >&2; exit 1; }
sleep 10 # idle

mapfile -t jc_list < <(jc_pids)
mapfile -t ref_list < <(ref_pids "${ref_ids[@]}")
pids_of() { local l; for l in "$@"; do echo "${l#* }"; done; }
count_role() { local role=$1 l n=0; shift; for l in "$@"; do [ "${l%% *}" = "$role" ] && n=$((n + 1)); done; echo $n; }
[ "$(count_role shim "${jc_list[@]}")" = 10 ] || { echo "expected 10 jcompose shims: ${jc_list[*]}" >&2; exit 1; }
[ "$(count_role shim "${ref_list[@]}")" = 10 ] || { echo "expected 10 containerd shims: ${ref_list[*]}" >&2; exit 1; }

# shellcheck disable=SC2046
jc_rss=$(mem_kib rss $(pids_of "${jc_list[@]}")); jc_pss=$(mem_kib pss $(pids_of "${jc_list[@]}"))
# shellcheck disable=SC2046
ref_rss=$(mem_kib rss $(pids_of "${ref_list[@]}")); ref_pss=$(mem_kib pss $(pids_of "${ref_list[@]}"))
role_pids() { local role=$1 l; shift; for l in "$@"; do [ "${l%% *}" != "$role" ] || echo "${l#* }"; done; }
# shellcheck disable=SC2046
role_rss() { mem_kib rss $(role_pids "$@"); }

echo "## engine daemon memory and list latency, $(machine_state)"
echo "peers: $(dk version --format 'dockerd {{.Server.Version}}'), containerd $(dk version --format '{{range .Server.Components}}{{if eq .Name "containerd"}}{{.Version}}{{end}}{{end}}')"
echo
echo "| 10 running busybox sleep containers | jcomposed + shims | dockerd + containerd + shims | ratio |"
echo "|---|---:|---:|---:|"
awk -v a="$jc_rss" -v b="$ref_rss" 'BEGIN {printf "| RSS | %.1f MiB | %.1f MiB | %.2f |\n", a/1024, b/1024, a/b}'
awk -v a="$jc_pss" -v b="$ref_pss" 'BEGIN {printf "| PSS | %.1f MiB | %.1f MiB | %.2f |\n", a/1024, b/1024, a/b}'
printf '| of which daemon(s) RSS | %s KiB (jcomposed) | %s KiB (dockerd) + %s KiB (containerd) | |\n' \
  "$(role_rss jcomposed "${jc_list[@]}")" "$(role_rss dockerd "${ref_list[@]}")" "$(role_rss containerd "${ref_list[@]}")"
printf '| of which 10 shims RSS | %s KiB | %s KiB | |\n' "$(role_rss shim "${jc_list[@]}")" "$(role_rss shim "${ref_list[@]}")"
echo
bench_add "docker ps (10 containers) vs jcomposed" env DOCKER_HOST="$JCOMPOSE_HOST" "$JCOMPOSE_REF_DOCKER" ps --filter "name=$tag"
bench_add "docker ps (10 containers) vs dockerd" "$JCOMPOSE_REF_DOCKER" ps --filter "name=$tag"
bench_add "docker volume ls vs jcomposed" env DOCKER_HOST="$JCOMPOSE_HOST" "$JCOMPOSE_REF_DOCKER" volume ls
bench_add "docker volume ls vs dockerd" "$JCOMPOSE_REF_DOCKER" volume ls
bench_run "$rounds"
bench_ratio "docker ps (10 containers) vs jcomposed" "docker ps (10 containers) vs dockerd"
bench_ratio "docker volume ls vs jcomposed" "docker volume ls vs dockerd"
echo
echo "after: $(machine_state)"
