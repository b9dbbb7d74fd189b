#!/usr/bin/env python3
"""Compare Drenthe's car time to the nearest hospital from three origin layers: the school points
of origins_pc4_north_2021.csv (what the hospital monitor uses for the whole north), the
dasymetric origins reach uses for Drenthe (PC4 persons shared over the Eurostat grid parts), and
PC4 centroids. Straight line x 1.3 at 60 km/h, as reach's car profile without a road network.

Usage (from the repository root): python3 data/drenthe/hospitals_north_2021/validate_drenthe.py
"""
import csv
import math
from collections import defaultdict

D = "data/drenthe/"
DETOUR, SPEED = 1.3, 60 / 3.6


def haversine_m(lon1, lat1, lon2, lat2):
    # The same sphere as leefbaar-network's haversine_m.
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


hospitals = [(float(r["lon"]), float(r["lat"])) for r in csv.DictReader(open(D + "facilities/hospital.csv"))]


def minutes(lon, lat):
    return min(haversine_m(lon, lat, h[0], h[1]) for h in hospitals) * DETOUR / SPEED / 60


def summary(name, points):
    total = sum(p for _, _, p, _ in points)
    times = sorted((minutes(lon, lat), p, m) for lon, lat, p, m in points)
    mean = sum(t * p for t, p, _ in times) / total
    beyond = {k: sum(p for t, p, _ in times if t > k) for k in (15, 20, 25, 30, 45)}
    acc, pct = 0, {}
    for t, p, _ in times:
        acc += p
        for q in (0.5, 0.9, 0.99):
            if q not in pct and acc >= q * total:
                pct[q] = t
    by_m = defaultdict(lambda: [0.0, 0.0])
    for t, p, m in times:
        by_m[m][0] += t * p
        by_m[m][1] += p
    print(f"{name}: {len(points)} points, {total:.0f} persons, mean {mean:.2f} min, "
          f"median {pct[0.5]:.1f}, p90 {pct[0.9]:.1f}, p99 {pct[0.99]:.1f}, "
          + ", ".join(f">{k} min {v:.0f}" for k, v in beyond.items()))
    return {m: s / p for m, (s, p) in by_m.items()}


north = [
    (float(r["lon"]), float(r["lat"]), float(r["persons"]), r["municipality"])
    for r in csv.DictReader(open(D + "hospitals_north_2021/origins_pc4_north_2021.csv"))
    if r["province"] == "PV22"
]
pc4 = {r["pc4"]: r for r in csv.DictReader(open(D + "reach_origins_pc4_2021/origins_pc4_2021.csv"))}
centroids = [(float(r["lon"]), float(r["lat"]), float(r["persons"]), r["municipality"]) for r in pc4.values()]
cells = {r["grd_id"]: float(r["persons"]) for r in csv.DictReader(open(D + "eurostat_geostat_pop_1km_2018/pop_1km_drenthe_2018.csv"))}
parts = list(csv.DictReader(open(D + "eurostat_geostat_pop_1km_2018/cells_by_pc4_buurt_drenthe_2018.csv")))
weight = defaultdict(float)
for r in parts:
    weight[r["pc4"]] += cells.get(r["grd_id"], 0) * float(r["share"])
dasymetric = []
for r in parts:
    w = cells.get(r["grd_id"], 0) * float(r["share"])
    if w > 0 and r["pc4"] in pc4:
        dasymetric.append((float(r["lon"]), float(r["lat"]), float(pc4[r["pc4"]]["persons"]) * w / weight[r["pc4"]], pc4[r["pc4"]]["municipality"]))

a = summary("school points (used)", north)
b = summary("dasymetric grid parts (reach)", dasymetric)
c = summary("PC4 centroids", centroids)
print("municipality: school points / dasymetric / centroids (mean minutes)")
for m in sorted(b):
    print(f"{m}: {a[m]:.2f} / {b[m]:.2f} / {c[m]:.2f}  ({a[m] - b[m]:+.2f})")
