"""Runs scipy's Dijkstra on a graph exported by `network_bench` and checks Leefbaar's answers.

For each of the 40 facility kinds: `scipy.sparse.csgraph.dijkstra(graph, indices=facilities,
min_only=True)` on the reversed graph (the same search Leefbaar runs), then compares the
distances with Leefbaar's node by node. Weights are whole centimetres, so the answers must be
identical (float64 holds these integers exactly); unreachable is inf in scipy, u32::MAX in
Leefbaar. Prints a JSON line with scipy's timings and peak memory, and exits 1 on a mismatch.

When Leefbaar searched the graph under another node numbering (`order.bin`: the new id of every
node; the grid is searched in Hilbert order), scipy is also timed on the graph renumbered the
same way, and checked again: the ordering speeds up any search that is bound by memory, scipy's
too, and that number shows how much of the difference is the ordering.

Timing: the first pass over the 40 kinds is checked; when it took less than a second, the 40
kinds are searched again for about a second in all (at most 200 passes) and the fastest pass is
reported, exactly as `network_bench` does for Leefbaar (on the millisecond fixtures one pass
measures the scheduler as much as the search). The first pass is reported too.

Usage: python compare_scipy.py DIR
"""

import json
import math
import resource
import sys
import time
from pathlib import Path

import numpy as np
import scipy
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra


def passes_for(first_pass_s: float) -> int:
    """Passes over the 40 kinds for about a second of searching (at most 200)."""
    return min(200, max(1, math.ceil(1.0 / max(first_pass_s, 1e-9))))


def fastest_pass(graph, kinds, first_pass_s: float, passes: int) -> float:
    """The fastest of `passes` passes over all kinds, the first one already timed."""
    best_s = first_pass_s
    for _ in range(passes - 1):
        started = time.perf_counter()
        for facilities in kinds:
            dijkstra(graph, directed=True, indices=facilities, min_only=True)
        best_s = min(best_s, time.perf_counter() - started)
    return best_s


def main() -> int:
    out = Path(sys.argv[1])
    meta = json.loads((out / "meta.json").read_text())
    n = int(meta["nodes"])
    edges = np.fromfile(out / "edges.bin", dtype="<u4").reshape(-1, 3)
    started = time.perf_counter()
    graph = csr_matrix(
        (edges[:, 2].astype(np.float64), (edges[:, 0], edges[:, 1])), shape=(n, n)
    )
    build_s = time.perf_counter() - started

    raw = np.fromfile(out / "facilities.bin", dtype="<u4")
    kinds, at = [], 0
    while at < len(raw):
        count = int(raw[at])
        kinds.append(raw[at + 1 : at + 1 + count].astype(np.int64))
        at += 1 + count

    first_pass_s, mismatches, compared = 0.0, 0, 0
    for k, facilities in enumerate(kinds):
        started = time.perf_counter()
        dist = dijkstra(graph, directed=True, indices=facilities, min_only=True)
        first_pass_s += time.perf_counter() - started
        ours = np.fromfile(out / f"leefbaar_{k}.bin", dtype="<u4").astype(np.float64)
        ours[ours == np.iinfo(np.uint32).max] = np.inf
        bad = int(np.count_nonzero(ours != dist))
        if bad:
            idx = np.flatnonzero(ours != dist)[:5]
            print(f"kind {k}: {bad} nodes differ, e.g. nodes {idx.tolist()}: "
                  f"leefbaar {ours[idx].tolist()} scipy {dist[idx].tolist()}", file=sys.stderr)
        mismatches += bad
        compared += n
    passes = passes_for(first_pass_s)
    best_s = fastest_pass(graph, kinds, first_pass_s, passes)

    # The same searches on the graph in Leefbaar's node order, answers read back through it.
    same_order = {}
    order_path = out / "order.bin"
    new_of_old = np.fromfile(order_path, dtype="<u4").astype(np.int64) if order_path.exists() else None
    if new_of_old is not None and not np.array_equal(new_of_old, np.arange(n)):
        renumbered = csr_matrix(
            (edges[:, 2].astype(np.float64), (new_of_old[edges[:, 0]], new_of_old[edges[:, 1]])),
            shape=(n, n),
        )
        renamed = [new_of_old[facilities] for facilities in kinds]
        order_first_s = 0.0
        for k, facilities in enumerate(renamed):
            started = time.perf_counter()
            dist = dijkstra(renumbered, directed=True, indices=facilities, min_only=True)
            order_first_s += time.perf_counter() - started
            ours = np.fromfile(out / f"leefbaar_{k}.bin", dtype="<u4").astype(np.float64)
            ours[ours == np.iinfo(np.uint32).max] = np.inf
            mismatches += int(np.count_nonzero(ours != dist[new_of_old]))
        order_passes = passes_for(order_first_s)
        same_order = {
            "scipy_40_kinds_leefbaar_order_s": round(
                fastest_pass(renumbered, renamed, order_first_s, order_passes), 6
            ),
            "scipy_leefbaar_order_passes": order_passes,
        }
    result = {
        "scipy_version": scipy.__version__,
        "numpy_version": np.__version__,
        "scipy_csr_build_s": round(build_s, 4),
        "scipy_40_kinds_s": round(best_s, 6),
        "scipy_40_kinds_first_pass_s": round(first_pass_s, 6),
        "scipy_passes": passes,
        "nodes_compared": compared,
        "mismatches": mismatches,
        "scipy_peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        **same_order,
    }
    (out / "scipy.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
