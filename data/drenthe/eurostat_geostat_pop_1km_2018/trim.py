#!/usr/bin/env python3
"""Trim the Eurostat GEOSTAT 1 km grid of Drenthe to what reach needs, and cut its cells by PC4.

Usage (from the repository root):
    python3 data/drenthe/eurostat_geostat_pop_1km_2018/trim.py SHARED_DATA_DIR

Input:  SHARED_DATA_DIR/eurostat_geostat_pop_1km_drenthe/pop_1km_drenthe.csv (see SOURCE.md here)
        data/drenthe/cbs_boundaries_2022_certegis/pc4_drenthe_2022.geojson (PC4 polygons, WGS84)
Output: pop_1km_drenthe_2018.csv        grd_id, x_laea, y_laea, persons (GEOSTAT 2018 TOT_P)
        cells_by_pc4_drenthe_2018.csv   grd_id, pc4, share, lon, lat: each cell's parts per PC4

A cell is cut on a 100 m sub-grid (100 points, the centres of its 100 m squares, projected from
ETRS89-LAEA to WGS84): a part is the sub-points lying in one PC4 polygon, `share` their number /
100 (the part's share of the cell's area) and lon/lat their mean (the part's centre). Sub-points
in no PC4 polygon (outside Drenthe, or gaps of the generalised polygons) belong to no part.
Standard library only; the LAEA inverse is the one of the shared trim.py (EPSG Guidance Note 7-2).
"""
import csv
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SUB = 10  # sub-squares per side: 100 m

A = 6378137.0
F = 1 / 298.257222101
E2 = 2 * F - F * F
E = math.sqrt(E2)
LAT0, LON0 = math.radians(52.0), math.radians(10.0)
FE, FN = 4321000.0, 3210000.0


def _q(phi):
    s = math.sin(phi)
    return (1 - E2) * (s / (1 - E2 * s * s) - (1 / (2 * E)) * math.log((1 - E * s) / (1 + E * s)))


QP = _q(math.pi / 2)
Q0 = _q(LAT0)
RQ = A * math.sqrt(QP / 2)
BETA0 = math.asin(Q0 / QP)
D = A * (math.cos(LAT0) / math.sqrt(1 - E2 * math.sin(LAT0) ** 2)) / (RQ * math.cos(BETA0))


def laea_inverse(x, y):
    rho = math.hypot((x - FE) / D, D * (y - FN))
    c = 2 * math.asin(rho / (2 * RQ))
    beta = math.asin(math.cos(c) * math.sin(BETA0) + (D * (y - FN) * math.sin(c) * math.cos(BETA0)) / rho)
    lam = LON0 + math.atan2((x - FE) * math.sin(c),
                            D * rho * math.cos(BETA0) * math.cos(c) - D * D * (y - FN) * math.sin(BETA0) * math.sin(c))
    phi = (beta + (E2 / 3 + 31 * E2 ** 2 / 180 + 517 * E2 ** 3 / 5040) * math.sin(2 * beta)
           + (23 * E2 ** 2 / 360 + 251 * E2 ** 3 / 3780) * math.sin(4 * beta)
           + (761 * E2 ** 3 / 45360) * math.sin(6 * beta))
    return math.degrees(lam), math.degrees(phi)


def rings(geom):
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    return [ring for poly in polys for ring in poly]


def point_in(geom_rings, lon, lat):
    inside = False
    for ring in geom_rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i][0], ring[i][1]
            xj, yj = ring[j][0], ring[j][1]
            if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


def main():
    shared = sys.argv[1]
    grid = os.path.join(shared, "eurostat_geostat_pop_1km_drenthe", "pop_1km_drenthe.csv")
    pc4_path = os.path.join(HERE, "..", "cbs_boundaries_2022_certegis", "pc4_drenthe_2022.geojson")
    areas = []
    for feature in json.load(open(pc4_path))["features"]:
        rs = rings(feature["geometry"])
        xs = [p[0] for r in rs for p in r]
        ys = [p[1] for r in rs for p in r]
        areas.append((int(feature["properties"]["postcode"]), rs, (min(xs), min(ys), max(xs), max(ys))))
    cells = list(csv.DictReader(open(grid)))
    with open(os.path.join(HERE, "pop_1km_drenthe_2018.csv"), "w", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["grd_id", "x_laea", "y_laea", "persons"])
        for c in cells:
            w.writerow([c["grd_id"], c["x_laea"], c["y_laea"], c["pop_2018"]])
    n_parts = 0
    with open(os.path.join(HERE, "cells_by_pc4_drenthe_2018.csv"), "w", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["grd_id", "pc4", "share", "lon", "lat"])
        for c in cells:
            x0, y0 = int(c["x_laea"]), int(c["y_laea"])
            parts = {}
            for i in range(SUB):
                for j in range(SUB):
                    lon, lat = laea_inverse(x0 + (i + 0.5) * 1000 / SUB, y0 + (j + 0.5) * 1000 / SUB)
                    for pc4, rs, (a, b, cc, d) in areas:
                        if a <= lon <= cc and b <= lat <= d and point_in(rs, lon, lat):
                            part = parts.setdefault(pc4, [0, 0.0, 0.0])
                            part[0] += 1
                            part[1] += lon
                            part[2] += lat
                            break
            for pc4 in sorted(parts):
                n, slon, slat = parts[pc4]
                w.writerow([c["grd_id"], pc4, f"{n / (SUB * SUB):.2f}", f"{slon / n:.6f}", f"{slat / n:.6f}"])
                n_parts += 1
    print(f"{len(cells)} cells, {n_parts} cell parts by PC4")


if __name__ == "__main__":
    main()
