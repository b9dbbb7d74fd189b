#!/usr/bin/env python3
"""Trims the bundled reach inputs: facility points and PC4 population points for Drenthe.

Run from the repository root:

    python3 data/drenthe/facilities/trim.py SOURCE_DIR

SOURCE_DIR is a folder holding the full national copies named below (they are not part of the
repository; data/drenthe/facilities/SOURCE.md names the repositories and commits they came from).

Reads (only the standard library is used, so the output is reproducible anywhere):
- SOURCE_DIR/duo_scholen_locaties_nl/scholen_2024-11-22.geojson  (DUO school locations 2024-11-22)
- SOURCE_DIR/ziekenhuizen_ambulanceposten_nl/ziekenhuizen.geojson (89 hospital locations)
- SOURCE_DIR/ziekenhuizen_ambulanceposten_nl/ambulancestandplaatsen_2019.geojson (280 ambulance posts)
- data/drenthe/cbs_boundaries_2022_certegis/provincies_2022.geojson (Drenthe's outline, for the buffer)
- data/drenthe/cbs_boundaries_2022_certegis/pc4_drenthe_2022.geojson (PC4 polygons)
- data/drenthe/cbs_population_pc4_age_sex_2021/postcodes_lookup_2021.csv (PC4 population, gemeente)
- data/drenthe/cbs_wijken_2024/wijken_2024_drenthe.geojson      (district polygons, GM codes)

Writes:
- data/drenthe/facilities/{primary_school,secondary_school,havo_vwo_school,hospital,ambulance_post}.csv
  with columns id, name, kind, lon, lat (sorted by id)
- data/drenthe/reach_origins_pc4_2021/origins_pc4_2021.csv
  with columns pc4, place, persons, province, municipality, municipality_name, district,
  district_name, lon, lat, point (sorted by pc4; point = centroid, or interior when the
  centroid falls outside the polygon)
- data/drenthe/reach_origins_pc4_2021/origins_pc4_buurt_2021.csv: the same population split
  over the parts of each PC4 area that lie in different neighbourhoods (buurten 2019, from
  data/drenthe/cbs_buurten_2019_drenthe/buurten_drenthe.geojson), in proportion to area, with
  columns pc4, persons, neighbourhood, lon, lat, point (sorted by pc4, neighbourhood;
  point = "part": the mean of the part's 50 m grid cells, or "whole" when the PC4 area is too
  small for the grid and goes whole to the buurt its point lies in)
"""

import csv
import json
import math
import sys
from pathlib import Path

BUFFER_KM = 25.0
LAT0 = 52.85  # centre of Drenthe; the local projection below is accurate to well under 1 % here
KX = 111.320 * math.cos(math.radians(LAT0))  # km per degree of longitude
KY = 110.574  # km per degree of latitude

SECONDARY_LEVELS = ("VBO", "MAVO", "HAVO", "VWO", "PRO", "BRUGJAAR")


def xy(lon, lat):
    return (lon * KX, lat * KY)


def rings_of(geometry):
    """Polygons as lists of rings (outer first), in projected km."""
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"unexpected geometry {geometry['type']}")
    return [[[xy(lon, lat) for lon, lat in ring] for ring in polygon] for polygon in polygons]


def inside_ring(p, ring):
    x, y = p
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        if (y1 > y) != (y2 > y):
            xc = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if xc > x:
                inside = not inside
    return inside


def inside(p, polygons):
    for rings in polygons:
        if inside_ring(p, rings[0]) and not any(inside_ring(p, hole) for hole in rings[1:]):
            return True
    return False


