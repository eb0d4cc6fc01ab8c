#!/usr/bin/env bash
# Upload through the gateway beside the same bytes put straight into the store with the MinIO SDK, in one
# run on this machine, on a stack of its own (free ports, a scratch SHOAL_HOME, stopped at the end).
#   e2e-tests/bench/upload.sh [MiB] [rounds]      (default 2048 MiB, 3 rounds: about 5 minutes)
# Prints a Markdown table row; the README's benchmark table shows the latest numbers.
set -euo pipefail
MIB="${1:-2048}"
ROUNDS="${2:-3}"
BENCH_NAME=upload-bench source "$(dirname "$0")/stack.sh"
head -c "$((MIB * 1024 * 1024))" /dev/urandom > "$WORK/artifact.bin"
bench_up
bench_java io.shoal.bench.UploadBenchmark "$SHOAL_HOME/stack.properties" "$WORK/artifact.bin" "$ROUNDS"
