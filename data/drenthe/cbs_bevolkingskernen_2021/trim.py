#!/usr/bin/env python3
"""Makes towns_2021.csv (the CBS kernen of Drenthe as WGS84 points with their municipality's
code) from the full copy of the source folder; see SOURCE.md.

Usage: python3 trim.py SOURCE_DIR   (the folder holding towns_drenthe.geojson)
"""
import csv
import json
import sys
from pathlib import Path

if len(sys.argv) != 2 or not (Path(sys.argv[1]) / "towns_drenthe.geojson").is_file():
    sys.exit("usage: trim.py SOURCE_DIR  (a folder with towns_drenthe.geojson)")
source = Path(sys.argv[1])
here = Path(__file__).resolve().parent
# Municipality names of the source to the CBS codes of the bundle's 2024 division.
codes = {}
with open(here.parent / "cbs_gebieden_in_nederland_gemeenten" / "gebieden_in_nederland_gemeenten.csv", encoding="utf-8-sig") as f:
    for row in csv.DictReader(f, delimiter=";"):
        codes[row["Naam_2"].strip()] = row["Code_1"].strip()
features = json.loads((source / "towns_drenthe.geojson").read_text(encoding="utf-8"))["features"]
rows = []
for feature in features:
    p = feature["properties"]
    lon, lat = feature["geometry"]["coordinates"]
    rows.append([p["name"], codes[p["municipality"]], f"{lon:.5f}", f"{lat:.5f}", int(p["population"])])
rows.sort(key=lambda r: (-r[4], r[0]))
with open(here / "towns_2021.csv", "w", newline="", encoding="utf-8") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(["name", "municipality", "lon", "lat", "population"])
    writer.writerows(rows)
print(f"wrote {len(rows)} towns")