def segment_distance(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def distance_km(p, polygons):
    """0 inside, else the distance to the nearest edge."""
    if inside(p, polygons):
        return 0.0
    best = math.inf
    for rings in polygons:
        for ring in rings:
            for i in range(len(ring) - 1):
                best = min(best, segment_distance(p, ring[i], ring[i + 1]))
    return best


def centroid(polygons):
    """Area-weighted centroid of the outer rings minus holes (shoelace)."""
    a_sum = cx_sum = cy_sum = 0.0
    for rings in polygons:
        for k, ring in enumerate(rings):
            a = cx = cy = 0.0
            for i in range(len(ring) - 1):
                (x1, y1), (x2, y2) = ring[i], ring[i + 1]
                cross = x1 * y2 - x2 * y1
                a += cross
                cx += (x1 + x2) * cross
                cy += (y1 + y2) * cross
            # Orientation-independent: outer rings add, holes subtract.
            sign = 1.0 if k == 0 else -1.0
            s = sign if a >= 0 else -sign
            a_sum += s * a / 2
            cx_sum += s * cx / 6
            cy_sum += s * cy / 6
    return (cx_sum / a_sum, cy_sum / a_sum)


def interior_point(polygons):
    """A point inside: the middle of the widest run of a horizontal line through the middle
    of the bounding box of the largest part."""
    def area(rings):
        ring = rings[0]
        return abs(sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1))) / 2
    rings = max(polygons, key=area)
    ys = [y for _, y in rings[0]]
    y = (min(ys) + max(ys)) / 2
    crossings = []
    for ring in rings:
        for i in range(len(ring) - 1):
            (x1, y1), (x2, y2) = ring[i], ring[i + 1]
            if (y1 > y) != (y2 > y):
                crossings.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    crossings.sort()
    runs = [(crossings[i + 1] - crossings[i], crossings[i]) for i in range(0, len(crossings) - 1, 2)]
    width, start = max(runs)
    return (start + width / 2, y)


GRID_KM = 0.05  # 50 m cells for splitting PC4 areas over neighbourhoods


def row_runs(polygons, y):
    """The x-intervals where the horizontal line at y is inside the polygons (even-odd)."""
    runs = []
    for rings in polygons:
        crossings = []
        for ring in rings:
            for i in range(len(ring) - 1):
                (x1, y1), (x2, y2) = ring[i], ring[i + 1]
                if (y1 > y) != (y2 > y):
                    crossings.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
        crossings.sort()
        runs.extend(zip(crossings[0::2], crossings[1::2]))
    return runs


def grid_cells(polygons):
    """The (row, column) of every GRID_KM cell whose centre lies inside the polygons: one
    scan line per row, so the cost is rows x edges rather than cells x edges."""
    ys = [y for rings in polygons for ring in rings for _, y in ring]
    first, last = math.floor(min(ys) / GRID_KM), math.ceil(max(ys) / GRID_KM)
    cells = []
    for row in range(first, last + 1):
        y = (row + 0.5) * GRID_KM
        for x1, x2 in row_runs(polygons, y):
            for col in range(math.ceil(x1 / GRID_KM - 0.5), math.floor(x2 / GRID_KM - 0.5) + 1):
                cells.append((row, col))
    return cells


