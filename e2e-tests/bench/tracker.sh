#!/usr/bin/env bash
# Shoal's tracker beside opentracker under the same load, in one run on this machine, on a stack of its own
# (free ports, a scratch SHOAL_HOME, stopped at the end): HTTP announces from wrk -t2 -c64 with a Lua script
# varying info_hash, peer_id and port; UDP announces from a Java load generator (2 sockets x 32 in flight);
# the stack's tracker replicating to Kafka as deployed, and the same build beside it with replication off.
#   e2e-tests/bench/tracker.sh [seconds]      (default 20 s a measurement, after a 5 s warm-up: ~4 minutes)
#   SHOAL_BENCH_PROFILE=1 e2e-tests/bench/tracker.sh   also records JFR (settings=profile) on the replication-off
#       tracker during each of its three measured loads and prints each one's hot methods after the table
# Prints Markdown table rows; the README's benchmark table shows the latest numbers.
set -euo pipefail
SECONDS_EACH="${1:-20}"
command -v wrk >/dev/null && command -v opentracker >/dev/null || { echo "needs wrk and opentracker (apt-get install wrk opentracker)" >&2; exit 1; }
BENCH_NAME=tracker-bench source "$(dirname "$0")/stack.sh"
bench_up
bench_java io.shoal.bench.TrackerBenchmark "$SHOAL_HOME/stack.properties" "$WORK" "$SECONDS_EACH" \
  "$ROOT/services/tracker/target/quarkus-app/quarkus-run.jar"
