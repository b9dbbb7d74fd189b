#!/usr/bin/env bash
# Nearest facility for every node, 40 facility kinds: Leefbaar's engine against
# scipy.sparse.csgraph.dijkstra(min_only=True), in the same run, on the largest real OSM fixture
# and on a synthetic road-like grid of 1 million nodes; plus PBF parse speed and closure
# scenario latency. Checks the answers are identical and prints a Markdown table. Times are the
# fastest of about a second's worth of passes over the 40 kinds, for both engines; the grid is
# searched by Leefbaar in Hilbert order, and scipy is timed on that order too (one column).
#
# Usage: bench/network/run.sh            (from anywhere; needs python3 and network access to PyPI
#                                         the first time, for scipy in a venv under /tmp)
# Env:   LEEFBAAR_OSM_FIXTURES: the folder holding monaco_osrm.osm.pbf and delft_area_2025.osm.pbf
#        (the larger OSM fixtures, not in the repository: crates/leefbaar-network/tests/data/SOURCE.md);
#        without it only the synthetic grid is run, and a `skipped:` line says so.
#        GRID_SIDE (default 1000), OUT (default /tmp/leefbaar-bench-network),
#        VENV (default /tmp/leefbaar-scipy-venv), CARGO_TARGET_DIR as usual.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-/tmp/leefbaar-bench-network}
venv=${VENV:-/tmp/leefbaar-scipy-venv}
grid_side=${GRID_SIDE:-1000}
target=${CARGO_TARGET_DIR:-$repo/target}
fixtures=${LEEFBAAR_OSM_FIXTURES:-}

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import scipy' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet scipy numpy
fi

(cd "$repo" && cargo build --quiet --release -p leefbaar-network --example network_bench)
bench="$target/release/examples/network_bench"

echo "## Machine"
lscpu | head -20
echo "rustc: $(rustc --version)"
echo "python: $("$venv/bin/python" --version), scipy $("$venv/bin/python" -c 'import scipy; print(scipy.__version__)')"
echo

cases=()
if [ -n "$fixtures" ]; then
  cases+=("monaco_car|--pbf $fixtures/monaco_osrm.osm.pbf --profile car"
          "monaco_foot|--pbf $fixtures/monaco_osrm.osm.pbf --profile foot"
          "delft_area_car|--pbf $fixtures/delft_area_2025.osm.pbf --profile car")
else
  echo "skipped: Monaco and Delft (set LEEFBAAR_OSM_FIXTURES=DIR, the folder holding monaco_osrm.osm.pbf and delft_area_2025.osm.pbf)" >&2
fi
cases+=("grid_${grid_side}|--grid $grid_side")
status=0
for case in "${cases[@]}"; do
  name=${case%%|*}
  args=${case#*|}
  rm -rf "${out:?}/$name"
  # shellcheck disable=SC2086
  "$bench" $args --out "$out/$name" > /dev/null
  "$venv/bin/python" "$repo/bench/network/compare_scipy.py" "$out/$name" > /dev/null || status=1
  rm -f "$out/$name"/leefbaar_*.bin
done

"$venv/bin/python" - "$out" "${cases[@]%%|*}" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
print("Times are the fastest of N passes over the 40 kinds (N = passes for Leefbaar / scipy, about a second each); first passes in meta.json and scipy.json.")
print()
print("| graph | nodes | edges | Leefbaar 40 kinds, 1 thread (s) | Leefbaar, all threads (s) | scipy 40 kinds (s) | speed-up 1 thread | scipy in Leefbaar's node order (s) | passes | identical | Leefbaar peak RSS (MB) | scipy peak RSS (MB) | scenario median / max (ms) | PBF MB/s |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for name in sys.argv[2:]:
    m = json.loads((out / name / "meta.json").read_text())
    s = json.loads((out / name / "scipy.json").read_text())
    ours, theirs = float(m["leefbaar_40_kinds_s"]), float(s["scipy_40_kinds_s"])
    ident = "yes" if s["mismatches"] == 0 else f"NO ({s['mismatches']})"
    pbf = m.get("pbf_mb_per_s", "–")
    # The grid is searched in Hilbert order; scipy on that order too shows what the order buys.
    same = s.get("scipy_40_kinds_leefbaar_order_s")
    same_order = f"{float(same):.4f} ({float(same) / ours:.1f}×)" if same is not None else "same as given"
    print(f"| {m['source']} | {int(m['nodes']):,} | {int(m['edges']):,} | {ours:.4f} | {float(m['leefbaar_40_kinds_all_threads_s']):.4f} ({m['threads']}) | {theirs:.4f} | "
          f"{theirs / ours:.1f}× | {same_order} | {m['leefbaar_passes']} / {s['scipy_passes']} | {ident} | {int(m['leefbaar_peak_rss_kb']) / 1024:.0f} | "
          f"{int(s['scipy_peak_rss_kb']) / 1024:.0f} | {m['scenario_median_ms']} / {m['scenario_max_ms']} | {pbf} |")
PY
exit $status
