#!/usr/bin/env bash
# Shoal's tracker beside opentracker under the same load, in one run on this machine, on a stack of its own
# (free ports, a scratch SHOAL_HOME, stopped at the end): HTTP announces from wrk -t2 -c64 with a Lua script
# varying info_hash, peer_id and port; UDP announces from a Java load generator (2 sockets x 32 in flight).
#   e2e-tests/bench/tracker.sh [seconds]      (default 20 s a measurement, after a 5 s warm-up: ~4 minutes)
# Prints Markdown table rows; the README's benchmark table shows the latest numbers.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
source <(sed -n '/^java_major()/,/^}/p;/^find_jdk()/,/^}/p;/^die()/p' "$ROOT/shoal")
MIN_JAVA=21
find_jdk
SECONDS_EACH="${1:-20}"
command -v wrk >/dev/null && command -v opentracker >/dev/null || die "needs wrk and opentracker (apt-get install wrk opentracker)"
WORK="$(mktemp -d /tmp/shoal-tracker-bench.XXXXXX)"
export SHOAL_HOME="$WORK/home"
# Ports of its own, so a running ./shoal up is left alone.
export SHOAL_PEER_GATEWAY_PORT=28080 SHOAL_METADATA_PORT=28081 SHOAL_TRACKER_PORT=26969 SHOAL_SEEDER_WORKER_PORT=28083 \
  SHOAL_PEER_PORT=26881 SHOAL_KAFKA_PORT=29092 SHOAL_KAFKA_CONTROLLER_PORT=29093 SHOAL_POSTGRES_PORT=25432 SHOAL_S3_PORT=29000
cleanup() {
  "$ROOT/shoal" down >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
(cd "$ROOT" && mvn -q -B -pl e2e-tests -am install -DskipTests -Dshoal.fuzz.skip=true >/dev/null)
(cd "$ROOT/e2e-tests" && mvn -q -B dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench-classpath.txt >/dev/null)
SHOAL_SKIP_BUILD=1 "$ROOT/shoal" up -d >/dev/null
"$JAVA_HOME/bin/java" -cp "$ROOT/e2e-tests/target/classes:$(cat "$ROOT/e2e-tests/target/bench-classpath.txt")" \
  io.shoal.bench.TrackerBenchmark "$SHOAL_HOME/stack.properties" "$WORK" "$SECONDS_EACH"
