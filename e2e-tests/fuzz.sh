#!/usr/bin/env bash
# Longer fuzzing runs of the protocol parsers than CI's 10 s a target, on demand.
#   e2e-tests/fuzz.sh [SECONDS] [TARGET...]
# SECONDS per target (default 300); TARGETs among bencode peerwire announcequery udppacket metainfo
# krpcandmagnet, mse (default: all). Runs the same Jazzer fuzz tests CI runs (surefire executions fuzz-<target>)
# in rounds of 10 s; Jazzer keeps its corpus in services/bittorrent/.cifuzz-corpus/ between rounds, so a
# long run goes on where the last round stopped. Prints the executions per target. A finding fails the
# round and is saved under src/test/resources/…/<Target>FuzzTestInputs/, where every test run replays it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-300}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(bencode peerwire mse announcequery udppacket metainfo krpcandmagnet)

source <(sed -n '/^java_major()/,/^}/p;/^find_jdk()/,/^}/p;/^die()/p' "$ROOT/shoal")
MIN_JAVA=21
find_jdk
(cd "$ROOT" && mvn -q -B -pl services/bittorrent -am install -DskipTests >/dev/null)
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for target in "${targets[@]}"; do
  rounds=$(( (seconds + 9) / 10 ))
  total=0
  for ((round = 1; round <= rounds; round++)); do
    if ! (cd "$ROOT/services/bittorrent" && mvn -B -o surefire:test@fuzz-"$target" >"$log" 2>&1); then
      grep -E 'DONE|Exception|crash|FAIL' "$log" | head -20
      echo "$target: a finding in round $round; see the output above" >&2
      exit 1
    fi
    runs=$(sed -n 's/^#\([0-9]*\)[[:space:]]*DONE.*/\1/p' "$log" | tail -n 1)
    total=$((total + ${runs:-0}))
  done
  echo "$target: $total executions in $rounds rounds of 10 s, no finding"
done
