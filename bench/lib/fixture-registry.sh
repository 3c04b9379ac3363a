#!/usr/bin/env bash
# bench/lib/fixture-registry.sh — make sure the fixture registries run for a benchmark, and stop
# them afterwards only if this script started them (source it; bash).
#
#   . "$root/bench/lib/fixture-registry.sh"
#   registry_ensure || exit 1      # starts them with fixtures/registry up when 127.0.0.1:5000 is silent
#   trap registry_release EXIT     # fixtures/registry down, only when registry_ensure started them
#
# The script is $root/fixtures/registry; JCOMPOSE_FIXTURES_REGISTRY names another copy.

registry_started_here=""

registry_script() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  echo "${JCOMPOSE_FIXTURES_REGISTRY:-$root/fixtures/registry}"
}

registry_up() { curl -sf -o /dev/null --max-time 2 http://127.0.0.1:5000/v2/; }

registry_ensure() {
  local script
  registry_up && return 0
  script=$(registry_script)
  [ -x "$script" ] || {
    echo "fixture-registry: nothing on 127.0.0.1:5000 and no $script (set JCOMPOSE_FIXTURES_REGISTRY)" >&2
    return 1
  }
  "$script" up >&2 || return 1
  registry_started_here=1
  registry_up
}

registry_release() {
  [ -n "$registry_started_here" ] || return 0
  "$(registry_script)" down >&2
  registry_started_here=""
}
