#!/usr/bin/env bash
# Container start benchmark (issue 6): create + start + wait + delete of `true` on a busybox
# rootfs, jcompose-shim vs `runc run` on the SAME bundle, interleaved, N runs each; then the
# resident memory of idle shim monitors. Needs root, busybox-static, runc, jq, a built shim.
# Usage: bench/container/run.sh [N]   (default 20)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
n=${1:-20}
shim=$root/compose-runtime/target/native/jcompose-shim
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
[ -x "$shim" ] || { echo "build first: ./scripts/mvn -q -pl compose-runtime -am compile" >&2; exit 1; }
command -v runc >/dev/null || { echo "needs runc" >&2; exit 1; }

work=$(mktemp -d /tmp/jcb-XXXXXX)
ids=()
cleanup() {
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
stats() { sort -n | awk '{a[NR]=$1} END {printf "%.2f %.2f\n", a[1]/1e6, a[int((NR+1)/2)]/1e6}'; }

: > "$work/shim.t"; : > "$work/runc.t"
for i in $(seq "$n"); do
  id=$(printf 'a%063d' "$i"); bundle "$id" '["true"]'
  t0=$(now)
  "$shim" run --bundle "$work/b-$id" --state "$work/s-$id" --log "$work/l-$id"
  "$shim" wait --state "$work/s-$id" >/dev/null
  "$shim" delete --bundle "$work/b-$id" --state "$work/s-$id"
  echo $(( $(now) - t0 )) >> "$work/shim.t"

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
