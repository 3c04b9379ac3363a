#!/usr/bin/env bash
# Container start benchmark (issue 6): create + start + wait + delete of `true` on a busybox
# rootfs, jcompose-shim vs `runc run` on the SAME bundle, interleaved, N runs each; then the
# resident memory of idle shim monitors. Needs root, busybox-static, runc, jq, a built shim.
# With --docker, also `docker run --rm` through the reference dockerd of bench/lib/ref-dockerd
# (own socket, roots and containerd; no bridge, no iptables; started for the run when none runs)
# on the same rootfs imported as an image.
# Usage: bench/container/run.sh [N] [--docker]   (default N = 20)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
n=20; docker=0
for a in "$@"; do case "$a" in --docker) docker=1 ;; *) n=$a ;; esac; done
shim=$root/compose-runtime/target/native/jcompose-shim
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
[ -x "$shim" ] || { echo "build first: ./scripts/mvn -q -pl compose-runtime -am compile" >&2; exit 1; }
command -v runc >/dev/null || { echo "needs runc" >&2; exit 1; }

work=$(mktemp -d /tmp/jcb-XXXXXX)
ids=()
ref_started=
cleanup() {
  if [ -n "$ref_started" ]; then
    "$root/bench/lib/ref-dockerd" stop || true
  fi
  for id in "${ids[@]}"; do "$shim" delete --bundle "$work/b-$id" --state "$work/s-$id" 2>/dev/null || true; done
  runc --root "$work/runc" list -q 2>/dev/null | while read -r c; do runc --root "$work/runc" delete -f "$c"; done
  rm -rf "$work"
}
trap cleanup EXIT

# busybox rootfs
mkdir -p "$work/rootfs/bin" "$work/rootfs/etc" "$work/rootfs/proc" "$work/rootfs/sys" "$work/rootfs/dev" "$work/rootfs/tmp"
cp /bin/busybox "$work/rootfs/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$work/rootfs/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$work/rootfs/etc/passwd"
printf 'root:x:0:\nwheel:x:10:root\n' > "$work/rootfs/etc/group"

# the spec BundleWriter writes (Docker's defaults)
. "$root/scripts/jdk.sh"
(cd "$root" && ./scripts/mvn -q -pl compose-runtime dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null)
java -cp "$root/compose-runtime/target/classes:$(cat "$work/cp.txt")" "$root/bench/container/GenSpec.java" "$work/rootfs" > "$work/template.json"

bundle() { # id args-json → bundle dir
  mkdir -p "$work/b-$1"
  jq --arg id "$1" --argjson args "$2" '.process.args = $args | .linux.cgroupsPath = "/jcompose/" + $id' \
     "$work/template.json" > "$work/b-$1/config.json"
}
now() { date +%s%N; }
shim_cycle() { # id: run + wait + delete through the shim
  "$shim" run --bundle "$work/b-$1" --state "$work/s-$1" --log "$work/l-$1"
  "$shim" wait --state "$work/s-$1" >/dev/null
  "$shim" delete --bundle "$work/b-$1" --state "$work/s-$1"
}
stats() { sort -n | awk '{a[NR]=$1} END {printf "%.2f %.2f\n", a[1]/1e6, a[int((NR+1)/2)]/1e6}'; }

: > "$work/shim.t"; : > "$work/runc.t"
for i in $(seq "$n"); do
  id=$(printf 'a%063d' "$i"); bundle "$id" '["true"]'
  t0=$(now); shim_cycle "$id"; echo $(( $(now) - t0 )) >> "$work/shim.t"

  id=$(printf 'c%063d' "$i"); bundle "$id" '["true"]'
  t0=$(now)
  runc --root "$work/runc" run --bundle "$work/b-$id" "$id" >/dev/null
  echo $(( $(now) - t0 )) >> "$work/runc.t"
done
read -r smin smed < <(stats < "$work/shim.t")
read -r rmin rmed < <(stats < "$work/runc.t")
echo "create+start+wait+delete of true, $n runs each, ms (min / median):"
echo "  jcompose-shim  $smin / $smed"
echo "  runc run       $rmin / $rmed"
awk -v s="$smed" -v r="$rmed" 'BEGIN { printf "  ratio shim/runc (median) %.2f\n", s / r }'

# the same through the Java engine (overlay, bundle, shim, wait, remove) vs runc doing the same work
read -r _ emin emed _ rmin2 rmed2 < <(java -Djcompose.shim="$shim" --enable-native-access=ALL-UNNAMED \
    -cp "$root/compose-runtime/target/classes:$(cat "$work/cp.txt")" "$root/bench/container/EngineBench.java" \
    "$work/rootfs" "$work" "$n" | tr '\n' ' '; echo)
echo "ContainerEngine create+start+wait+remove vs overlay+runc run+umount, ms (min / median):"
echo "  engine         $emin / $emed"
echo "  runc           $rmin2 / $rmed2"
awk -v s="$emed" -v r="$rmed2" 'BEGIN { printf "  ratio engine/runc (median) %.2f\n", s / r }'

if [ "$docker" = 1 ]; then
  "$root/bench/lib/install-peers" >&2
  if ! "$root/bench/lib/ref-dockerd" status >/dev/null 2>&1; then
    "$root/bench/lib/ref-dockerd" start
    ref_started=1
  fi
  eval "$("$root/bench/lib/ref-dockerd" env)"
  dk() { "$JCOMPOSE_REF_DOCKER" "$@"; }
  tar -C "$work/rootfs" -c . | dk import - jcbench/busybox:latest >/dev/null
  dk run --rm --network none jcbench/busybox true  # warm-up
  : > "$work/docker.t"; : > "$work/shim2.t"
  for i in $(seq "$n"); do
    t0=$(now); dk run --rm --network none jcbench/busybox true; echo $(( $(now) - t0 )) >> "$work/docker.t"
    id=$(printf 'e%063d' "$i"); bundle "$id" '["true"]'
    t0=$(now); shim_cycle "$id"; echo $(( $(now) - t0 )) >> "$work/shim2.t"
  done
  read -r dmin dmed < <(stats < "$work/docker.t")
  read -r s2min s2med < <(stats < "$work/shim2.t")
  echo "docker run --rm (dockerd $(dk version --format '{{.Server.Version}}')) vs jcompose-shim, ms (min / median):"
  echo "  docker         $dmin / $dmed"
  echo "  jcompose-shim  $s2min / $s2med"
  awk -v s="$s2med" -v r="$dmed" 'BEGIN { printf "  ratio shim/docker (median) %.2f\n", s / r }'
  awk -v s="$emed" -v r="$dmed" 'BEGIN { printf "  ratio ContainerEngine/docker (medians of this run) %.2f\n", s / r }'
fi

# idle monitors: RSS and PSS (shared pages split between them)
m=10
for i in $(seq "$m"); do
  id=$(printf 'd%063d' "$i"); ids+=("$id"); bundle "$id" '["sleep","1000"]'
  "$shim" run --bundle "$work/b-$id" --state "$work/s-$id" --log "$work/l-$id"
done
rss=0; pss=0
for id in "${ids[@]}"; do
  p=$(cat "$work/s-$id/shim.pid")
  rss=$(( rss + $(awk '/^Rss:/ {print $2}' /proc/$p/smaps_rollup) ))
  pss=$(( pss + $(awk '/^Pss:/ {print $2}' /proc/$p/smaps_rollup) ))
done
echo "idle monitor memory over $m containers, KiB each: RSS $(( rss / m )), PSS $(( pss / m ))"
