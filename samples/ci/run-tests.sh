#!/usr/bin/env bash
# CI recipe (see README.md): bring samples/devstack up, run a test against it, and ALWAYS take it
# down again — on success, on a failed test, on Ctrl-C (SIGINT) and on SIGTERM from a CI runner.
#
#   samples/ci/run-tests.sh                      # uses `jcompose` from the PATH
#   JCOMPOSE=/path/to/bin/jcompose samples/ci/run-tests.sh
#
# Environment: JCOMPOSE (the CLI), DEVSTACK_DIR (the project; default ../devstack),
# COMPOSE_PROJECT_NAME (default ci-devstack-<pid>: unique, so parallel jobs never collide),
# APP_PORT (host port; default 0 = the engine picks a free one, read back with `jcompose port`),
# WAIT_TIMEOUT (seconds for `up --wait`, default 180).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JCOMPOSE=${JCOMPOSE:-jcompose}
project_dir=$(cd "${DEVSTACK_DIR:-$here/../devstack}" && pwd)
project=${COMPOSE_PROJECT_NAME:-ci-devstack-$$}
export APP_PORT=${APP_PORT:-0}

compose() {
  "$JCOMPOSE" --progress plain -f "$project_dir/compose.yaml" -p "$project" "$@"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$rc" -ne 0 ]; then
    echo "--- run-tests: failed (exit $rc); state and last logs of $project:" >&2
    compose ps -a >&2 || true
    compose logs --tail 20 >&2 || true
  fi
  echo "--- run-tests: removing project $project"
  compose down -v --remove-orphans -t 2 || echo "run-tests: warning: down failed; see 'jcompose -p $project ps -a'" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT   # Ctrl-C: the EXIT trap still cleans up
trap 'exit 143' TERM  # a CI runner cancelling the job

echo "--- run-tests: starting project $project from $project_dir"
compose up -d --wait --wait-timeout "${WAIT_TIMEOUT:-180}"

published=$(compose port app 8000)        # e.g. 0.0.0.0:49153
port=${published##*:}
url="http://127.0.0.1:$port/"
echo "--- run-tests: app is on $url"

visits() {
  local body
  body=$(curl -fsS --max-time 20 "$url")
  echo "$body" >&2
  sed -n 's/.*"visits": *\([0-9][0-9]*\).*/\1/p' <<<"$body"
}

first=$(visits)
second=$(visits)
if [ -z "$first" ] || [ "$second" != $((first + 1)) ]; then
  echo "run-tests: FAIL: the visit counter went from '$first' to '$second' (expected +1)" >&2
  exit 1
fi
echo "run-tests: ok: the app answers and counts (visits $first -> $second)"
