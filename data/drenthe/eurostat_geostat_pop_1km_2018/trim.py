#!/usr/bin/env python3
"""Trim the Eurostat GEOSTAT 1 km grid of Drenthe to what reach needs, and cut its cells by PC4
area and neighbourhood (buurt).

Usage (from the repository root):
    python3 data/drenthe/eurostat_geostat_pop_1km_2018/trim.py SHARED_DATA_DIR

Input:  SHARED_DATA_DIR/eurostat_geostat_pop_1km_drenthe/pop_1km_drenthe.csv (see SOURCE.md here)
        data/drenthe/cbs_boundaries_2022_certegis/pc4_drenthe_2022.geojson (PC4 polygons, WGS84)
        data/drenthe/cbs_buurten_2019_drenthe/buurten_drenthe.geojson (buurt polygons, WGS84)
Output: pop_1km_drenthe_2018.csv             grd_id, x_laea, y_laea, persons (GEOSTAT 2018 TOT_P)
        cells_by_pc4_buurt_drenthe_2018.csv  grd_id, pc4, neighbourhood, share, lon, lat: each
                                             cell's parts per PC4 area and buurt

A cell is cut on a 50 m sub-grid (400 points, the centres of its 50 m squares, projected from
ETRS89-LAEA to WGS84): a part is the sub-points lying in one PC4 polygon and one buurt polygon,
`share` their number / 400 (the part's share of the cell's area) and lon/lat their mean (the
part's centre). Sub-points in no PC4 polygon (outside Drenthe, or gaps of the generalised
polygons) belong to no part; sub-points in a PC4 polygon but no buurt polygon (the two maps are
generalised differently) make a part with an empty `neighbourhood`, which counts for its PC4
area, municipality and district but no neighbourhood. 50 m rather than 100 m so that small
urban buurten get parts of their own.
Standard library only; the LAEA inverse is the one of the shared trim.py (EPSG Guidance Note 7-2).
"""
import csv
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SUB = 20  # sub-squares per side: 50 m

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


def polygons(path, code):
    out = []
    for feature in json.load(open(path))["features"]:
        rs = rings(feature["geometry"])
        xs = [p[0] for r in rs for p in r]
        ys = [p[1] for r in rs for p in r]
        out.append((code(feature["properties"]), rs, (min(xs), min(ys), max(xs), max(ys))))
    return out


def first_containing(areas, lon, lat):
    for code, rs, (a, b, c, d) in areas:
        if a <= lon <= c and b <= lat <= d and point_in(rs, lon, lat):
            return code
    return None


def main():
    shared = sys.argv[1]
    grid = os.path.join(shared, "eurostat_geostat_pop_1km_drenthe", "pop_1km_drenthe.csv")
    pc4s = polygons(os.path.join(HERE, "..", "cbs_boundaries_2022_certegis", "pc4_drenthe_2022.geojson"),
                    lambda p: int(p["postcode"]))
    buurten = polygons(os.path.join(HERE, "..", "cbs_buurten_2019_drenthe", "buurten_drenthe.geojson"),
                       lambda p: p["statcode"])
    cells = list(csv.DictReader(open(grid)))
    with open(os.path.join(HERE, "pop_1km_drenthe_2018.csv"), "w", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["grd_id", "x_laea", "y_laea", "persons"])
        for c in cells:
            w.writerow([c["grd_id"], c["x_laea"], c["y_laea"], c["pop_2018"]])
    n_parts = 0
    covered = set()
    with open(os.path.join(HERE, "cells_by_pc4_buurt_drenthe_2018.csv"), "w", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["grd_id", "pc4", "neighbourhood", "share", "lon", "lat"])
        for c in cells:
            x0, y0 = int(c["x_laea"]), int(c["y_laea"])
            parts = {}
            for i in range(SUB):
                for j in range(SUB):
                    lon, lat = laea_inverse(x0 + (i + 0.5) * 1000 / SUB, y0 + (j + 0.5) * 1000 / SUB)
                    pc4 = first_containing(pc4s, lon, lat)
                    if pc4 is None:
                        continue
                    buurt = first_containing(buurten, lon, lat) or ""
                    part = parts.setdefault((pc4, buurt), [0, 0.0, 0.0])
                    part[0] += 1
                    part[1] += lon
                    part[2] += lat
            for (pc4, buurt) in sorted(parts):
                n, slon, slat = parts[(pc4, buurt)]
                w.writerow([c["grd_id"], pc4, buurt, f"{n / (SUB * SUB):.4f}", f"{slon / n:.6f}", f"{slat / n:.6f}"])
                n_parts += 1
                if buurt and int(c["pop_2018"]) > 0:
                    covered.add(buurt)
    print(f"{len(cells)} cells, {n_parts} cell parts by PC4 area and buurt; "
          f"{len(covered)} of {len(buurten)} buurten have a part of a populated cell")


if __name__ == "__main__":
    main()
