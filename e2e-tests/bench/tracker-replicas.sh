#!/usr/bin/env bash
# Three tracker replicas behind one UDP port (SO_REUSEPORT across the processes), sharing swarms through Kafka,
# beside the stack's single tracker: the aggregate announce rate, how long an announce at one replica takes to
# be handed out by another (idle and under load), and one replica killed under load (do the others lose a peer?).
# A stack of its own (free ports, a scratch SHOAL_HOME, stopped at the end).
#   e2e-tests/bench/tracker-replicas.sh [seconds]      (default 15 s a measurement: ~3 minutes)
# Prints Markdown table rows; the README's replicas table shows the latest numbers.
set -euo pipefail
SECONDS_EACH="${1:-15}"
BENCH_NAME=tracker-replicas source "$(dirname "$0")/stack.sh"
bench_up
bench_java io.shoal.bench.TrackerReplicasBenchmark "$SHOAL_HOME/stack.properties" "$WORK" "$SECONDS_EACH" \
  "$ROOT/services/tracker/target/quarkus-app/quarkus-run.jar"
