#!/usr/bin/env python3
"""Derive origins_pc4_north_2021.csv: one population point per PC4 area of Groningen, Fryslân,
Drenthe and Overijssel, with its 2021 persons and persons aged 75 and over.

Usage (from the repository root): python3 data/drenthe/hospitals_north_2021/derive.py SHARED_DATA_DIR
where SHARED_DATA_DIR holds cbs_population_pc4_age_sex_2021/, duo_scholen_locaties_nl/ and
cbs_boundaries_2022_certegis/. See SOURCE.md beside this script for the method and why.
"""
import csv
import json
import os
import sys
from collections import defaultdict

PROVINCES = {"Groningen": "PV20", "Friesland": "PV21", "Drenthe": "PV22", "Overijssel": "PV23"}
# CBS's names of the provinces (the lookup writes Fryslân as Friesland).
PROVINCE_NAMES = {"PV20": "Groningen", "PV21": "Fryslân", "PV22": "Drenthe", "PV23": "Overijssel"}
AGES_75_PLUS = {"75-79", "80-84", "85-89", "90-94", "95+"}


def main(shared):
    here = os.path.dirname(os.path.abspath(__file__))
    pop_dir = os.path.join(shared, "cbs_population_pc4_age_sex_2021")
    lookup = [
        row
        for row in csv.DictReader(open(os.path.join(pop_dir, "postcodes_lookup_2021.csv"), encoding="utf-8"))
        if len(row["postcode"]) == 4 and row["provincie"] in PROVINCES
        # One PC4 (9085, 15 persons in 2021) has no municipality in the lookup; it is left
        # out, and SOURCE.md says so.
        and row["gemeente"] != "NA"
    ]
    old = defaultdict(int)
    for row in csv.DictReader(open(os.path.join(pop_dir, "inwoners_postcode_leeftijd_geslacht_2021.csv"), encoding="utf-8")):
        # CBS writes NA for suppressed cells (small areas); they count as 0 here, which
        # SOURCE.md reports.
        if len(row["postcode"]) == 4 and row["leeftijd"] in AGES_75_PLUS and row["inwoners"] != "NA":
            old[row["postcode"]] += int(row["inwoners"])

    gemeenten = json.load(open(os.path.join(shared, "cbs_boundaries_2022_certegis", "gemeenten_2022.geojson"), encoding="utf-8"))
    code_of = {f["properties"]["gemeente"]: f["properties"]["gemeentecode"] for f in gemeenten["features"]}

    # Primary schools first: they stand in the villages where people live. Any other school
    # location only where a PC4 has no primary school.
    schools = json.load(open(os.path.join(shared, "duo_scholen_locaties_nl", "scholen_2024-11-22.geojson"), encoding="utf-8"))
    primary = defaultdict(list)
    other = defaultdict(list)
    for f in schools["features"]:
        pc = (f["properties"]["postcode"] or "")[:4]
        lon, lat = f["geometry"]["coordinates"][:2]
        (primary if f["properties"]["type"] == "basisschool" else other)[pc].append((lon, lat))

    located = {}
    for row in lookup:
        pc = row["postcode"]
        points = primary.get(pc) or other.get(pc)
        if points:
            located[pc] = (
                sum(p[0] for p in points) / len(points),
                sum(p[1] for p in points) / len(points),
                "schools",
            )

    # A PC4 without a school takes the point of the located PC4 of its own municipality whose
    # number is nearest: PostNL numbers PC4 areas along routes through a region, so neighbouring
    # numbers are mostly neighbouring areas; ties take the lower number.
    by_municipality = defaultdict(list)
    for row in lookup:
        if row["postcode"] in located:
            by_municipality[row["gemeente"]].append(int(row["postcode"]))
    out = []
    for row in sorted(lookup, key=lambda r: int(r["postcode"])):
        pc = row["postcode"]
        if pc in located:
            lon, lat, how = located[pc]
        else:
            candidates = by_municipality[row["gemeente"]]
            if not candidates:
                sys.exit(f"PC4 {pc}: no located PC4 in {row['gemeente']}")
            nearest = min(candidates, key=lambda c: (abs(c - int(pc)), c))
            lon, lat, _ = located[str(nearest)]
            how = f"pc4:{nearest}"
        out.append({
            "pc4": pc,
            "place": row["plaats"],
            "province": PROVINCES[row["provincie"]],
            "province_name": PROVINCE_NAMES[PROVINCES[row["provincie"]]],
            "municipality": code_of[row["gemeente"]],
            "municipality_name": row["gemeente"],
            "persons": int(row["inwoners"]),
            "persons_75_plus": old.get(pc, 0),
            "lon": f"{lon:.6f}",
            "lat": f"{lat:.6f}",
            "point": how,
        })
    with open(os.path.join(here, "origins_pc4_north_2021.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(out[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    n_fallback = sum(1 for r in out if r["point"] != "schools")
    print(f"{len(out)} PC4 areas, {sum(r['persons'] for r in out)} persons, "
          f"{sum(r['persons_75_plus'] for r in out)} aged 75+, {n_fallback} placed by a neighbouring PC4 "
          f"({sum(r['persons'] for r in out if r['point'] != 'schools')} persons)")


if __name__ == "__main__":
    main(sys.argv[1])
