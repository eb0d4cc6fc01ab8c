#!/usr/bin/env bash
# Large multi-file POSTs through the gateway of a stack of its own (the gateway at the local stack's
# default heap, -Xmx512m), with its used heap sampled every 100 ms: 10,000 files of mixed sizes (the limit,
# ~1.4 GiB) and 100 files of 100 MiB (10 GiB). The forms are generated as they are sent.
#   e2e-tests/bench/multifile.sh [mixed] [large]      (default both: about 10 minutes)
# Prints Markdown table rows; the README shows the latest numbers.
set -euo pipefail
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(mixed large)
BENCH_NAME=multifile-bench source "$(dirname "$0")/stack.sh"
bench_up
echo "| form | answer | time (throughput) | gateway's peak heap used |"
echo "|---|---:|---:|---:|"
bench_java io.shoal.bench.MultiFileUploadBenchmark "$SHOAL_HOME/stack.properties" "${SCENARIOS[@]}"
