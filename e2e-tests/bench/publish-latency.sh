#!/usr/bin/env bash
# How long after its bytes are stored an upload is answered: N small uploads (1 MiB) a few seconds apart
# through the gateway of a stack of its own, each answer's Server-Timing printed, then the median and the worst
# of 'decide' (the event acknowledged to the gateway hearing that the torrent is published).
#   e2e-tests/bench/publish-latency.sh [uploads] [seconds-between]     (default 10 and 2: about 3 minutes)
# The consumers' poll timeout is a setting: SHOAL_MESSAGING_POLL_TIMEOUT_MS=1000 in the environment runs the same
# with the connector's default (metadata's upload consumer and the gateway's torrent follower; default 100).
set -euo pipefail
N="${1:-10}"
GAP="${2:-2}"
BENCH_NAME=publish-latency source "$(dirname "$0")/stack.sh"
bench_up
TOKEN=$(grep '^api.token=' "$SHOAL_HOME/stack.properties" | cut -d= -f2)
URL=$(grep '^gateway.url=' "$SHOAL_HOME/stack.properties" | cut -d= -f2 | sed 's/\\//g')
decides=()
for i in $(seq 1 "$N"); do
  head -c 1048576 /dev/urandom > "$WORK/upload.bin"
  timing=$(curl -s -o /dev/null -D - -T "$WORK/upload.bin" -H "Authorization: Bearer $TOKEN" \
    "$URL/api/v1/artifacts/latency-$i-$RANDOM.bin" | tr -d '\r' | sed -n 's/^[Ss]erver-[Tt]iming: //p')
  echo "upload $i: $timing"
  decides+=("$(sed -n 's/.*decide;dur=\([0-9]*\).*/\1/p' <<<"$timing")")
  sleep "$GAP"
done
# The first upload after start pays cold paths: the summary leaves it out.
printf '%s\n' "${decides[@]:1}" | sort -n | awk '{v[NR]=$1} END {printf "decide over uploads 2..%d: median %d ms, worst %d ms\n", NR+1, v[int((NR+1)/2)], v[NR]}'
