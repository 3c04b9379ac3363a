#!/usr/bin/env bash
# Network benchmark (issue 7): attach cost per container vs. the same plumbing with ip(8),
# and embedded-DNS latency over 10,000 queries from inside a container namespace.
# Needs root. Usage: bench/network/run.sh [containers=30] [queries=10000]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "bench/network/run.sh: needs root (namespaces, links, nftables)" >&2; exit 1; }
. scripts/jdk.sh
./scripts/mvn -q -pl compose-runtime -am test-compile
./scripts/mvn -q -pl compose-runtime dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
cp="compose-runtime/target/test-classes:compose-runtime/target/classes:$(cat compose-runtime/target/bench.cp)"
echo "$(date -u +%FT%TZ) $(uname -r) $(nproc) cores"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dlogback.configurationFile=bench/network/logback.xml -cp "$cp" io.jcompose.runtime.network.bench.NetworkBench "$@"
