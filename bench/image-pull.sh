#!/usr/bin/env bash
# Cold pull + unpack of fixture images from the local registry (fixtures/registry up):
# jcompose's ImageService vs `skopeo copy` + `umoci unpack`, alternating, N runs each.
# Prints min/median seconds and the ratio jcompose/skopeo+umoci. Needs root (unpacking).
# Usage: bench/image-pull.sh [runs=3] [registry=127.0.0.1:5000]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
REG=${2:-127.0.0.1:5000}
IMAGES=(library/mariadb:10.11 library/python:3.11-slim)
curl -fsS "http://$REG/v2/" >/dev/null || { echo "registry $REG not reachable: run fixtures/registry up" >&2; exit 2; }

./scripts/mvn -q -pl compose-runtime -am test-compile -DskipTests
CP_FILE=$(mktemp)
./scripts/mvn -q -pl compose-runtime dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="compose-runtime/target/test-classes:compose-runtime/target/classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
. scripts/jdk.sh
JAVA="$JAVA_HOME/bin/java"

WORK=$(mktemp -d /var/tmp/jcompose-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
now() { date +%s.%N; }

run_jcompose() {
  local d="$WORK/jc"; rm -rf "$d"; mkdir -p "$d"; sync
  local refs=(); for i in "${IMAGES[@]}"; do refs+=("$REG/$i"); done
  local t0; t0=$(now)
  "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" io.jcompose.runtime.image.PullBenchMain "$d" "${refs[@]}" >/dev/null
  echo "$(now) - $t0" | bc
}

run_skopeo() {
  local d="$WORK/sk"; rm -rf "$d"; mkdir -p "$d"; sync
  local t0; t0=$(now)
  for i in "${IMAGES[@]}"; do
    local name=${i//[\/:]/_}
    skopeo copy -q --src-tls-verify=false "docker://$REG/$i" "oci:$d/oci:$name" >/dev/null
    umoci unpack --image "$d/oci:$name" "$d/bundle-$name" >/dev/null
  done
  echo "$(now) - $t0" | bc
}

stats() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f %.2f\n", a[1], m}'; }

JC=(); SK=()
for r in $(seq "$RUNS"); do
  JC+=("$(run_jcompose)"); SK+=("$(run_skopeo)")
  echo "run $r: jcompose ${JC[-1]} s, skopeo+umoci ${SK[-1]} s" >&2
done
read -r jmin jmed < <(printf '%s\n' "${JC[@]}" | stats)
read -r smin smed < <(printf '%s\n' "${SK[@]}" | stats)
echo "images: ${IMAGES[*]} from $REG, $RUNS runs"
echo "jcompose       min $jmin s  median $jmed s"
echo "skopeo+umoci   min $smin s  median $smed s"
echo "ratio (median) jcompose / skopeo+umoci = $(echo "scale=2; $jmed / $smed" | bc)"
