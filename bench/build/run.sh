#!/usr/bin/env bash
# Build benchmark (issue 10): a 6-step Dockerfile on the python fixture, built three ways in one
# run — cold (--no-cache, base image present), rebuild with no change, rebuild after a source
# change — by
#   - docker build (DOCKER_BUILDKIT=0: dockerd's classic builder) against the reference dockerd,
#   - jcompose build against the reference dockerd (the CLI's own cost: context tar, stream),
#   - jcompose build against jcomposed (our engine), when it serves POST /build.
#   - POST /build with curl to each engine (the same tar): the engines without any CLI start-up.
# Goals (jcompose on jcomposed / docker build): no-change rebuild <= 0.5x, source change <= 1x.
# Needs root, a build (./scripts/build), the fixture registry; installs/starts the peers itself.
# Usage: bench/build/run.sh [rounds]   (default 5)
#   BENCH_BUILD_PHASES="cold nochange source" (the default) picks the phases, e.g. "nochange" alone.
set -euo pipefail
rounds=${1:-5}
phases=" ${BENCH_BUILD_PHASES:-cold nochange source} "
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "bench/build: needs root (reference dockerd, jcomposed)" >&2; exit 1; }
[ -f "$root/compose-cli/target/compose-cli-0.1.0-SNAPSHOT.jar" ] || { echo "bench/build: run ./scripts/build first" >&2; exit 1; }
"$root/bench/lib/install-peers" >/dev/null
. "$root/bench/lib/fixture-registry.sh"
. "$root/bench/lib/timing.sh"
registry_ensure

work=$(mktemp -d /tmp/jcbb.XXXXXX) # short: the shim's socket paths are length-limited
started=""
jc_host="unix://$work/jc.sock"
jcompose() { JCOMPOSE_DAEMON_CONFIG="$work/daemon.json" "$root/bin/jcompose" "$@"; }
cleanup() {
  jcompose -H "$jc_host" engine stop >/dev/null 2>&1 || true
  if [ -n "${DOCKER_HOST:-}" ]; then "$JCOMPOSE_REF_DOCKER" rmi -f jcbench-docker jcbench-viacli jcbench-api >/dev/null 2>&1 || true; fi
  [ -z "$started" ] || "$root/bench/lib/ref-dockerd" stop
  registry_release
  # the daemon may still be unmounting and closing its files just after `engine stop` answers
  for _ in 1 2 3 4 5; do rm -rf "$work" 2>/dev/null && break; sleep 1; done
  [ ! -e "$work" ] || echo "bench/build: could not remove $work" >&2
}
trap cleanup EXIT
"$root/bench/lib/ref-dockerd" status >/dev/null 2>&1 || { "$root/bench/lib/ref-dockerd" start; started=1; }
eval "$("$root/bench/lib/ref-dockerd" env)"
export DOCKER_BUILDKIT=0

# the project: requirements copied first, so a source change keeps the install step cached
app="$work/app"
mkdir -p "$app"
cat >"$app/Dockerfile" <<'DOCKERFILE'
FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN python -c "import json; print(json.dumps(open('requirements.txt').read().split()))" > /installed.json && python -m compileall -q /usr/local/lib/python3.11/json
COPY . .
CMD ["python", "main.py"]
DOCKERFILE
printf 'requests==2.31.0\nflask==3.0.0\n' >"$app/requirements.txt"
printf 'print("hello")\n' >"$app/main.py"
printf 'services:\n  app:\n    build: .\n    image: jcbench-viacli\n' >"$app/compose.yaml"

# jcomposed: own data root, socket and run dir, the fixture registry as Docker Hub mirror
printf '{"data-root": "%s", "exec-root": "%s", "hosts": ["%s"], "registry-mirrors": ["http://127.0.0.1:5000"]}\n' \
  "$work/jc" "$work/run" "$jc_host" >"$work/daemon.json"
export JCOMPOSE_SHIM=${JCOMPOSE_SHIM:-$root/compose-runtime/target/native/jcompose-shim}
jcompose -H "$jc_host" engine start >/dev/null

docker_build() { "$JCOMPOSE_REF_DOCKER" build -q "$@" -t jcbench-docker "$app"; }
cli_on_dockerd() { jcompose -H "$DOCKER_HOST" -f "$app/compose.yaml" build -q "$@"; }
cli_on_jcomposed() { jcompose -H "$jc_host" -f "$app/compose.yaml" build -q "$@"; }
# the engines alone, without any CLI's start-up: the same context tar POSTed with curl
api_build() { # socket, extra query
  local out
  out=$(tar -C "$app" -cf - . | curl -sf --unix-socket "$1" -X POST -H 'Content-Type: application/x-tar' --data-binary @- \
    "http://engine/v1.41/build?t=jcbench-api&rm=1$2")
  if grep -q errorDetail <<<"$out"; then echo "$out" >&2; return 1; fi
}

# warm-up: base image pulled into both engines (not timed); tells whether jcomposed builds at all
docker_build >/dev/null
cli_on_dockerd >/dev/null
ours=1
if ! out=$(cli_on_jcomposed 2>&1); then
  ours=0
  echo "jcomposed cannot build yet, measuring without it: $(echo "$out" | tail -n 1)"
fi

echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
variants() { # the suffix of each variant's name, then the flags
  local what=$1; shift
  bench_add "docker build ($what)" docker_build "$@"
  bench_add "jcompose build on dockerd ($what)" cli_on_dockerd "$@"
  [ "$ours" = 0 ] || bench_add "jcompose build on jcomposed ($what)" cli_on_jcomposed "$@"
  local query=""; [ "${1:-}" != --no-cache ] || query="&nocache=1"
  bench_add "POST /build to dockerd ($what)" api_build "${DOCKER_HOST#unix://}" "$query"
  [ "$ours" = 0 ] || bench_add "POST /build to jcomposed ($what)" api_build "${jc_host#unix://}" "$query"
}
ratio() {
  [ "$ours" = 0 ] || bench_ratio "jcompose build on jcomposed ($1)" "docker build ($1)"
  bench_ratio "jcompose build on dockerd ($1)" "docker build ($1)"
  [ "$ours" = 0 ] || bench_ratio "POST /build to jcomposed ($1)" "POST /build to dockerd ($1)"
}

if [[ $phases == *" cold "* ]]; then
  echo; echo "### cold (--no-cache)"
  variants cold --no-cache
  bench_run "$rounds"; ratio cold; bench_reset
fi

if [[ $phases == *" nochange "* ]]; then
  echo; echo "### no change"
  variants "no change"
  bench_run "$rounds"; ratio "no change"; bench_reset
fi

if [[ $phases == *" source "* ]]; then
  echo; echo "### source change (main.py edited before every build)"
  BENCH_BEFORE='printf "print(\"hello %s\")\n" "$(date +%s%N)" >"$app/main.py"'
  variants "source change"
  bench_run "$rounds"; ratio "source change"; bench_reset
  unset BENCH_BEFORE
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
