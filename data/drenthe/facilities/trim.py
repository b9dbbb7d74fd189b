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
    write_csv(drenthe / "reach_origins_pc4_2021" / "origins_pc4_2021.csv",
              ["pc4", "place", "persons", "province", "municipality", "municipality_name", "district",
               "district_name", "lon", "lat", "point"], rows)
    print(f"origins: {len(rows)} PC4 points, {sum(r[2] for r in rows)} persons, "
          f"{len({r[6] for r in rows})} districts; {stats}")


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
