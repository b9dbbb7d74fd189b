"""Runs scipy's Dijkstra on a graph exported by `network_bench` and checks Leefbaar's answers.

For each of the 40 facility kinds: `scipy.sparse.csgraph.dijkstra(graph, indices=facilities,
min_only=True)` on the reversed graph (the same search Leefbaar runs), then compares the
distances with Leefbaar's node by node. Weights are whole centimetres, so the answers must be
identical (float64 holds these integers exactly); unreachable is inf in scipy, u32::MAX in
Leefbaar. Prints a JSON line with scipy's timings and peak memory, and exits 1 on a mismatch.

Usage: python compare_scipy.py DIR
"""

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import scipy
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra


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

    total_s, mismatches, compared = 0.0, 0, 0
    for k, facilities in enumerate(kinds):
        started = time.perf_counter()
        dist = dijkstra(graph, directed=True, indices=facilities, min_only=True)
        total_s += time.perf_counter() - started
        ours = np.fromfile(out / f"leefbaar_{k}.bin", dtype="<u4").astype(np.float64)
        ours[ours == np.iinfo(np.uint32).max] = np.inf
        bad = int(np.count_nonzero(ours != dist))
        if bad:
            idx = np.flatnonzero(ours != dist)[:5]
            print(f"kind {k}: {bad} nodes differ, e.g. nodes {idx.tolist()}: "
                  f"leefbaar {ours[idx].tolist()} scipy {dist[idx].tolist()}", file=sys.stderr)
        mismatches += bad
        compared += n
    result = {
        "scipy_version": scipy.__version__,
        "numpy_version": np.__version__,
        "scipy_csr_build_s": round(build_s, 4),
        "scipy_40_kinds_s": round(total_s, 4),
        "nodes_compared": compared,
        "mismatches": mismatches,
        "scipy_peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    (out / "scipy.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
