#!/usr/bin/env bash
# `corridor calc` at the scale of a country's counties and a province's firms, through the CLI as
# an analyst runs it (process start, JSON parse and answer included): DEA (BCC input, the
# dea_bench technology) on N DMUs, and DebtRank (linear) of one firm's default on a sparse network
# of M nodes with 5 claims each, given as an edge list.
# Usage: bench/calc_scale.sh [DEA_DMUS] [NETWORK_NODES]   (defaults 30000 and 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
dmus=${1:-30000}
nodes=${2:-1000000}
./scripts/setup
cmake --preset release >/dev/null
cmake --build --preset release --target corridor -- -j"$(nproc)" >/dev/null
bin=build/release/src/cli/corridor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$dmus" "$nodes" <<'PY'
import json, math, random, sys
work, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
X, Y = [], []
for _ in range(n):
    x = [rng.uniform(10, 100) for _ in range(5)]
    core = math.prod(v ** 0.18 for v in x) * math.exp(-abs(rng.gauss(0, 0.3)))
    X.append(x)
    Y.append([core * math.exp(rng.gauss(0, 0.1)) for _ in range(3)])
json.dump({"inputs": X, "outputs": Y, "returns": "vrs", "threads": 2}, open(f"{work}/dea.json", "w"))
edges = []
for i in range(m):
    for j in rng.sample(range(m), 5):
        if j != i:
            edges.append({"creditor": i, "debtor": j, "amount": round(rng.lognormvariate(0, 1), 6)})
capital = [round(rng.uniform(5, 20), 6) for _ in range(m)]
h0 = [0.0] * m
h0[0] = 1.0
json.dump({"nodes": m, "edges": edges, "capital": capital, "variant": "linear",
           "initial_stress": h0},
          open(f"{work}/net.json", "w"))
PY
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== dea, $dmus DMUs x 5 inputs x 3 outputs, BCC input, 2 threads"
/usr/bin/time -f "%e s, %M KiB peak" "$bin" calc dea --input "$work/dea.json" 2>&1 >"$work/dea.out" | tail -1
python3 -c "import json,sys; d=json.load(open('$work/dea.out')); e=[x for x in d['efficiency'] if x is not None]; print(f'{len(e)} scores, {sum(1 for x in e if x > 1 - 1e-9)} efficient, mean {sum(e)/len(e):.6f}')"
echo "== debtrank, one default, $nodes nodes, $(python3 -c "import json; print(len(json.load(open('$work/net.json'))['edges']))") edges, linear"
/usr/bin/time -f "%e s, %M KiB peak" "$bin" calc debtrank --input "$work/net.json" 2>&1 >"$work/net.out" | tail -1
python3 -c "import json; d=json.load(open('$work/net.out')); print(f\"DebtRank {d['debtrank']:.6f}, {d['rounds']} rounds, {d['additional_defaults']} further defaults\")"
