#!/usr/bin/env bash
# An artifact's file over HTTP from the gateway (GET /api/v1/artifacts/{name}/files/{name}) beside the same
# stored object read straight from the store with the MinIO SDK, in alternating rounds of one run, on a stack
# of its own (free ports, a scratch SHOAL_HOME, stopped at the end); and the gateway's resident memory at its
# largest meanwhile, against its 512 MiB heap and the file's size; and the CPU each process spent per GB.
#   e2e-tests/bench/download.sh [MiB] [rounds]      (default 1024 MiB, 3 rounds: about 3 minutes)
# Prints a JSON line and a Markdown row; the README's benchmark table shows the latest numbers.
set -euo pipefail
MIB="${1:-1024}"
ROUNDS="${2:-3}"
BENCH_NAME=download-bench source "$(dirname "$0")/stack.sh"
head -c "$((MIB * 1024 * 1024))" /dev/urandom > "$WORK/artifact.bin"
bench_up
state() { grep "^$1=" "$SHOAL_HOME/stack.properties" | cut -d= -f2- | sed 's/\\:/:/g'; }
GATEWAY="$(state gateway.url)"
curl -sf -T "$WORK/artifact.bin" -H "Authorization: Bearer $(state api.token)" "$GATEWAY/api/v1/artifacts/artifact.bin" >/dev/null
rm -f "$WORK/artifact.bin"
PORT="${GATEWAY##*:}"
listener() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
PID="$(listener "$PORT")"
S3="$(state s3.endpoint)"
STORE_PID="$(listener "${S3##*:}")"
RESULT="$(bench_java io.shoal.bench.DownloadBenchmark "$SHOAL_HOME/stack.properties" \
  "$GATEWAY/api/v1/artifacts/artifact.bin/files/artifact.bin" $((MIB * 1024 * 1024)) "$ROUNDS" "$PID" "$STORE_PID")"
echo "$RESULT"
/usr/bin/python3 - "$RESULT" "$MIB" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print()
d, g = r["cpu_s_per_GB_direct"], r["cpu_s_per_GB_via_gateway"]
print("| download | store read directly (MinIO SDK, one GET) | gateway over HTTP | ratio | gateway RSS before / peak | CPU s per GB, direct: store + client | via the gateway: gateway + store + client |")
print("|---|---|---|---|---|---|---|")
print("| %s MiB, median of %s | %.0f MB/s | %.0f MB/s | %.2fx | %d / %d MiB | %.2f + %.2f | %.2f + %.2f + %.2f |" % (sys.argv[2], len(r["store_MBps"]),
      r["store_median_MBps"], r["gateway_median_MBps"], r["ratio"], r["gateway_rss_before_KiB"] // 1024, r["gateway_rss_peak_KiB"] // 1024,
      d["store"], d["client"], g["gateway"], g["store"], g["client"]))
PY