def lonlat(p):
    return (round(p[0] / KX, 6), round(p[1] / KY, 6))


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(source):
    root = Path(__file__).resolve().parents[3]
    drenthe = root / "data" / "drenthe"
    out = drenthe / "facilities"

    province = json.load(open(drenthe / "cbs_boundaries_2022_certegis" / "provincies_2022.geojson"))
    outline = rings_of(province["features"][0]["geometry"])

    # Schools: Drenthe plus 25 km, so an origin near the border finds a school across it.
    schools = json.load(open(source / "duo_scholen_locaties_nl" / "scholen_2024-11-22.geojson"))
    kinds = {"primary_school": [], "secondary_school": [], "havo_vwo_school": []}
    for feature in schools["features"]:
        p = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        levels = p["type"].split("/")
        wanted = []
        if p["type"] == "basisschool":
            wanted.append("primary_school")
        if any(level in SECONDARY_LEVELS for level in levels):
            wanted.append("secondary_school")
        if "HAVO" in levels or "VWO" in levels:
            wanted.append("havo_vwo_school")
        if not wanted or distance_km(xy(lon, lat), outline) > BUFFER_KM:
            continue
        for kind in wanted:
            kinds[kind].append((p["vestigingscode"], p["naam"].strip(), kind, round(lon, 6), round(lat, 6)))

    hospitals = json.load(open(source / "ziekenhuizen_ambulanceposten_nl" / "ziekenhuizen.geojson"))
    kinds["hospital"] = [
        (f"ZH{f['properties']['id']:02d}", f"{f['properties']['locatie'].strip()} ({f['properties']['plaats'].strip()})",
         "hospital", round(f["geometry"]["coordinates"][0], 6), round(f["geometry"]["coordinates"][1], 6))
        for f in hospitals["features"]
    ]
    posts = json.load(open(source / "ziekenhuizen_ambulanceposten_nl" / "ambulancestandplaatsen_2019.geojson"))
    kinds["ambulance_post"] = [
        (f"AMB{i + 1:03d}", f["properties"]["Standplaats"].strip(), "ambulance_post",
         round(f["geometry"]["coordinates"][0], 6), round(f["geometry"]["coordinates"][1], 6))
        for i, f in enumerate(posts["features"])
    ]
    for kind, rows in kinds.items():
        # A few DUO locations were geocoded to several BAG addresses (same vestigingscode, a few
        # metres apart): keep the first by (id, lon, lat).
        rows.sort()
        unique = [r for i, r in enumerate(rows) if i == 0 or rows[i - 1][0] != r[0]]
        write_csv(out / f"{kind}.csv", ["id", "name", "kind", "lon", "lat"], unique)
        print(f"{kind}: {len(unique)} ({len(rows) - len(unique)} duplicate ids dropped)")

    # Origins: one point per PC4 area, weighted by its 2021 population.
    wijken = json.load(open(drenthe / "cbs_wijken_2024" / "wijken_2024_drenthe.geojson"))
    gm_by_name = {}
    district_names = {}
    districts = []
    for f in wijken["features"]:
        p = f["properties"]
        gm_by_name[p["gemeentenaam"]] = p["gemeentecode"]
        district_names[p["wijkcode"]] = p["wijknaam"].strip()
        districts.append((p["wijkcode"], p["gemeentecode"], rings_of(f["geometry"])))
    population = {}
    with open(drenthe / "cbs_population_pc4_age_sex_2021" / "postcodes_lookup_2021.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if len(row["postcode"]) == 4 and row["provincie"] == "Drenthe":
                population[row["postcode"]] = (int(row["inwoners"]), row["plaats"], row["gemeente"])
    pc4 = json.load(open(drenthe / "cbs_boundaries_2022_certegis" / "pc4_drenthe_2022.geojson"))
    rows = []
    stats = {"interior": 0, "nearest_district": 0, "no_population": 0}
    for f in pc4["features"]:
        code = f"{int(f['properties']['postcode']):04d}"
        if code not in population:
            stats["no_population"] += 1
            continue
        persons, place, gemeente = population[code]
        if persons <= 0:
            stats["no_population"] += 1
            continue
        municipality = gm_by_name[gemeente]
        polygons = rings_of(f["geometry"])
        point, how = centroid(polygons), "centroid"
        if not inside(point, polygons):
            point, how = interior_point(polygons), "interior"
            stats["interior"] += 1
        own = [(code_w, rings) for code_w, gm, rings in districts if gm == municipality]
        district = next((c for c, rings in own if inside(point, rings)), None)
        if district is None:
            district = min(own, key=lambda d: distance_km(point, d[1]))[0]
            stats["nearest_district"] += 1
        lon, lat = lonlat(point)
        rows.append((code, place, persons, "PV22", municipality, gemeente, district,
                     district_names[district], lon, lat, how))
    rows.sort()
    write_csv(drenthe / "reach_origins_pc4_2021" / "origins_pc4_buurt_2021.csv",
              ["pc4", "persons", "neighbourhood", "lon", "lat", "point"],
              split_over_buurten(drenthe, pc4, rows))
    write_csv(drenthe / "reach_origins_pc4_2021" / "origins_pc4_2021.csv",
              ["pc4", "place", "persons", "province", "municipality", "municipality_name", "district",
               "district_name", "lon", "lat", "point"], rows)
    print(f"origins: {len(rows)} PC4 points, {sum(r[2] for r in rows)} persons, "
          f"{len({r[6] for r in rows})} districts; {stats}")


def split_over_buurten(drenthe, pc4, rows):
    """Each PC4 origin split into its parts per neighbourhood, persons in proportion to the
    part's area (no finer population data is bundled, so people are assumed spread evenly
    over the PC4 area)."""
    buurten = json.load(open(drenthe / "cbs_buurten_2019_drenthe" / "buurten_drenthe.geojson"))
    buurt_polygons = {f["properties"]["statcode"]: rings_of(f["geometry"]) for f in buurten["features"]}
    buurt_of_cell = {}
    for code in sorted(buurt_polygons):
        for cell in grid_cells(buurt_polygons[code]):
            buurt_of_cell.setdefault(cell, code)
    shapes = {f"{int(f['properties']['postcode']):04d}": rings_of(f["geometry"]) for f in pc4["features"]}
    pieces = []
    stats = {"parts": 0, "whole": 0, "cells_outside_buurten": 0}
    for code, _, persons, _, _, _, _, _, lon, lat, _ in rows:
        by_buurt = {}
        cells = grid_cells(shapes[code])
        for cell in cells:
            buurt = buurt_of_cell.get(cell)
            if buurt is None:
                stats["cells_outside_buurten"] += 1
                continue
            by_buurt.setdefault(buurt, []).append(cell)
        if not by_buurt:
            # Too small for the grid, or off the buurt map: whole, at the PC4's own point.
            point = xy(lon, lat)
            buurt = next((b for b, poly in sorted(buurt_polygons.items()) if inside(point, poly)), None)
            if buurt is None:
                buurt = min(sorted(buurt_polygons), key=lambda b: distance_km(point, buurt_polygons[b]))
            by_buurt = {buurt: None}
        total = sum(len(c) for c in by_buurt.values() if c) or 1
        parts = []
        for buurt, buurt_cells in sorted(by_buurt.items()):
            if buurt_cells is None:
                point, share, how = xy(lon, lat), 1.0, "whole"
            else:
                point = (sum((c + 0.5) * GRID_KM for _, c in buurt_cells) / len(buurt_cells),
                         sum((r + 0.5) * GRID_KM for r, _ in buurt_cells) / len(buurt_cells))
                share, how = len(buurt_cells) / total, "part"
            parts.append([code, persons * share, buurt, *lonlat(point), how])
        # Persons to 3 decimals, summing exactly to the PC4's count.
        for part in parts:
            part[1] = round(part[1], 3)
        parts[-1][1] = round(persons - sum(p[1] for p in parts[:-1]), 3)
        stats["parts" if parts[0][-1] == "part" else "whole"] += len(parts)
        pieces.extend(parts)
    print(f"origins by neighbourhood: {len(pieces)} parts of {len(rows)} PC4 areas in "
          f"{len({p[2] for p in pieces})} of {len(buurt_polygons)} buurten, "
          f"{sum(p[1] for p in pieces):.0f} persons; {stats}")
    return pieces


USAGE = """usage: python3 data/drenthe/facilities/trim.py SOURCE_DIR   (from the repository root)
  SOURCE_DIR: the folder holding duo_scholen_locaties_nl/ and ziekenhuizen_ambulanceposten_nl/
  (the full national copies; see data/drenthe/facilities/SOURCE.md)"""

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        sys.exit(USAGE)
    source = Path(sys.argv[1])
    for folder in ("duo_scholen_locaties_nl", "ziekenhuizen_ambulanceposten_nl"):
        if not (source / folder).is_dir():
            sys.exit(f"error: {source} has no {folder}/ folder\n\n{USAGE}")
    main(source)
