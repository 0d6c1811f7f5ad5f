#!/usr/bin/env bash
# HTTP benchmarks of the platform against the Chifeng demo database, with wrk on the same machine:
# authenticated reads (statistics, product catalogue, a loan with its schedule) and durable loan
# bookings. Usage: bench/http_bench.sh [DURATION_SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-32}
CORRIDOR_BENCH=1 ./scripts/setup
cmake --preset release >/dev/null
cmake --build --preset release --target corridor api_bench -- -j"$(nproc)" >/dev/null
bin=build/release/src/cli/corridor
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" demo --db "$work/bench.db" --seed 3 --as-of 2025-11-20 > "$work/tokens"
token=$(awk -F'\t' '$1 == "bank_officer" {print $2}' "$work/tokens")
first_offer=$(sqlite3 "$work/bench.db" "SELECT max(id) + 1 FROM offers")
first_request=$(sqlite3 "$work/bench.db" "SELECT coalesce(max(id), 0) + 1 FROM guarantee_requests")
sqlite3 "$work/bench.db" < bench/prepare_bookings.sql
loan=$(sqlite3 "$work/bench.db" "SELECT min(l.id) FROM loans l WHERE l.bank_tenant_id = (SELECT min(id) FROM tenants WHERE kind = 'bank') AND term_months = 24")
port=18080
"$bin" serve --db "$work/bench.db" --listen 127.0.0.1:$port --access-log "$work/access.log" 2>"$work/serve.err" &
server=$!
sleep 1
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "wrk: 2 threads, $connections connections, ${duration}s, on the same machine as the server"
for target in /api/v1/stats /api/v1/products "/api/v1/loans/$loan"; do
  echo "== GET $target"
  wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port$target" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"
done
echo "== POST /api/v1/loans (durable bookings, synchronous=FULL)"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s bench/bookings.lua \
  "http://127.0.0.1:$port/api/v1/loans" -- "$first_offer" "$first_request" "$token" 2 |
  grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"
booked=$(sqlite3 "$work/bench.db" "SELECT count(*) FROM loans l JOIN offers o ON o.id = l.offer_id WHERE o.id >= $first_offer")
echo "bookings committed: $booked"
echo "== in-process handler cost (no network)"
build/release/bench/api_bench "$work/bench.db" "$token" "$loan" --benchmark_min_time=1 2>/dev/null | grep BM_
